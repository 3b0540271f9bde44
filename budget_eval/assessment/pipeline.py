"""The admins' pipeline page: projects by state, overdue reviews, reviewer workload."""
from __future__ import annotations



from flask import Blueprint, render_template
from sqlalchemy import case, func, select

from budget_eval.platform.worklist import beijing_today
from budget_eval.assessment.domain.states import RoundStatus, SheetStatus
from budget_eval.intake.domain.workflow import STATUS_LABELS
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
        .where(Assessment.status == RoundStatus.OPEN, Assessment.deadline < beijing_today())
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
    return render_template("pipeline.html", counts=counts, labels=STATUS_LABELS, overdue=overdue,
                           workload=workload, today=beijing_today())
