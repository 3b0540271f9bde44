"""The departmental evaluation (部门综合考评): a year under a scheme, its units, inputs, results, appeals."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from budget_eval.evaluation.domain.comment_lifecycles import Commitment, COMMITMENT, Feedback, FEEDBACK
from budget_eval.evaluation.domain.states import APPEAL, AppealStatus, INNOVATION, InnovationStatus, YEAR, YearStatus
from budget_eval.platform.extensions import db
from budget_eval.platform.models.constraints import race_guard, race_guard_where, state_check
from budget_eval.platform.models.department import Department
from budget_eval.platform.models.stateful import Stateful
from budget_eval.platform.models.types import Decimal2, utcnow


class EvaluationYear(Stateful, db.Model):
    """One year's evaluation, run under the scheme (kept as data) that the office chose."""

    __tablename__ = "evaluation_year"
    __table_args__ = (race_guard("year"), state_check(YEAR))

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    scheme_code: Mapped[str] = mapped_column(String(40))
    scheme_snapshot: Mapped[dict] = mapped_column(JSON)
    scheme_version: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20), default=YearStatus.OPEN.value)
    published_at: Mapped[datetime | None]
    appeal_deadline: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    notice_number: Mapped[str | None] = mapped_column(String(60))  # 结果通报的发文字号, given once
    # versions of the year's comments (issue 22), raised in the writer's own transaction by evaluation/versions.py
    # (never through these attributes): the stored analyses are keyed by them, so a page knows with one row whether
    # they still hold. comments_version: the comments, their routing and merging (the city's and units' words);
    # feedback_version: also their 反馈确认 state (a unit's confirmed comments)
    comments_version: Mapped[int] = mapped_column(default=0, server_default="0")
    feedback_version: Mapped[int] = mapped_column(default=0, server_default="0")

    units: Mapped[list[EvaluationUnit]] = relationship(
        cascade="all, delete-orphan", order_by="EvaluationUnit.id", back_populates="year"
    )
    lifecycle = YEAR

    @property
    def is_open(self) -> bool:
        return self.state is YearStatus.OPEN

    @property
    def is_published(self) -> bool:
        return self.state is YearStatus.PUBLISHED

    @property
    def is_withdrawn(self) -> bool:
        """Published once, then withdrawn (撤回) and not yet published again as a correction."""
        return self.is_open and self.published_at is not None


class EvaluationUnit(db.Model):
    """A department in a year's evaluation: its group, inputs and (once computed) its result."""

    __tablename__ = "evaluation_unit"
    __table_args__ = (race_guard("year_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("evaluation_year.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    group: Mapped[str] = mapped_column(String(20))
    vetoes: Mapped[list] = mapped_column(JSON, default=list)  # veto items that occurred
    manual_rates: Mapped[dict] = mapped_column(JSON, default=dict)  # component code → "0.92" (manual sources)
    adjustment: Mapped[Decimal] = mapped_column(Decimal2, default=Decimal("0.00"))  # appeal corrections
    special_promotion: Mapped[bool] = mapped_column(default=False)  # nominated by the office for 专项晋优
    # component code → the office's reason why this unit has no data for it, recorded when the year is published
    missing_reasons: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    # the result as last computed
    components: Mapped[dict | None] = mapped_column(JSON)
    satisfaction_rate: Mapped[Decimal | None] = mapped_column(Decimal2)  # percent
    total: Mapped[Decimal | None] = mapped_column(Decimal2)
    rank: Mapped[int | None]
    grade: Mapped[str | None] = mapped_column(String(20))
    adjust_leadership: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[list] = mapped_column(JSON, default=list)

    year: Mapped[EvaluationYear] = relationship(back_populates="units")
    department: Mapped[Department] = relationship()
    targets: Mapped[list[EvalTarget]] = relationship(cascade="all, delete-orphan", order_by="EvalTarget.id")
    deductions: Mapped[list[Deduction]] = relationship(cascade="all, delete-orphan", order_by="Deduction.id")
    leader_scores: Mapped[list[LeaderScore]] = relationship(cascade="all, delete-orphan")
    innovations: Mapped[list[Innovation]] = relationship(cascade="all, delete-orphan", order_by="Innovation.id")
    appeals: Mapped[list[Appeal]] = relationship(cascade="all, delete-orphan", order_by="Appeal.id")
    changes: Mapped[list[ScoreChange]] = relationship(cascade="all, delete-orphan", order_by="ScoreChange.id")
    rectifications: Mapped[list[Rectification]] = relationship(
        cascade="all, delete-orphan", order_by="Rectification.id"
    )


class EvalTarget(db.Model):
    """A target from the department's 绩效管理责任书, with its weight and the office's year-end score."""

    __tablename__ = "eval_target"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("evaluation_unit.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    weight: Mapped[Decimal] = mapped_column(Decimal2)
    score: Mapped[Decimal | None] = mapped_column(Decimal2)  # 0–100
    progress: Mapped[str] = mapped_column(Text, default="")  # the department's progress reports

    evidence: Mapped[list[Evidence]] = relationship(cascade="all, delete-orphan", order_by="Evidence.id")


class Evidence(db.Model):
    """A file supporting a progress report (佐证材料), kept in the attachment store."""

    __tablename__ = "eval_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("eval_target.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int]
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Deduction(db.Model):
    """A deduction from the office's checks (明察暗访), with its reason."""

    __tablename__ = "eval_deduction"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("evaluation_unit.id", ondelete="CASCADE"), index=True)
    points: Mapped[Decimal] = mapped_column(Decimal2)
    reason: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LeaderScore(db.Model):
    __tablename__ = "eval_leader_score"
    __table_args__ = (race_guard("unit_id", "leader"),)  # one score per leader per unit

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("evaluation_unit.id", ondelete="CASCADE"), index=True)
    leader: Mapped[str] = mapped_column(String(64))
    score: Mapped[Decimal] = mapped_column(Decimal2)  # 0–100


