"""投入经济性 records (issue 26): the imported unit-cost library rows (historical contract prices, 定额) and the
findings a reviewer records from the comparison and the cost–benefit calculator. Kept apart from the scoring
tables so the generic "methods used" record can link to them."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, JSON, String, Text
from sqlalchemy.orm import backref, Mapped, mapped_column, relationship

from budget_eval.assessment.models import Assessment
from budget_eval.platform.extensions import db
from budget_eval.platform.models.constraints import race_guard
from budget_eval.platform.models.types import Decimal2, utcnow, Wan
from budget_eval.platform.models.user import User


class UnitCostRecord(db.Model):
    """One imported unit cost: a past contract price (历史合同) or a 定额 standard, per output type and unit, of a
    year, with the document it comes from and the file row it was read from; approved and actual amounts where
    known (for the optimism-bias uplift)."""

    __tablename__ = "unit_cost_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # contract / quota
    output_type: Mapped[str] = mapped_column(String(20), index=True)  # a code of rules/economy.yaml
    item: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(30))
    year: Mapped[int]
    unit_price_yuan: Mapped[Decimal] = mapped_column(Decimal2)
    category: Mapped[str] = mapped_column(String(20), default="")
    department: Mapped[str] = mapped_column(String(100), default="")
    document: Mapped[str] = mapped_column(Text, default="")  # 合同编号 / 定额名称
    approved_wan: Mapped[Decimal | None] = mapped_column(Wan)
    actual_wan: Mapped[Decimal | None] = mapped_column(Wan)
    source_file: Mapped[str] = mapped_column(String(255))
    source_row: Mapped[int]
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))


class EconomyFinding(db.Model):
    """A finding on 投入经济性 recorded by a reviewer: the method (比较法, 标杆管理法, 成本效益分析法, 最低成本法),
    what it found in words, the figures it rests on (JSON, as computed) and their sources. One per round and
    method; recording again replaces it (audited)."""

    __tablename__ = "economy_finding"
    __table_args__ = (race_guard("assessment_id", "method"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(Text)
    figures: Mapped[dict] = mapped_column(JSON)
    sources: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    assessment: Mapped[Assessment] = relationship(
        backref=backref("economy_findings", cascade="all, delete-orphan", order_by="EconomyFinding.id"))
    created_by: Mapped[User] = relationship()
