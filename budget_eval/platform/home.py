"""The start page: each role lands where its work is."""
from flask import Blueprint, abort, redirect, url_for
from flask_login import current_user

from budget_eval.platform.domain.roles import FINANCE_ROLES, Role
from budget_eval.platform.permissions import ROUTES, guard

bp = Blueprint("home", __name__)
guard(bp, ROUTES)


@bp.get("/")
def index():
    if current_user.role_enum in (Role.DEPARTMENT, Role.THIRD_PARTY) or current_user.role_enum in FINANCE_ROLES:
        return redirect(url_for("proposals.index"))
    if current_user.role_enum is Role.EXPERT:
        return redirect(url_for("reviews.index"))
    if current_user.role_enum is Role.EVAL_OFFICE:
        return redirect(url_for("evaluation.index"))
    abort(403)
