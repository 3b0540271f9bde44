"""The history of every lifecycle other than the proposal's own (which keeps its proposal_event table)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from budget_eval.platform.extensions import db
from budget_eval.platform.models.types import utcnow


class StateEvent(db.Model):
    """One transition of one record: which lifecycle, which record, from what to what, who, when, why."""

    __tablename__ = "state_event"
    __table_args__ = (Index("ix_state_event_record", "lifecycle", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lifecycle: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
