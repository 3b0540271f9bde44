"""The assessment workflow's records: versions, materials, self-assessment, panel rounds, meetings."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from typing import TYPE_CHECKING

from sqlalchemy import Index, JSON, ForeignKey, String, Text, text
from sqlalchemy.orm import backref, Mapped, mapped_column, relationship

from budget_eval.assessment.domain.states import CLEARED, MATERIAL, MaterialStatus, OPEN_ROUND_SQL, RoundStatus, ROUND, \
    SELF_ASSESSMENT, SelfStatus, SHEET, SheetStatus, SHEETS_IN, UNSEATED, WAITING
from budget_eval.platform.extensions import db
from budget_eval.platform.models.constraints import race_guard, race_guard_where, state_check
from budget_eval.platform.models.stateful import Stateful
from budget_eval.platform.models.types import Decimal2, utcnow, Wan
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.models.user import User

if TYPE_CHECKING:
    from budget_eval.intake.models import Attachment, Proposal, ProposalVersion


class MaterialItem(Stateful, db.Model):
    """One line of the materials checklist (rules/materials.yaml) as checked by finance staff."""

    __tablename__ = "material_item"
    __table_args__ = (race_guard("proposal_id", "code"), state_check(MATERIAL))

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    code: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(100))
    required: Mapped[bool]
    status: Mapped[str] = mapped_column(String(20), default=MaterialStatus.PENDING.value)
    note: Mapped[str] = mapped_column(Text, default="")
    waived: Mapped[bool] = mapped_column(default=False)
    waive_reason: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime | None]
    # the proposal's attachment this item was received as (已收 needs one, or a waiver)
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id", ondelete="SET NULL"))

    attachment: Mapped[Attachment | None] = relationship()
    proposal: Mapped[Proposal] = relationship(
        backref=backref("materials", cascade="all, delete-orphan", order_by="MaterialItem.position")
    )
    lifecycle = MATERIAL


class SelfAssessment(Stateful, db.Model):
    """The department's own scoring (部门自评) with its facts, problems and judgement per dimension."""

    __tablename__ = "self_assessment"
    __table_args__ = (race_guard("proposal_id"), state_check(SELF_ASSESSMENT))

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"))
    rules_snapshot: Mapped[dict] = mapped_column(JSON, deferred=True, deferred_group="large_json")
    rules_version: Mapped[str] = mapped_column(String(80))
    scores: Mapped[dict] = mapped_column(JSON, default=dict)  # indicator key → "9.50"
    notes: Mapped[dict] = mapped_column(JSON, default=dict)  # dimension code → {facts, problems, judgement}
    status: Mapped[str] = mapped_column(String(20), default=SelfStatus.DRAFT.value)
    submitted_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewed_at: Mapped[datetime | None]
    review_note: Mapped[str] = mapped_column(Text, default="")

    proposal: Mapped[Proposal] = relationship(
        backref=backref("self_assessment", uselist=False, cascade="all, delete-orphan")
    )
    lifecycle = SELF_ASSESSMENT


