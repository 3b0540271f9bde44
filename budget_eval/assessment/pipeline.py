"""The admins' pipeline page: projects by state, overdue reviews, reviewer workload."""
from __future__ import annotations



from flask import Blueprint, render_template
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload, load_only, selectinload

from budget_eval.platform.worklist import beijing_today
from budget_eval.assessment.domain.states import RoundStatus, SheetStatus
from budget_eval.intake.domain.workflow import STATUS_LABELS
from budget_eval.platform import datatable
from budget_eval.platform.derived import invalidate, stored
from budget_eval.platform.extensions import db
from budget_eval.assessment.models import Assessment, PanelMember
from budget_eval.intake.models import Proposal
from budget_eval.platform.models.user import User
from budget_eval.assessment.permissions import ROUTES
from budget_eval.platform.permissions import guard

bp = Blueprint("pipeline", __name__, url_prefix="/pipeline")
WORKLOAD = "workload"
guard(bp, ROUTES)


def workload() -> list[tuple[str, int, int]]:
    """Each reviewer's open and submitted sheets (display name, pending, done), aggregated in SQL; stored until a
    panel seat changes state (invalidated by the state_changed receiver of assessment/__init__.py)."""
    def compute() -> list[tuple[str, int, int]]:
        pending = case((PanelMember.status.in_(("assigned", "accepted")), 1), else_=0)
        done = case((PanelMember.status == SheetStatus.SUBMITTED, 1), else_=0)
        rows = db.session.execute(
            select(User.display_name, func.sum(pending), func.sum(done))
            .join(PanelMember, PanelMember.user_id == User.id)
            .group_by(User.id, User.display_name, User.username).order_by(func.sum(pending).desc(), User.username)
        ).all()
        return [(name, int(p or 0), int(d or 0)) for name, p, d in rows]

    return stored(WORKLOAD, "all", compute)


@bp.get("/")
def index():
    counts = dict(db.session.execute(select(Proposal.status, func.count()).group_by(Proposal.status)).all())
    overdue_query = (
        select(Assessment).join(Proposal, Assessment.proposal_id == Proposal.id)
        .where(Assessment.status == RoundStatus.OPEN, Assessment.deadline < beijing_today())
        .order_by(Assessment.deadline, Assessment.id)
        .options(load_only(Assessment.round, Assessment.deadline, Assessment.proposal_id),
                 joinedload(Assessment.proposal).load_only(Proposal.name),
                 selectinload(Assessment.members).joinedload(PanelMember.user).load_only(User.display_name))
    )
    if datatable.exporting():
        return datatable.export_select(overdue_query, OVERDUE)
    return render_template("pipeline.html", counts=counts, labels=STATUS_LABELS,
                           listing=datatable.from_select(overdue_query, OVERDUE),
                           workload=workload(), today=beijing_today())


OVERDUE = datatable.Spec("逾期未完成的评审", (
    datatable.Col("proposal", "项目", lambda a: a.proposal.name, sort=Proposal.name),
    datatable.Col("round", "轮次", lambda a: a.round, sort=Assessment.round, kind="integer"),
    datatable.Col("deadline", "期限", lambda a: a.deadline, sort=Assessment.deadline),
    datatable.Col("waiting", "未提交的评审人", lambda a: "、".join(
        m.user.display_name for m in a.members if m.is_waiting) or "—"),
), default="deadline", tiebreak=Assessment.id, search=(Proposal.name,), search_hint="项目名称")


def forget_workload(_sender, row=None, **_kwargs) -> None:
    """A panel seat created or moved (platform.signals.state_changed): the stored workload is recomputed."""
    if isinstance(row, PanelMember):
        invalidate(WORKLOAD)
