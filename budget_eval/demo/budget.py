"""Demo data for results reaching the budget (issue 19): the meeting kinds of rules/meetings.yaml, a decision with
per-year amounts and a cut (核减) with its reason, and an approved project entered into the project library."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from budget_eval.intake.models import Proposal
from budget_eval.meetings import operations as meetings
from budget_eval.meetings.models import MeetingItem
from budget_eval.platform.extensions import db
from budget_eval.platform.models.user import User

CUT_REASON = "2028年运维费按同类系统运维费标准核减50万元（评估意见：运维费测算偏高）"


def seed(admin: User) -> None:
    """主城区交通信号智能控制系统升级 (concluded 予以支持) goes before a 市政府常务会议 and is approved with 2028 cut by
    50万元; it enters the project library. 科技企业孵化器运营补助政策 (concluded 予以支持) waits on a 市长办公会议."""
    signals = _proposal("主城区交通信号智能控制系统升级")
    incubator = _proposal("科技企业孵化器运营补助政策")
    executive = meetings.create("", date(2027, 1, 20), [signals.id], "score", admin, "executive", 1)
    item = executive.items[0]
    meetings.decide(item, "approved", {2027: Decimal("800"), 2028: Decimal("600")}, CUT_REASON,
                    "同意实施，按评估意见压减运维费", admin)
    meetings.include(db.session.get(MeetingItem, item.id), date(2027, 1, 25), admin)
    meetings.create("", date(2027, 2, 24), [incubator.id], "score", admin, "mayor", 1)


def _proposal(name: str) -> Proposal:
    return db.session.scalars(select(Proposal).where(Proposal.name == name)).one()
