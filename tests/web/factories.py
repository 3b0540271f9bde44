"""Build records for web tests (inside the app context)."""
from __future__ import annotations

import itertools
from decimal import Decimal

from flask import current_app

from budget_eval.intake.domain.intake import FundYear, ProposalDraft, Target
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.platform.models.department import Department
from budget_eval.intake.models import Proposal
from budget_eval.platform.models.user import User
from budget_eval.intake import operations as proposals
from budget_eval.intake.rules import screening_rules
from budget_eval.platform.audit import system

PASSWORD = "correct-horse-1"
TESTER = system("测试准备数据")  # the audited actor of set-up steps that no user of the test takes
_seq = itertools.count(1)


class Factory:
    def department(self, name: str | None = None, authority: Department | None = None) -> Department:
        department = Department(name=name or f"测试部门{next(_seq)}", authority=authority)
        db.session.add(department)
        db.session.commit()
        return department

    def user(self, role: Role, department: Department | None = None, username: str | None = None) -> User:
        if role is Role.DEPARTMENT and department is None:
            department = self.department()
        user = User(username=username or f"{role.value}{next(_seq)}", display_name=f"{role.label}{next(_seq)}",
                    role=role, department=department)
        user.set_password(PASSWORD, current_app.config["PASSWORD_HASH_METHOD"])
        db.session.add(user)
        db.session.commit()
        return user

    def draft(self, **fields) -> ProposalDraft:
        """A complete proposal: new infrastructure, 2.5亿元 over 2027–2028."""
        values = dict(
            name="城西综合交通枢纽配套道路工程",
            year=2027,
            category="infra",
            is_new=True,
            start_year=2027,
            end_year=2028,
            fund_years=(FundYear(2027, Decimal("10000")), FundYear(2028, Decimal("15000"))),
            sources={"general": Decimal("15000"), "bond": Decimal("10000")},
            basis_text="依据规划",
            plan_text="分三阶段实施",
            budget_text="按定额测算",
            targets=(Target("产出指标", "数量指标", "新建道路里程", "12.5", "公里", "≥", "可研批复"),),
        )
        values.update(fields)
        return ProposalDraft(**values)

    def proposal(self, user: User, *, submit: bool = False, **fields) -> Proposal:
        proposal = Proposal(department_id=user.department_id)
        draft = self.draft(**fields)
        if submit:
            proposals.submit(proposal, draft, user, screening_rules())
        else:
            proposals.save_draft(proposal, draft, user)
        return proposal


def form_post(**overrides) -> dict:
    """The POST body of a complete proposal form (2.5亿元 new infrastructure)."""
    data = {
        "name": "城西综合交通枢纽配套道路工程",
        "year": "2027",
        "category": "infra",
        "is_new": "new",
        "start_year": "2027",
        "end_year": "2028",
        "fund_years-0-year": "2027",
        "fund_years-0-amount": "10,000",
        "fund_years-1-year": "2028",
        "fund_years-1-amount": "15000.00",
        "sources-general": "15000",
        "sources-bond": "10000",
        "basis_text": "依据《杭州市综合交通规划》",
        "plan_text": "分三阶段实施",
        "budget_text": "按定额测算",
        "targets-0-level1": "产出指标",
        "targets-0-level2": "数量指标",
        "targets-0-name": "新建道路里程",
        "targets-0-value": "12.5",
        "targets-0-unit": "公里",
        "targets-0-comparator": "≥",
        "targets-0-basis": "可研批复",
        "action": "submit",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
