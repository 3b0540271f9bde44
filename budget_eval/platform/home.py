"""The start page: each role lands where its work is."""
from flask import Blueprint, abort, redirect, url_for
from flask_login import current_user, login_required

from budget_eval.platform.domain.roles import FINANCE_ROLES, Role

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index():
    if current_user.role_enum is Role.DEPARTMENT or current_user.role_enum in FINANCE_ROLES:
        return redirect(url_for("proposals.index"))
    if current_user.role_enum is Role.EXPERT:
        return redirect(url_for("reviews.index"))
    if current_user.role_enum is Role.EVAL_OFFICE:
        return redirect(url_for("evaluation.index"))
    abort(403)
