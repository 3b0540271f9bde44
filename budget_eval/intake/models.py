"""A proposed project or policy (项目申报) and what hangs off it."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, JSON, String, Text
from sqlalchemy.orm import backref, Mapped, mapped_column, relationship

from budget_eval.intake.domain.workflow import PROPOSAL, Status
from budget_eval.platform.extensions import db, TRGM_OPS
from budget_eval.platform.models.constraints import race_guard, state_check
from budget_eval.platform.models.department import Department
from budget_eval.platform.models.stateful import Stateful
from budget_eval.platform.models.types import Decimal2, utcnow, Wan
from budget_eval.platform.models.user import User


class Proposal(Stateful, db.Model):
    __tablename__ = "proposal"
    __table_args__ = (
        Index("ix_proposal_filters", "year", "category", "status"),
        Index("ix_proposal_recent", "updated_at", "id"),  # the list's order
        Index("ix_proposal_status_recent", "status", "updated_at", "id"),  # a state's latest (工作台, filters)
        # the name search (LIKE '%q%') on a pg_trgm GIN index on PostgreSQL (a plain index on SQLite)
        Index("ix_proposal_name_trgm", "name", postgresql_using="gin", postgresql_ops={"name": TRGM_OPS}),
        state_check(PROPOSAL),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int | None] = mapped_column(index=True)  # 预算年度
    name: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    category: Mapped[str | None] = mapped_column(String(20))  # a category code from rules/screening.yaml
    is_new: Mapped[bool | None]
    is_emergency: Mapped[bool] = mapped_column(default=False)
    emergency_reason: Mapped[str] = mapped_column(Text, default="")
    # a continuing item's kind, a silent case of rules/screening.yaml: continuing / expiring / changed
    nature: Mapped[str | None] = mapped_column(String(20))
    is_midyear: Mapped[bool] = mapped_column(default=False)  # raised in a mid-year budget adjustment
    amount_estimated: Mapped[bool] = mapped_column(default=False)  # a policy without a fixed amount
    estimate_basis: Mapped[str] = mapped_column(Text, default="")
    start_year: Mapped[int | None]
    end_year: Mapped[int | None]
    basis_text: Mapped[str] = mapped_column(Text, default="")
    plan_text: Mapped[str] = mapped_column(Text, default="")
    budget_text: Mapped[str] = mapped_column(Text, default="")
    # the sum of fund_years (this level's fiscal funds requested), kept here so list pages filter and sort
    fiscal_total_wan: Mapped[Decimal] = mapped_column(Wan, default=Decimal("0.00"))
    status: Mapped[str] = mapped_column(String(20), default=Status.DRAFT.value)
    # the latest screening outcome, for list filters; the record itself is in screening_record
    screening_outcome: Mapped[str | None] = mapped_column(String(20), index=True)
    # the latest assessment conclusion code, for lists (the assessment row holds the figures)
    conclusion: Mapped[str | None] = mapped_column(String(20))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]
    # the assessor of record (art. 2): the department itself, a third-party agency it commissioned, or finance
    # (intake.domain.assessor); chosen by finance before the self-assessment begins
    assessor_kind: Mapped[str | None] = mapped_column(String(20))
    assessor_agency: Mapped[str] = mapped_column(String(100), default="", server_default="")  # 第三方评估机构
    assessor_contract: Mapped[str] = mapped_column(String(60), default="", server_default="")  # 委托合同编号
    assessor_staff: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")  # the agency's users

    department: Mapped[Department] = relationship()
    created_by: Mapped[User] = relationship()
    fund_years: Mapped[list[FundYear]] = relationship(
        cascade="all, delete-orphan", order_by="FundYear.year", back_populates="proposal"
    )
    sources: Mapped[list[FundSource]] = relationship(cascade="all, delete-orphan", back_populates="proposal")
    targets: Mapped[list[PerformanceTarget]] = relationship(
        cascade="all, delete-orphan", order_by="PerformanceTarget.position", back_populates="proposal"
    )
    cost_lines: Mapped[list[CostLine]] = relationship(
        cascade="all, delete-orphan", order_by="CostLine.position", back_populates="proposal"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        cascade="all, delete-orphan", order_by="Attachment.uploaded_at", back_populates="proposal"
    )
    screenings: Mapped[list[ScreeningRecord]] = relationship(
        cascade="all, delete-orphan", order_by="ScreeningRecord.id", back_populates="proposal"
    )
    events: Mapped[list[ProposalEvent]] = relationship(
        cascade="all, delete-orphan", order_by="ProposalEvent.id", back_populates="proposal"
    )
    versions: Mapped[list[ProposalVersion]] = relationship(
        cascade="all, delete-orphan", order_by="ProposalVersion.number"
    )
    # assessment adds assessments, materials and self_assessment (backrefs declared in assessment.models)

    lifecycle = PROPOSAL

    @property
    def is_revising(self) -> bool:
        return self.state is Status.REVISING

    @property
    def in_rework(self) -> bool:  # revising after 调整完善, or correcting a returned report: edits, no new submission
        return self.status in (Status.REVISING, Status.CORRECTING)  # a new proposal's status is None until saved

    @property
    def is_decided(self) -> bool:  # a project the last meeting deferred (暂缓) is back in this state
        return self.state is Status.DECIDED

    @property
    def current_assessment(self):
        """The latest assessment round, or None."""
        return self.assessments[-1] if self.assessments else None

    @property
    def latest_screening(self) -> ScreeningRecord | None:
        return self.screenings[-1] if self.screenings else None


class ReportReview(db.Model):
    """One review of the assessment report (art. 5): by the sector authority or by finance, in one cycle of
    reviews (a return for correction ends a cycle), with its result, opinion, who and when. Written once."""

    __tablename__ = "report_review"
    __table_args__ = (race_guard("proposal_id", "cycle", "reviewer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    cycle: Mapped[int]
    reviewer: Mapped[str] = mapped_column(String(20))  # sector / finance
    passed: Mapped[bool]  # 通过, or 退回补正
    opinion: Mapped[str] = mapped_column(Text)  # 审核意见, or the reasons for the return
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))  # the sector authority
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    proposal: Mapped[Proposal] = relationship(
        backref=backref("report_reviews", cascade="all, delete-orphan", order_by="ReportReview.id"))
    department: Mapped[Department | None] = relationship()
    user: Mapped[User] = relationship()


class FundYear(db.Model):
    """Fiscal funds requested from this level for one year of the implementation period."""

    __tablename__ = "fund_year"
    __table_args__ = (race_guard("proposal_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    amount_wan: Mapped[Decimal] = mapped_column(Wan)

    proposal: Mapped[Proposal] = relationship(back_populates="fund_years")


class FundSource(db.Model):
    """How much of the total investment comes from one funding source (a code from rules/intake.yaml)."""

    __tablename__ = "fund_source"
    __table_args__ = (race_guard("proposal_id", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(20))
    amount_wan: Mapped[Decimal] = mapped_column(Wan)

    proposal: Mapped[Proposal] = relationship(back_populates="sources")


class PerformanceTarget(db.Model):
    """One row of the 绩效目标 table: 一级/二级/三级指标, 比较方式, 指标值, 计量单位, 指标值设定依据, and the
    year it belongs to (NULL: the whole implementation period)."""

    __tablename__ = "performance_target"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    level1: Mapped[str] = mapped_column(String(20))
    level2: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200))
    value: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(30))
    comparator: Mapped[str] = mapped_column(String(10), default="")
    basis: Mapped[str] = mapped_column(Text, default="")
    year: Mapped[int | None]

    proposal: Mapped[Proposal] = relationship(back_populates="targets")


class CostLine(db.Model):
    """One line of the 费用明细 (the 预算测算 as a table): item, quantity × unit price (元) = amount (万元), the
    basis of the price (a code of rules/economy.yaml: 定额, 市场询价, 历史合同, 其他) with its document, and the
    output target (三级指标) it produces."""

    __tablename__ = "cost_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    item: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[Decimal | None] = mapped_column(Decimal2)
    unit: Mapped[str] = mapped_column(String(30), default="")
    unit_price_yuan: Mapped[Decimal | None] = mapped_column(Decimal2)
    amount_wan: Mapped[Decimal | None] = mapped_column(Wan)
    basis: Mapped[str] = mapped_column(String(20), default="")
    document: Mapped[str] = mapped_column(Text, default="")
    target: Mapped[str] = mapped_column(String(200), default="")

    proposal: Mapped[Proposal] = relationship(back_populates="cost_lines")


class Attachment(db.Model):
    """A file kept in the attachment store (outside the database), named by a random key."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))  # as the user named it, for display and download
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="attachments")
    uploaded_by: Mapped[User] = relationship()


