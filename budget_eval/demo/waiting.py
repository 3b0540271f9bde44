"""Demo data of issue 21, point 5: a submission waiting for 受理 (the admin's 工作台 shows 待受理; the other
submitted items are screened out and closed as 无需评估)."""
from __future__ import annotations

from decimal import Decimal

from budget_eval.demo.data import T, TEXTS
from budget_eval.intake import operations as proposals
from budget_eval.intake.domain.intake import FundYear, ProposalDraft
from budget_eval.intake.models import Proposal
from budget_eval.intake.rules import screening_rules
from budget_eval.platform.models.user import User

NAME = "城市应急避难场所提升改造工程"


def seed(users: dict[str, User]) -> Proposal:
    # the item in 材料审查 has the department's study uploaded, so its materials can be marked 已收 as that file
    from sqlalchemy import select

    from budget_eval.demo.review import attach_study
    from budget_eval.platform.extensions import db

    checking = db.session.scalar(select(Proposal).where(Proposal.name == "天子岭生活垃圾分类处置中心扩建工程"))
    if checking is not None and not checking.attachments:
        attach_study(checking, checking.created_by)
    staff = users["yingji"]
    draft = ProposalDraft(
        year=2027, name=NAME, category="other", is_new=True, start_year=2027, end_year=2028,
        fund_years=(FundYear(2027, Decimal("1800")), FundYear(2028, Decimal("1200"))),
        sources={"general": Decimal("3000")},
        targets=(T("产出指标", "数量指标", "提升改造避难场所", "24", "处"),
                 T("效益指标", "社会效益指标", "人均避难面积", "≥1.5", "平方米"),
                 T("满意度指标", "服务对象满意度指标", "周边居民满意度", "≥85", "%")),
        **TEXTS,
    )
    proposal = Proposal(department_id=staff.department_id)
    proposals.submit(proposal, draft, staff, screening_rules())
    return proposal
