"""Executive meetings (市政府常务会议) and the concluded projects put before them."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from budget_eval.meetings.domain.states import MEETING_ITEM
from budget_eval.platform.extensions import db
from budget_eval.platform.models.constraints import race_guard, race_guard_where, state_check
from budget_eval.platform.models.stateful import Stateful
from budget_eval.platform.models.types import utcnow, Wan

if TYPE_CHECKING:
    from budget_eval.assessment.models import Assessment
    from budget_eval.intake.models import Proposal


class Meeting(db.Model):
    """An executive meeting (市政府常务会议) and the concluded projects put before it."""

    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    meeting_date: Mapped[date | None]
    kind: Mapped[str | None] = mapped_column(String(20))  # a code of meetings.operations.KINDS
    session_no: Mapped[int | None]  # 第N次 within the year
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))

    items: Mapped[list[MeetingItem]] = relationship(
        cascade="all, delete-orphan", order_by="MeetingItem.position", back_populates="meeting"
    )


class MeetingItem(Stateful, db.Model):
    __tablename__ = "meeting_item"
    __table_args__ = (race_guard("meeting_id", "proposal_id"),
                      race_guard_where("uq_meeting_item_one_undecided", "proposal_id", "decision IS NULL"),
                      state_check(MEETING_ITEM))

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"))
    position: Mapped[int]
    decision: Mapped[str | None] = mapped_column(String(20))  # approved/rejected/deferred
    approved_wan: Mapped[Decimal | None] = mapped_column(Wan)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    meeting: Mapped[Meeting] = relationship(back_populates="items")
    assessment: Mapped[Assessment] = relationship()
    proposal: Mapped[Proposal] = relationship()
    lifecycle = MEETING_ITEM