class ScreeningRecord(db.Model):
    """A screening result as decided, with the rule version that decided it (art. 5)."""

    __tablename__ = "screening_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    basis: Mapped[str] = mapped_column(Text)
    fiscal_total_wan: Mapped[Decimal] = mapped_column(Wan)  # the amount compared with the threshold
    amount_estimated: Mapped[bool] = mapped_column(default=False)  # … an estimate (policy without fixed amount)
    threshold_wan: Mapped[Decimal | None] = mapped_column(Wan)
    rule_set: Mapped[str] = mapped_column(String(100))
    rule_version: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))

    proposal: Mapped[Proposal] = relationship(back_populates="screenings")


class ProposalEvent(db.Model):
    """One entry of a proposal's history: who did what, when, and why."""

    __tablename__ = "proposal_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")

    proposal: Mapped[Proposal] = relationship(back_populates="events")
    user: Mapped[User] = relationship()


class ProposalVersion(db.Model):
    """The proposal's data as submitted to finance review; revisions add versions, never overwrite."""
    __tablename__ = "proposal_version"
    __table_args__ = (race_guard("proposal_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    snapshot: Mapped[dict] = mapped_column(JSON, deferred=True)  # large: loaded when read (issue 22)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))


class SplitFlag(db.Model):
    """疑似拆分 (issue 26): this proposal and its department's alike ones within rules/economy.yaml's window, each under
    the art. 5 threshold, reach it together; evidence as found; an admin decides once (together, or not: why)."""
    __tablename__ = "split_flag"
    __table_args__ = (race_guard("proposal_id", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(20))  # screening / acceptance
    group_ids: Mapped[list] = mapped_column(JSON)
    total_wan: Mapped[Decimal] = mapped_column(Wan)
    threshold_wan: Mapped[Decimal] = mapped_column(Wan)
    evidence: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decision: Mapped[str | None] = mapped_column(String(20))  # together / apart
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None]

    proposal: Mapped[Proposal] = relationship(
        backref=backref("split_flags", cascade="all, delete-orphan", order_by="SplitFlag.id"))
    decided_by: Mapped[User | None] = relationship()
