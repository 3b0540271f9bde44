"""The admins' pipeline page: projects by state, overdue reviews, reviewer workload."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template
from sqlalchemy import case, func, select

from budget_eval.assessment.domain.states import RoundStatus, SheetStatus
from budget_eval.intake.domain.workflow import STATUS_LABELS
from budget_eval.platform import datatable
from budget_eval.platform.extensions import db
from budget_eval.assessment.models import Assessment, PanelMember
from budget_eval.intake.models import Proposal
from budget_eval.platform.models.user import User
from budget_eval.assessment.permissions import ROUTES
from budget_eval.platform.permissions import guard

bp = Blueprint("pipeline", __name__, url_prefix="/pipeline")
guard(bp, ROUTES)


@bp.get("/")
def index():
    counts = dict(db.session.execute(select(Proposal.status, func.count()).group_by(Proposal.status)).all())
    overdue = db.session.execute(
        select(Assessment, Proposal).join(Proposal, Assessment.proposal_id == Proposal.id)
        .where(Assessment.status == RoundStatus.OPEN, Assessment.deadline < date.today())
        .order_by(Assessment.deadline)
    ).all()
    pending = case((PanelMember.status.in_(("assigned", "accepted")), 1), else_=0)
    done = case((PanelMember.status == SheetStatus.SUBMITTED, 1), else_=0)
    workload = db.session.execute(
        select(User, func.sum(pending), func.sum(done))
        .join(PanelMember, PanelMember.user_id == User.id)
        .join(Assessment, PanelMember.assessment_id == Assessment.id)
        .group_by(User.id).order_by(func.sum(pending).desc(), User.username)
    ).all()
    if datatable.exporting():
        return datatable.export_rows(overdue, OVERDUE)
    return render_template("pipeline.html", counts=counts, labels=STATUS_LABELS,
                           listing=datatable.from_rows(overdue, OVERDUE, per_page=50),
                           workload=workload, today=date.today())


OVERDUE = datatable.Spec("逾期未完成的评审", (
    datatable.Col("proposal", "项目", lambda row: row[1].name),
    datatable.Col("round", "轮次", lambda row: row[0].round, kind="integer"),
    datatable.Col("deadline", "期限", lambda row: row[0].deadline),
    datatable.Col("waiting", "未提交的评审人", lambda row: "、".join(
        m.user.display_name for m in row[0].members if m.is_waiting) or "—"),
), default="deadline", rows=True, search=("proposal", "waiting"), search_hint="项目或评审人")
