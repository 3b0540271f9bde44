"""Meetings that take the decision of art. 5 (a kind from rules/meetings.yaml, e.g. 市长办公会议) and
the concluded projects put before them, with each decision's per-year amounts and the project library."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from budget_eval.meetings.domain.states import Decision, MEETING_ITEM, PROJECT_LIBRARY
from budget_eval.platform.extensions import db
from budget_eval.platform.models.constraints import race_guard, race_guard_where, state_check
from budget_eval.platform.models.stateful import Stateful
from budget_eval.platform.models.types import utcnow, Wan

if TYPE_CHECKING:
    from budget_eval.assessment.models import Assessment
    from budget_eval.intake.models import Proposal


class Meeting(db.Model):
    """A meeting of a kind from rules/meetings.yaml and the concluded projects put before it. The kind's name and
    art. 5's sentence are stored as they stood when the meeting was created, so its documents never change."""

    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    meeting_date: Mapped[date | None]
    kind: Mapped[str | None] = mapped_column(String(20))  # a code of rules/meetings.yaml's meeting_kinds
    kind_label: Mapped[str] = mapped_column(String(40), default="")  # its name when the meeting was created
    kind_quote: Mapped[str] = mapped_column(Text, default="")  # art. 5's sentence, verbatim
    kind_source: Mapped[str] = mapped_column(Text, default="")  # where the sentence is from
    session_no: Mapped[int | None]  # 第N次 within the year
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))

    items: Mapped[list[MeetingItem]] = relationship(
        cascade="all, delete-orphan", order_by="MeetingItem.position", back_populates="meeting"
    )
    # how many projects it takes and how many are decided, when a query counts them in SQL (the meetings list:
    # meetings/views.py), so a page of meetings does not load every item of each (issue 22)
    item_count: Mapped[int | None] = query_expression()
    decided_count: Mapped[int | None] = query_expression()


class MeetingItem(Stateful, db.Model):
    __tablename__ = "meeting_item"
    __table_args__ = (race_guard("meeting_id", "proposal_id"),
                      race_guard_where("uq_meeting_item_one_undecided", "proposal_id", "decision IS NULL"),
                      state_check(MEETING_ITEM), state_check(PROJECT_LIBRARY))

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"))
    position: Mapped[int]
    decision: Mapped[str | None] = mapped_column(String(20))  # approved/rejected/deferred
    approved_wan: Mapped[Decimal | None] = mapped_column(Wan)  # the sum of the years' approved amounts
    decision_note: Mapped[str] = mapped_column(Text, default="")
    cut_reason: Mapped[str] = mapped_column(Text, default="")  # 核减理由: why less than requested was arranged
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    library: Mapped[str | None] = mapped_column(String(20))  # PROJECT_LIBRARY's column: NULL, or included
    library_date: Mapped[date | None]  # 纳入项目库日期
    library_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    meeting: Mapped[Meeting] = relationship(back_populates="items")
    assessment: Mapped[Assessment] = relationship()
    proposal: Mapped[Proposal] = relationship()
    years: Mapped[list[MeetingItemYear]] = relationship(
        cascade="all, delete-orphan", order_by="MeetingItemYear.year", back_populates="item"
    )
    lifecycle = MEETING_ITEM
    more_lifecycles = (PROJECT_LIBRARY,)  # a second status: 纳入项目库, once approved

    @property
    def in_library(self) -> bool:
        return PROJECT_LIBRARY.state(self.library) is not PROJECT_LIBRARY.null_state

    @property
    def library_offered(self) -> bool:
        """纳入项目库 is offered: the meeting approved the project and the library's table allows the step now."""
        return (MEETING_ITEM.state(self.decision) is Decision.APPROVED
                and PROJECT_LIBRARY.allows(self.library, {"admin"}, "include"))


class MeetingItemYear(db.Model):
    """One year of a decision: the amount requested for it (as put before the meeting) and the amount approved."""

    __tablename__ = "meeting_item_year"
    __table_args__ = (race_guard("item_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("meeting_item.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    requested_wan: Mapped[Decimal] = mapped_column(Wan)
    approved_wan: Mapped[Decimal] = mapped_column(Wan)

    item: Mapped[MeetingItem] = relationship(back_populates="years")
