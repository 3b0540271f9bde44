"""The user roles and what each may do in the proposal module."""
from enum import StrEnum


class Role(StrEnum):
    DEPARTMENT = "department"  # 部门填报人, bound to one department
    REVIEWER = "reviewer"  # 财政评审人
    EXPERT = "expert"  # 评审专家 (outside expert; sees only what is assigned to them)
    ADMIN = "admin"  # 财政管理员
    EVAL_OFFICE = "eval_office"  # 考评办 (departmental evaluation)
    THIRD_PARTY = "third_party"  # 第三方评估机构人员 (sees only the proposals their agency was commissioned for)

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.DEPARTMENT: "部门填报人",
    Role.REVIEWER: "财政评审人",
    Role.EXPERT: "评审专家",
    Role.ADMIN: "财政管理员",
    Role.EVAL_OFFICE: "考评办",
    Role.THIRD_PARTY: "第三方评估人员",
}

# Finance-bureau roles that see every department's proposals.
FINANCE_ROLES = frozenset({Role.REVIEWER, Role.ADMIN})
