"""A round's seats by state, stored on the round (assessment.seats_*) for the 工作台 (assessment/worklist.py).

The one status writer (platform/lifecycle.py) sends platform.signals.state_changed whenever a seat is created or
moves; the receiver here locks the round's row, then recounts its seats in one grouped query and writes the three
figures. A recount, not an increment: under the lock it reads every other seat as committed, so two reviewers
submitting at once cannot each count the other's sheet as still out (the second waits for the first's commit, then
its count — a new statement — sees it). Every path that changes a seat already locks the round first
(panels.sheet_step, panels.assign, draws._open), so the lock order stays round → seat. A new round's carried seats
are counted when it opens (panels.open_round).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from budget_eval.assessment.domain.states import seat_counts
from budget_eval.assessment.models import Assessment, PanelMember
from budget_eval.platform.extensions import db


def count_new_round(round_: Assessment, statuses: Iterable[str]) -> None:
    """A round not yet written: its figures from the seats it opens with."""
    for name, value in seat_counts(Counter(statuses)).items():
        setattr(round_, name, value)


def recount(assessment_id: int) -> dict[str, int]:
    """Lock the round, recount its seats and store the figures (the caller's transaction commits)."""
    db.session.execute(select(Assessment.id).where(Assessment.id == assessment_id).with_for_update())
    by_status = db.session.execute(
        select(PanelMember.status, func.count()).where(PanelMember.assessment_id == assessment_id)
        .group_by(PanelMember.status))
    figures = seat_counts({status: n for status, n in by_status})
    db.session.execute(update(Assessment).where(Assessment.id == assessment_id).values(figures)
                       .execution_options(synchronize_session=False))
    loaded = db.session.identity_map.get(identity_key(Assessment, assessment_id))
    if loaded is not None:
        for name, value in figures.items():
            set_committed_value(loaded, name, value)
    return figures


def recount_on_state_change(_sender, row=None, **_kwargs) -> None:
    """platform.signals.state_changed: a panel seat created or moved."""
    if isinstance(row, PanelMember):
        recount(row.assessment_id)
