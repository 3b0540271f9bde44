"""Sign in and out."""
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select

from budget_eval.platform.auth.forms import LoginForm
from budget_eval.platform.extensions import db
from budget_eval.platform.models.user import LoginAttempt, User
from budget_eval.platform.models.types import utcnow
from budget_eval.platform.audit import audit

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        username = form.username.data.strip()[:64]
        if _locked(username):
            minutes = current_app.config["LOGIN_WINDOW_MINUTES"]
            form.password.errors.append(f"登录失败次数过多，请{minutes}分钟后再试，或联系管理员")
            return render_template("auth/login.html", form=form), 429
        user = db.session.scalar(select(User).where(User.username == username))
        ok = user is not None and user.check_password(form.password.data)
        succeeded = ok and user.active
        db.session.add(LoginAttempt(username=username, address=request.remote_addr or "", succeeded=succeeded))
        audit("login", username, f"{'登录成功' if succeeded else '登录失败'}（{request.remote_addr or ''}）",
              user if succeeded else None)
        if not ok:
            form.password.errors.append("用户名或密码错误")
        elif not user.active:
            form.username.errors.append("该账号已停用，请联系管理员")
        else:
            login_user(user)
            user.last_login_at = utcnow()
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")) or url_for("home.index"))
        db.session.commit()
    return render_template("auth/login.html", form=form)


def _locked(username: str) -> bool:
    """Too many recent failures for this user name (counted in the database, so every worker agrees)."""
    since = utcnow() - timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])
    failures = db.session.scalar(
        select(func.count()).select_from(LoginAttempt)
        .where(LoginAttempt.username == username, LoginAttempt.at >= since, LoginAttempt.succeeded.is_(False))
    )
    return failures >= current_app.config["LOGIN_MAX_FAILURES"]


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash("您已退出登录。", "info")
    return redirect(url_for("auth.login"))


def _safe_next(target: str | None) -> str | None:
    """Follow ?next= only to a path on this site, never to another host."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
