"""What the evaluation office's pages (views) and the feedback pages (feedback_views) share."""
from __future__ import annotations

from flask import abort, flash, request
from flask_login import current_user
from sqlalchemy import select

from budget_eval.evaluation.domain.comment_lifecycles import ACTION_LABELS, COMMITMENT, label, overdue
from budget_eval.evaluation.models import EvaluationYear
from budget_eval.platform.extensions import db


def year_or_404(year: int) -> EvaluationYear:
    record = db.session.scalar(select(EvaluationYear).where(EvaluationYear.year == year))
    if record is None:
        abort(404)
    return record


def lifecycle_helpers() -> dict:
    """What templates ask of the lifecycles: labels, overdue flags and the actions open to this user."""
    return {"label": label, "overdue": overdue, "action_labels": ACTION_LABELS,
            "commitment_actions": lambda r: COMMITMENT.actions(r.status, current_user.role_enum)}


def chosen_file(what: str):
    """The uploaded file, or None with a message asking for one."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(f"请选择{what}文件。", "warning")
        return None
    return upload
