from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from budget_eval.platform.extensions import db
from budget_eval.platform.models.constraints import race_guard
from budget_eval.platform.models.types import utcnow


class Department(db.Model):
    """A city department (预算单位). Its parent unit (authority, 主管部门) reviews its self-assessments; its sector
    authority (行业主管部门, set by admins, may differ from the parent unit or be none) reviews its assessment
    reports beside the finance bureau (art. 5)."""

    __tablename__ = "department"
    __table_args__ = (race_guard("name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    authority_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    sector_authority_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    active: Mapped[bool] = mapped_column(default=True)
    # the department's group in the departmental evaluation (a group code of the scheme, e.g. city/dual)
    eval_group: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    authority: Mapped[Department | None] = relationship(remote_side=[id], foreign_keys=[authority_id])
    sector_authority: Mapped[Department | None] = relationship(remote_side=[id], foreign_keys=[sector_authority_id])

    def __repr__(self) -> str:
        return f"<Department {self.name}>"
