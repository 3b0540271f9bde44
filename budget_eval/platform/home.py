"""The start page: each role's 工作台, listing what waits for this user (platform/worklist.py gathers it)."""
from flask import Blueprint, render_template
from flask_login import current_user

from budget_eval.platform.permissions import ROUTES, guard
from budget_eval.platform.worklist import beijing_today, days_left, due_text, waiting_for

bp = Blueprint("home", __name__)
guard(bp, ROUTES)


@bp.get("/")
def index():
    return render_template("home/workbench.html", groups=waiting_for(current_user), today=beijing_today(),
                           days_left=days_left, due_text=due_text)
