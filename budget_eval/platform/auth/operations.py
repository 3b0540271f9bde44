"""Business actions of signing in and of passwords: one function each; views only translate HTTP."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from budget_eval.platform.auth import passwords, throttle
from budget_eval.platform.extensions import db
from budget_eval.platform.models.user import LoginAttempt, User
from budget_eval.platform.models.types import utcnow
from budget_eval.platform.audit import audit


@dataclass(frozen=True)
class Outcome:
    user: User | None = None
    error: str = ""
    field: str = "password"
    wait_seconds: int = 0


def sign_in(username: str, password: str, address: str) -> Outcome:
    """Check one attempt under the throttle; records the attempt and an audit line (commits)."""
    wait = throttle.reserve(username, address)
    if wait:
        audit("login", username, f"登录受限，需等待{wait}秒（{address}）")
        db.session.commit()
        return Outcome(error=f"登录失败次数过多，请{_wait_text(wait)}后再试，或联系管理员解除限制", wait_seconds=wait)
    user = db.session.scalar(select(User).where(User.username == username))
    ok = passwords.verify(user.password_hash if user else None, password)
    succeeded = ok and user.active
    db.session.add(LoginAttempt(username=username, address=address, succeeded=succeeded))
    audit("login", username, f"{'登录成功' if succeeded else '登录失败'}（{address}）", user if succeeded else None)
    if succeeded:
        throttle.succeeded(username, address)
        user.last_login_at = utcnow()
    db.session.commit()
    if not ok:
        return Outcome(error="用户名或密码错误")
    if not user.active:
        return Outcome(error="该账号已停用，请联系管理员", field="username")
    return Outcome(user=user)


def _wait_text(seconds: int) -> str:
    return f"{seconds}秒" if seconds < 120 else f"{(seconds + 59) // 60}分钟"


def sign_out(user: User) -> None:
    """Logout ends every session of this user, not only this browser's."""
    user.end_sessions()
    audit("login", user.username, "退出登录（结束该用户全部会话）", user)
    db.session.commit()


def set_password(user: User, password: str, by: User | None) -> None:
    """Set a password that has passed the policy; ends the user's other sessions (does not commit)."""
    user.password_hash = passwords.hash_password(password)
    if user.id is not None:
        user.end_sessions()


def change_own_password(user: User, current: str, new: str) -> str | None:
    """A user changes their own password; returns the Chinese error, or None once saved (commits)."""
    if not passwords.verify(user.password_hash, current):
        return "当前密码不正确"
    if problem := passwords.password_problem(new, user.username):
        return problem
    set_password(user, new, user)
    audit("admin", user.username, "本人修改密码（其他会话已结束）", user)
    db.session.commit()
    return None