class Assessment(Stateful, db.Model):
    """One round of finance assessment (财政评估) of one proposal version, with its conclusion."""

    __tablename__ = "assessment"
    __table_args__ = (race_guard("proposal_id", "round"),
                      race_guard_where("uq_assessment_one_open_round", "proposal_id", f"status = '{RoundStatus.OPEN}'"),
                      state_check(ROUND),
                      # the 工作台's two lists of open rounds (assessment/worklist.py), each read in deadline order
                      # from only the rounds it lists: nobody seated, and every sheet in with at least one
                      Index("ix_assessment_open_unseated", "deadline", "id",
                            sqlite_where=text(UNSEATED), postgresql_where=text(UNSEATED)),
                      Index("ix_assessment_open_sheets_in", "deadline", "id",
                            sqlite_where=text(SHEETS_IN), postgresql_where=text(SHEETS_IN)),
                      # the pipeline's overdue reviews: the open rounds in deadline order, and their capped count
                      # read from the index alone (proposal_id for the join to the proposal)
                      Index("ix_assessment_open_deadline", "deadline", "id", "proposal_id",
                            sqlite_where=text(OPEN_ROUND_SQL), postgresql_where=text(OPEN_ROUND_SQL)))

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    round: Mapped[int]
    version_id: Mapped[int] = mapped_column(ForeignKey("proposal_version.id"))
    # the scoring rules and template this round uses; large JSON columns are loaded when read (issue 22)
    rules_snapshot: Mapped[dict] = mapped_column(JSON, deferred=True, deferred_group="large_json")
    rules_version: Mapped[str] = mapped_column(String(80))
    deadline: Mapped[date | None]
    # possible duplicate proposals, found once when the round opens (the search reads every proposal's name)
    duplicates: Mapped[list | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default=RoundStatus.OPEN.value)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # the conclusion, with the figures it was issued on
    total: Mapped[Decimal | None] = mapped_column(Decimal2)
    grade: Mapped[str | None] = mapped_column(String(10))
    conclusion: Mapped[str | None] = mapped_column(String(20))  # a conclusion code from the rules
    conclusion_label: Mapped[str | None] = mapped_column(String(40))
    # indicator and dimension scores, flags, sensitivity
    result: Mapped[dict | None] = mapped_column(JSON, deferred=True, deferred_group="large_json")
    opinion: Mapped[str] = mapped_column(Text, default="")  # 评估意见
    problems: Mapped[str] = mapped_column(Text, default="")  # 主要问题
    suggestions: Mapped[str] = mapped_column(Text, default="")  # 意见建议
    recommended_wan: Mapped[Decimal | None] = mapped_column(Wan)  # 建议安排资金
    concluded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    concluded_at: Mapped[datetime | None]
    # 报告编号, given from the issuing year's counter the first time the report is made, then kept
    report_number: Mapped[str | None] = mapped_column(String(60))
    # what the assessor recorded (rules/assessment.yaml lists the choices): the methods actually used, each
    # [{method, finding, evidence, by, at}], and the procedure steps taken [{step, date, note, by, at}]
    methods_used: Mapped[list | None] = mapped_column(JSON)
    procedure_steps: Mapped[list | None] = mapped_column(JSON)
    # the panel's seats by state (domain/states.seat_counts), recounted under this row's lock whenever a seat is
    # created or moves (assessment/seat_counts.py, a receiver of the one status writer's state_changed)
    seats_seated: Mapped[int] = mapped_column(default=0, server_default="0")  # not declined or replaced
    seats_waiting: Mapped[int] = mapped_column(default=0, server_default="0")  # a sheet still out
    seats_submitted: Mapped[int] = mapped_column(default=0, server_default="0")

    version: Mapped[ProposalVersion] = relationship()
    proposal: Mapped[Proposal] = relationship(
        backref=backref("assessments", cascade="all, delete-orphan", order_by="Assessment.round")
    )
    members: Mapped[list[PanelMember]] = relationship(
        cascade="all, delete-orphan", order_by="PanelMember.id", back_populates="assessment"
    )
    draws: Mapped[list[PanelDraw]] = relationship(cascade="all, delete-orphan", order_by="PanelDraw.id")
    lifecycle = ROUND

    @property
    def is_open(self) -> bool:
        return self.state is RoundStatus.OPEN

    @property
    def is_concluded(self) -> bool:
        return self.state is RoundStatus.CONCLUDED


