"""The assessor of record of a proposal (杭州市预算事前绩效评估管理办法 art. 2: "是指市级相关部门(单位)或市财政局…
进行客观、公正的评估"): the department itself, the department through a third-party agency it commissioned
(第三方评估机构: organisation, contract number, its staff as users), or the finance bureau organising the panel.
Documents name the assessor from here."""
from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum


class AssessorKind(StrEnum):
    DEPARTMENT = "department"
    THIRD_PARTY = "third_party"
    FINANCE = "finance"

    @property
    def label(self) -> str:
        return ASSESSOR_LABELS[self]


ASSESSOR_LABELS = {
    AssessorKind.DEPARTMENT: "申报部门自行评估",
    AssessorKind.THIRD_PARTY: "申报部门委托第三方评估机构评估",
    AssessorKind.FINANCE: "财政局组织评估",
}


def assessor_name(kind: str | None, department: str, agency: str, finance: str) -> str:
    """The assessing body as documents print it (未确定 when no assessor of record was chosen)."""
    if kind == AssessorKind.DEPARTMENT:
        return department
    if kind == AssessorKind.THIRD_PARTY:
        return f"{agency}（受{department}委托）"
    if kind == AssessorKind.FINANCE:
        return finance
    return "评估主体未确定"


def assessor_problems(kind: str, agency: str, contract: str, staff: Sequence[int]) -> list[tuple[str, str]]:
    """(field, Chinese message) for a designation that cannot be stored."""
    if kind not in set(AssessorKind):
        return [("kind", "请选择评估主体")]
    found = []
    if kind == AssessorKind.THIRD_PARTY:
        if not agency.strip():
            found.append(("agency", "请填写第三方评估机构名称"))
        elif len(agency.strip()) > 100:
            found.append(("agency", "机构名称不超过100字"))
        if not contract.strip():
            found.append(("contract", "请填写委托合同编号"))
        elif len(contract.strip()) > 60:
            found.append(("contract", "合同编号不超过60字"))
        if not staff:
            found.append(("staff", "请选择参与评估的第三方机构人员"))
    return found