class Innovation(Stateful, db.Model):
    """An innovation project (创新创优) declared by the department; points count once experts verify them."""

    __tablename__ = "eval_innovation"
    __table_args__ = (state_check(INNOVATION),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("evaluation_unit.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    claimed: Mapped[Decimal] = mapped_column(Decimal2)
    verified: Mapped[Decimal | None] = mapped_column(Decimal2)
    status: Mapped[str] = mapped_column(String(20), default=InnovationStatus.DECLARED.value)
    verify_note: Mapped[str] = mapped_column(Text, default="")
    lifecycle = INNOVATION


class SurveyResponse(Stateful, db.Model):
    """One respondent's answer about one department (社会评价), with an optional comment."""

    __tablename__ = "survey_response"
    __table_args__ = (
        race_guard("year_id", "respondent", "department_id"),
        Index("ix_survey_response_year_department", "year_id", "department_id"),
        # the merged comments of one: without it, deleting or merging at city scale checks every row per row
        Index("ix_survey_response_merged_into_id", "merged_into_id"),
        state_check(FEEDBACK),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("evaluation_year.id", ondelete="CASCADE"))
    respondent: Mapped[str] = mapped_column(String(64))
    group: Mapped[str] = mapped_column(String(40))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    answer: Mapped[str] = mapped_column(String(10))
    comment: Mapped[str | None] = mapped_column(Text)
    # 反馈确认: the office confirms the routing before the unit sees the comment (may re-route or merge it)
    feedback_status: Mapped[str] = mapped_column(String(20), default=Feedback.PENDING.value,
                                                 server_default=Feedback.PENDING.value)
    routed_department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("survey_response.id"))
    lifecycle = FEEDBACK


class Appeal(Stateful, db.Model):
    """A department's appeal (申诉) against its published result, and the office's decision."""

    __tablename__ = "eval_appeal"
    __table_args__ = (race_guard_where("uq_eval_appeal_one_pending", "unit_id", f"status = '{AppealStatus.FILED}'"),
                      state_check(APPEAL))

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("evaluation_unit.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=AppealStatus.FILED.value)
    decision: Mapped[str] = mapped_column(Text, default="")
    change: Mapped[Decimal | None] = mapped_column(Decimal2)  # points added (or taken) by the decision
    filed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    filed_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None]
    lifecycle = APPEAL


class ScoreChange(db.Model):
    """Any change to a unit's score or grade after publication: who, when, why, from what to what."""

    __tablename__ = "eval_score_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("evaluation_unit.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(String(100))
    before: Mapped[str] = mapped_column(String(100))
    after: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Rectification(Stateful, db.Model):
    """The department's response (回应) to public comments on a topic and its rectification (整改)."""

    __tablename__ = "eval_rectification"
    __table_args__ = (state_check(COMMITMENT),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("evaluation_unit.id", ondelete="CASCADE"), index=True)
    topic: Mapped[str] = mapped_column(String(100))  # a hot word or the issue raised
    response: Mapped[str] = mapped_column(Text, default="")  # 回应
    measures: Mapped[str] = mapped_column(Text, default="")  # the rectification target and measures
    deadline: Mapped[date | None]
    public: Mapped[bool] = mapped_column(default=False, server_default="0")  # 向社会公开承诺 or internal
    status: Mapped[str] = mapped_column(String(20), default=Commitment.COMMITTED.value)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    lifecycle = COMMITMENT
