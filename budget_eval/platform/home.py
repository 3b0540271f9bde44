"""The start page: each role's 工作台, listing what waits for this user (platform/worklist.py gathers it) and their
unread notifications (platform/notifications.py)."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from budget_eval.platform import notifications
from budget_eval.platform.extensions import db
from budget_eval.platform.permissions import ROUTES, guard
from budget_eval.platform.worklist import beijing_today, days_left, due_text, waiting_for

bp = Blueprint("home", __name__)
guard(bp, ROUTES)


@bp.get("/")
def index():
    return render_template("home/workbench.html", groups=waiting_for(current_user), today=beijing_today(),
                           days_left=days_left, due_text=due_text, notices=notifications.unread(current_user))


@bp.post("/notifications/read")
def read_notifications():
    notifications.mark_read(current_user)
    db.session.commit()
    flash("通知已全部标为已读。", "success")
    return redirect(url_for(".index"))
