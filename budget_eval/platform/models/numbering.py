"""Per-year counters for document numbers (发文字号): one row per kind and year."""
from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from budget_eval.platform.extensions import db
from budget_eval.platform.models.constraints import race_guard


class DocumentCounter(db.Model):
    __tablename__ = "document_counter"
    __table_args__ = (race_guard("kind", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    year: Mapped[int]
    last_number: Mapped[int] = mapped_column(default=0)
