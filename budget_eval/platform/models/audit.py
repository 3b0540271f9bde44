from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from budget_eval.platform.extensions import db, TRGM_OPS
from budget_eval.platform.models.types import utcnow


class AuditEvent(db.Model):
    """One line of the audit log: logins, state changes, score changes, rule-set changes, admin changes."""

    __tablename__ = "audit_event"
    # the audit search (LIKE '%q%' on subject or detail) on pg_trgm GIN indexes on PostgreSQL (plain on SQLite)
    __table_args__ = (
        Index("ix_audit_event_subject_trgm", "subject", postgresql_using="gin",
              postgresql_ops={"subject": TRGM_OPS}),
        Index("ix_audit_event_detail_trgm", "detail", postgresql_using="gin", postgresql_ops={"detail": TRGM_OPS}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    username: Mapped[str] = mapped_column(String(64), default="")
    kind: Mapped[str] = mapped_column(String(20), index=True)
    subject: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
