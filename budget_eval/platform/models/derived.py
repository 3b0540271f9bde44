"""A derived figure (hot words, survey aggregates, reviewers' workload): computed once when its inputs change and
stored, so pages read one row instead of recomputing over the data on every view and in every worker."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from budget_eval.platform.extensions import db
from budget_eval.platform.models.types import utcnow


class DerivedFigure(db.Model):
    """Written only by platform/derived.py; deleted (invalidated) by the actions that change its inputs."""

    __tablename__ = "derived_figure"
    __table_args__ = {"info": {"derived": True}}  # not kept by backups (platform/backup.py): recomputed on use

    kind: Mapped[str] = mapped_column(String(40), primary_key=True)  # e.g. hotwords, workload
    key: Mapped[str] = mapped_column(String(200), primary_key=True)  # e.g. year:3, with the inputs' version
    value: Mapped[bytes] = mapped_column(LargeBinary)  # pickled by platform/derived.py
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
