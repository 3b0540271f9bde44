"""The last good versions of the rule files (rules/*.yaml …), kept in the database so that a process starting
while a file is broken still has rules to use (platform/rules.py: a file is kept once it has loaded)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from budget_eval.platform.extensions import db
from budget_eval.platform.models.constraints import race_guard
from budget_eval.platform.models.types import utcnow


class RuleFileCopy(db.Model):
    __tablename__ = "rule_file_copy"
    __table_args__ = (race_guard("name", "sha256"), Index("ix_rule_file_copy_name_id", "name", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))  # its path under the rules folder, e.g. screening.yaml
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    stored_at: Mapped[datetime] = mapped_column(default=utcnow)
