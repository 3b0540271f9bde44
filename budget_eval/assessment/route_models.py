"""The record of the assessment route after a conclusion: the department's answer to 调整完善后予以支持
(the other assessment records are in models.py)."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import backref, Mapped, mapped_column, relationship

from budget_eval.assessment.models import Assessment
from budget_eval.platform.extensions import db
from budget_eval.platform.models.types import utcnow
from budget_eval.platform.models.user import User

if TYPE_CHECKING:
    from budget_eval.intake.models import Proposal


class AdjustmentResponse(db.Model):
    """The department's answer to a conclusion of 调整完善后予以支持: each opinion answered point by point (the
    opinion, what was changed, where), its 修改说明, the fields that changed against the assessed version, and
    finance's decision on it (confirmed / returned / new_round)."""

    __tablename__ = "adjustment_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), index=True)
    points: Mapped[list] = mapped_column(JSON)  # [{"opinion", "change", "where"}]
    explanation: Mapped[str] = mapped_column(Text)  # 修改说明
    changed: Mapped[list] = mapped_column(JSON)  # labels of the fields changed against the assessed version
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[str | None] = mapped_column(String(20))
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None]

    proposal: Mapped[Proposal] = relationship(
        backref=backref("adjustment_responses", cascade="all, delete-orphan", order_by="AdjustmentResponse.id"))
    assessment: Mapped[Assessment] = relationship()
    submitted_by: Mapped[User] = relationship(foreign_keys=[submitted_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def outcome_label(self) -> str:
        return {"confirmed": "财政局确认调整到位", "returned": "财政局退回继续调整",
                "new_round": "财政局决定重新组织评审"}.get(self.outcome or "", "待财政局确认")
