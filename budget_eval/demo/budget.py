"""Demo data for results reaching the budget (issue 19): both meeting kinds of rules/meetings.yaml, a decision with
per-year amounts and a cut (核减) with its reason, a project entered into the project library, one approved and
awaiting its entry, and one awaiting the meeting's decision (so every meeting form has a record to show)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from budget_eval.demo.data import T, TEXTS
from budget_eval.demo.route import pass_reviews
from budget_eval.intake import operations as proposals
from budget_eval.intake.domain.intake import FundYear, ProposalDraft
from budget_eval.intake.models import Proposal
from budget_eval.intake.rules import screening_rules
from budget_eval.meetings import operations as meetings
from budget_eval.meetings.models import MeetingItem
from budget_eval.platform.extensions import db
from budget_eval.platform.models.user import User

CUT_REASON = "2028年运维费按同类系统运维费标准核减50万元（评估意见：运维费测算偏高）"
WATERLOGGING = "城市内涝积水点智能监测预警系统"


def seed(users: dict[str, User], panel: list[User], to_finance_review: Callable[..., Proposal],
         score_and_conclude: Callable[..., None]) -> None:
    """主城区交通信号智能控制系统升级 (concluded 予以支持) goes before a 市政府常务会议, approved with 2028 cut by 50万元,
    and enters the project library; 城市内涝积水点智能监测预警系统 is approved in full by a 市长办公会议 and awaits its
    entry; 科技企业孵化器运营补助政策 (concluded 予以支持) awaits the next 市政府常务会议's decision. The demo package's
    own walk through the assessment is passed in (this module must not import the package that imports it)."""
    admin = users["admin"]
    signals, incubator = _proposal("主城区交通信号智能控制系统升级"), _proposal("科技企业孵化器运营补助政策")
    executive = meetings.create("", date(2027, 1, 20), [signals.id], "score", admin, "executive", 1)
    item_id = executive.items[0].id
    meetings.decide(executive.items[0], "approved", {2027: Decimal("800"), 2028: Decimal("600")}, CUT_REASON,
                    "同意实施，按评估意见压减运维费", admin)
    meetings.include(db.session.get(MeetingItem, item_id), date(2027, 1, 25), admin)

    waterlogging = _submit(users["chengguan"])
    to_finance_review(waterlogging, users["chengguan"], users["reviewer1"])
    score_and_conclude(waterlogging, panel, admin, "9.2", "监测点位布设依据充分，预警机制可行，建议予以支持。")
    pass_reviews(waterlogging, users)
    mayor = meetings.create("", date(2027, 2, 10), [waterlogging.id], "score", admin, "mayor", 1)
    meetings.decide(mayor.items[0], "approved", {2027: Decimal("900"), 2028: Decimal("500")}, "", "同意实施", admin)

    meetings.create("", date(2027, 2, 24), [incubator.id], "score", admin, "executive", 2)


def _submit(user: User) -> Proposal:
    draft = ProposalDraft(
        year=2027, name=WATERLOGGING, category="other", is_new=True, start_year=2027, end_year=2028,
        fund_years=(FundYear(2027, Decimal("900")), FundYear(2028, Decimal("500"))),
        sources={"general": Decimal("1400")},
        targets=(T("产出指标", "数量指标", "新建积水点监测站", "120", "个"),
                 T("效益指标", "社会效益指标", "易涝点预警提前时间", "≥30", "分钟"),
                 T("满意度指标", "服务对象满意度指标", "沿线居民满意度", "≥85", "%")),
        **TEXTS,
    )
    proposal = Proposal(department_id=user.department_id)
    proposals.submit(proposal, draft, user, screening_rules())
    return proposal


def _proposal(name: str) -> Proposal:
    return db.session.scalars(select(Proposal).where(Proposal.name == name)).one()
