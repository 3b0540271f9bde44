"""Sign in and out, and change one's own password."""
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from budget_eval.platform.auth import operations, sessions
from budget_eval.platform.auth.forms import LoginForm, PasswordChangeForm
from budget_eval.platform.permissions import ROUTES, guard

bp = Blueprint("auth", __name__)
guard(bp, ROUTES)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        outcome = operations.sign_in(form.username.data.strip()[:64], form.password.data, request.remote_addr or "")
        if outcome.user is not None:
            login_user(outcome.user)
            sessions.start(outcome.user)
            return redirect(_safe_next(request.args.get("next")) or url_for("home.index"))
        getattr(form, outcome.field).errors.append(outcome.error)
        if outcome.wait_seconds:
            return render_template("auth/login.html", form=form), 429, {"Retry-After": str(outcome.wait_seconds)}
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    operations.sign_out(current_user._get_current_object())
    logout_user()
    flash("您已退出登录。", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        outcome = operations.change_own_password(user, form.current.data, form.new.data, request.remote_addr or "")
        if not outcome.error:
            login_user(user)  # this browser carries the new session version; every other session has ended
            sessions.start(user)
            flash("密码已修改，其他设备上的登录已全部失效。", "success")
            return redirect(url_for("home.index"))
        getattr(form, outcome.field).errors.append(outcome.error)
        if outcome.wait_seconds:
            return (render_template("auth/password.html", form=form), 429,
                    {"Retry-After": str(outcome.wait_seconds)})
    return render_template("auth/password.html", form=form)


def _safe_next(target: str | None) -> str | None:
    """Follow ?next= only to a path on this site, never to another host."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