class Expert(db.Model):
    """A member of the expert pool (专家库): who they are, what they know, whom they must never review.

    `user` is their login, with which they sign the 回避与保密承诺 and score; specialties are codes of
    rules/experts.yaml; the declared relations are departments (by id) and other organisations (by name)
    they must not review (assessment.draws reads them for every draw)."""

    __tablename__ = "expert"
    __table_args__ = (race_guard("user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    name: Mapped[str] = mapped_column(String(64))
    organisation: Mapped[str] = mapped_column(String(100))  # 工作单位
    title: Mapped[str] = mapped_column(String(50), default="")  # 职称
    specialties: Mapped[list] = mapped_column(JSON, default=list)  # codes of rules/experts.yaml
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    active: Mapped[bool] = mapped_column(default=True)
    avoid_department_ids: Mapped[list] = mapped_column(JSON, default=list)  # declared relations: departments
    avoid_organisations: Mapped[list] = mapped_column(JSON, default=list)  # … and other organisations, by name
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class PanelDraw(db.Model):
    """One random draw of a round's panel (kind "draw") or of a replacement (kind "replace"), stored so that an
    auditor can replay it: the seed, the sorted eligible pool ids, each excluded expert's reason, the chosen."""

    __tablename__ = "panel_draw"
    __table_args__ = (race_guard_where("uq_panel_draw_one_per_round", "assessment_id", "kind = 'draw'"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # draw / replace
    specialty: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    seed: Mapped[str] = mapped_column(String(40))  # an integer, kept as text (it may exceed 64 bits)
    eligible: Mapped[list] = mapped_column(JSON)  # sorted expert ids
    excluded: Mapped[dict] = mapped_column(JSON)  # expert id → exclusion code (draw.Exclusion)
    chosen: Mapped[list] = mapped_column(JSON)  # expert ids, in the order drawn
    load_limit: Mapped[int]
    conflict_department_ids: Mapped[list] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text, default="")  # a replacement's reason
    replaced_member_id: Mapped[int | None]  # the member replaced (no foreign key: the two tables would cycle)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    by: Mapped[User | None] = relationship()


class PanelMember(Stateful, db.Model):
    """A reviewer on an assessment's panel: conflict declaration, scores, opinion."""

    __tablename__ = "panel_member"
    # (round, state): whether a round has anyone seated or a sheet out, without reading every seat (工作台)
    __table_args__ = (race_guard("assessment_id", "user_id"), state_check(SHEET),
                      Index("ix_panel_member_round_status", "assessment_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=SheetStatus.ASSIGNED.value)
    declared_at: Mapped[datetime | None]  # when they signed the 回避与保密承诺
    pledge_text: Mapped[str] = mapped_column(Text, default="", server_default="")  # the text they signed
    pledge_version: Mapped[str] = mapped_column(String(80), default="", server_default="")  # rules/experts.yaml's
    expert_id: Mapped[int | None] = mapped_column(ForeignKey("expert.id"))  # the pool record, when drawn from it
    draw_id: Mapped[int | None] = mapped_column(ForeignKey("panel_draw.id"))  # the draw that chose them
    added_reason: Mapped[str] = mapped_column(Text, default="", server_default="")  # why added by hand
    replace_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    overall_opinion: Mapped[str] = mapped_column(Text, default="")
    justification: Mapped[str] = mapped_column(Text, default="")  # why their total is far from the panel's
    # 审核要点 rounds: 要点 key → {level, comment, citations: [{attachment, page, quote}]} (domain/ratings.py)
    ratings: Mapped[dict | None] = mapped_column(JSON)
    # dimension code → {facts, problems, analysis, conclusion, suggestions}
    analyses: Mapped[dict | None] = mapped_column(JSON)
    submitted_at: Mapped[datetime | None]

    assessment: Mapped[Assessment] = relationship(back_populates="members")
    user: Mapped[User] = relationship()
    expert: Mapped[Expert | None] = relationship()
    scores: Mapped[list[PanelScore]] = relationship(cascade="all, delete-orphan", back_populates="member")
    revisions: Mapped[list[ScoreRevision]] = relationship(
        cascade="all, delete-orphan", order_by="ScoreRevision.id", back_populates="member"
    )
    lifecycle = SHEET

    @property
    def is_assigned(self) -> bool:  # yet to declare a conflict of interest
        return self.state is SheetStatus.ASSIGNED

    @property
    def is_cleared(self) -> bool:  # declared no conflict of interest: may see the materials (intake's visibility asks)
        return self.state in CLEARED

    @property
    def is_declined(self) -> bool:
        return self.state is SheetStatus.DECLINED

    @property
    def is_submitted(self) -> bool:
        return self.state is SheetStatus.SUBMITTED

    @property
    def is_replaced(self) -> bool:
        return self.state is SheetStatus.REPLACED

    @property
    def is_finance_reviewer(self) -> bool:  # 财政评审人员, never labelled as an expert
        return self.user.role_enum is Role.REVIEWER

    @property
    def role_noun(self) -> str:
        return "财政评审人员" if self.is_finance_reviewer else "评审专家"

    @property
    def is_waiting(self) -> bool:  # the panel still waits for this reviewer's sheet
        return self.state in WAITING


class PanelScore(db.Model):
    __tablename__ = "panel_score"
    __table_args__ = (race_guard("member_id", "indicator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("panel_member.id", ondelete="CASCADE"), index=True)
    indicator: Mapped[str] = mapped_column(String(60))
    score: Mapped[Decimal | None] = mapped_column(Decimal2)
    comment: Mapped[str] = mapped_column(Text, default="")

    member: Mapped[PanelMember] = relationship(back_populates="scores")


class ScoreRevision(db.Model):
    """A submitted sheet as it stood when an admin reopened it: the earlier version stays on record."""

    __tablename__ = "score_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("panel_member.id", ondelete="CASCADE"), index=True)
    snapshot: Mapped[dict] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    reopened_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    member: Mapped[PanelMember] = relationship(back_populates="revisions")
