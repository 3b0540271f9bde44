"""From public comments to rectification: stored hot-word issues, 跟踪督办 items and each lifecycle's history."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from budget_eval.evaluation.domain.comment_lifecycles import Supervision, SUPERVISION
from budget_eval.platform.extensions import db
from budget_eval.platform.models.constraints import race_guard, race_guard_where, state_check
from budget_eval.platform.models.department import Department
from budget_eval.platform.models.stateful import Stateful
from budget_eval.platform.models.types import utcnow


class HotWordIssue(db.Model):
    """One distinct issue behind a hot word (city-wide or one unit's), as the office edited and confirmed it."""

    __tablename__ = "hot_word_issue"
    # stored once per (year, unit or the city, word): two offices keeping the same word at once store one list
    __table_args__ = (race_guard("year_id", "department_id", "word", "position"),
                      race_guard_where("uq_hot_word_issue_city", ("year_id", "word", "position"),
                                       "department_id IS NULL"))

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("evaluation_year.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))  # None: the city
    word: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(Text)
    count: Mapped[int] = mapped_column(default=0)
    confirmed: Mapped[bool] = mapped_column(default=False)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    confirmed_at: Mapped[datetime | None]


class SupervisionItem(Stateful, db.Model):
    """A 跟踪督办 item: a lead unit and supporting units, tracked to a check date; the result feeds next year."""

    __tablename__ = "supervision_item"
    __table_args__ = (state_check(SUPERVISION), race_guard("year_id", "title"))  # one item per title a year

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("evaluation_year.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    hot_word: Mapped[str] = mapped_column(String(100), default="")
    lead_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    check_date: Mapped[date]
    status: Mapped[str] = mapped_column(String(20), default=Supervision.TRACKING.value)
    progress: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[str | None] = mapped_column(String(20))  # a result named in the scheme's rules
    result_note: Mapped[str] = mapped_column(Text, default="")
    checked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    lead: Mapped[Department] = relationship(foreign_keys=[lead_id])
    supporters: Mapped[list[SupervisionSupport]] = relationship(cascade="all, delete-orphan",
                                                                order_by="SupervisionSupport.id")
    lifecycle = SUPERVISION


class SupervisionSupport(db.Model):
    __tablename__ = "supervision_support"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("supervision_item.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))

    department: Mapped[Department] = relationship()


class LifecycleEvent(db.Model):
    """Every status change of a comment, commitment or 督办 item: who, when, from what to what, why."""

    __tablename__ = "lifecycle_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)  # feedback / commitment / supervision
    entity_id: Mapped[int] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(String(30))
    before: Mapped[str] = mapped_column(String(20))
    after: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
