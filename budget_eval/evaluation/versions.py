"""Versions of a year's comments (issue 22): two counters on evaluation_year that every writer of the comments
raises in its own transaction, so a page knows from one indexed row whether a stored analysis (platform/derived.py,
keyed by them) still holds, never by aggregating the year's survey rows on each view.

- comments_version: the comments themselves, their routing and their merging — what the city's analysis and the
  office's view of a unit read;
- feedback_version: all that, and also their 反馈确认 state — what a unit's own (confirmed-only) words read.

The writers: the survey import (survey_import.import_responses), every step of a comment's FEEDBACK lifecycle (the
state_changed receiver below, so a step added later is covered too) and the office's 确认全部 (feedback.confirm_all,
a bulk UPDATE that sends no signal). Anything else that writes survey_response must call `bump` as well.
"""
from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import Update, select, update

from budget_eval.evaluation.domain.comment_lifecycles import FEEDBACK
from budget_eval.evaluation.models import EvaluationYear
from budget_eval.platform.extensions import db

# FEEDBACK steps known to change only a comment's 反馈确认 state; every other step (re-routing, merging, any step
# added later) is taken to change what the comments say where, and raises both versions
STATUS_ONLY = frozenset({"confirm", "reopen"})


class Versions(NamedTuple):
    comments: int
    feedback: int


def bumped(year_id: int, comments: bool = True) -> Update:
    """The UPDATE that raises the year's versions (both; with comments=False only feedback_version): one statement,
    so two writers at once both count (each adds to what the other committed)."""
    values = {EvaluationYear.feedback_version: EvaluationYear.feedback_version + 1}
    if comments:
        values[EvaluationYear.comments_version] = EvaluationYear.comments_version + 1
    return update(EvaluationYear).where(EvaluationYear.id == year_id).values(values)


def bump(year_id: int, comments: bool = True) -> None:
    """The year's comments changed (comments=False: only their 反馈确认 state): in the caller's transaction, so the
    new version commits (or rolls back) with the change itself."""
    db.session.execute(bumped(year_id, comments), execution_options={"synchronize_session": False})


def current(year_id: int) -> Versions:
    """The year's versions as committed now (a fresh SELECT, never a loaded object's possibly stale attribute)."""
    row = db.session.execute(select(EvaluationYear.comments_version, EvaluationYear.feedback_version)
                             .where(EvaluationYear.id == year_id)).one()
    return Versions(int(row[0]), int(row[1]))


def on_state_changed(lifecycle, row=None, action: str = "", **_kwargs) -> None:
    """platform.signals.state_changed: a comment's 反馈确认 step raises its year's versions (in the step's
    transaction; the receiver never commits)."""
    if lifecycle is FEEDBACK and row is not None:
        bump(row.year_id, comments=action not in STATUS_ONLY)
