"""Business actions of signing in and of passwords: one function each; views only translate HTTP."""
from __future__ import annotations

import time
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from budget_eval.platform.audit import audit, audit_now, client
from budget_eval.platform.auth import passwords, throttle
from budget_eval.platform.extensions import db
from budget_eval.platform.models.types import utcnow
from budget_eval.platform.models.user import LoginAttempt, User, username_key

WRONG_CURRENT = "当前密码不正确"


@dataclass(frozen=True)
class Outcome:
    user: User | None = None
    error: str = ""
    field: str = "password"
    wait_seconds: int = 0


def wait_text(seconds: int) -> str:
    return f"{seconds}秒" if seconds < 120 else f"{(seconds + 59) // 60}分钟"


def _refused(decision: throttle.Decision, what: str) -> str:
    who = "本机对该账号" if decision.scope == "account+client" else "本机"
    return f"{what}失败次数过多（{who}），请{wait_text(decision.wait)}后再试，或联系管理员解除限制"


def _step_up(key: str, address: str, actor) -> None:
    """The account has many recent failures from elsewhere: answer after a short delay (audited at once, on its own
    connection, before any write of this request), never refuse."""
    seconds = current_app.config["LOGIN_STEP_UP_SECONDS"]
    audit_now("login", key, f"账号近期多次登录失败，本次验证前延迟{seconds}秒（{address}）", actor)
    if seconds:
        time.sleep(seconds)


def sign_in(username: str, password: str, address: str) -> Outcome:
    """Check one attempt under the throttle; records the attempt and an audit line (commits)."""
    key, address = username_key(username)[:64], throttle.address_of(address)
    anonymous = client(address, username)
    decision = throttle.reserve(key, address)
    if decision.wait:
        audit("login", key, f"登录受限（{'该账号在本机' if decision.scope == 'account+client' else '本机'}失败次数过多），"
              f"需等待{decision.wait}秒（{address}）", anonymous)
        db.session.commit()
        return Outcome(error=_refused(decision, "登录"), wait_seconds=decision.wait)
    if decision.step_up:
        _step_up(key, address, anonymous)
    user = _account(username, key)
    ok = passwords.verify(user.password_hash if user else None, password)
    succeeded = ok and user is not None and user.active
    db.session.add(LoginAttempt(username=key, address=address, succeeded=succeeded))
    audit("login", user.username if user else key, f"{'登录成功' if succeeded else '登录失败'}（{address}）",
          user if succeeded else anonymous)
    if succeeded:
        throttle.succeeded(key, address)
        user.last_login_at = utcnow()
    db.session.commit()
    if not ok or user is None:
        return Outcome(error="用户名或密码错误")
    if not user.active:
        return Outcome(error="该账号已停用，请联系管理员", field="username")
    return Outcome(user=user)


def _account(typed: str, key: str) -> User | None:
    """The account signed into: the exact name first (an old look-alike the migration kept apart, whose key
    is "<key>#<id>"), else the name compared after NFKC and case folding."""
    exact = db.session.scalar(select(User).where(User.username == typed.strip()))
    return exact or db.session.scalar(select(User).where(User.username_key == key))


def sign_out(user: User) -> None:
    """Logout ends every session of this user, not only this browser's."""
    user.end_sessions()
    audit("login", user.username, "退出登录（结束该用户全部会话）", user)
    db.session.commit()


def set_password(user: User, password: str, by) -> None:
    """Set a password that has passed the policy; ends the user's other sessions (does not commit)."""
    user.password_hash = passwords.hash_password(password)
    if user.id is not None:
        user.end_sessions()


@dataclass(frozen=True)
class ChangeOutcome:
    error: str = ""
    field: str = "new"  # the form field the error belongs to
    wait_seconds: int = 0


def change_own_password(user: User, current: str, new: str, address: str) -> ChangeOutcome:
    """A user changes their own password (commits). The current password is guessed under the same throttle as
    signing in (a wrong one counts as a failed login for this account from this client); every refusal and
    wait is audited."""
    address = throttle.address_of(address)
    decision = throttle.reserve(user.username_key, address)
    if decision.wait:
        audit("login", user.username, f"修改密码受限（当前密码错误次数过多），需等待{decision.wait}秒（{address}）", user)
        db.session.commit()
        return ChangeOutcome(_refused(decision, "当前密码验证"), "current", decision.wait)
    if decision.step_up:
        _step_up(user.username_key, address, user)
    if not passwords.verify(user.password_hash, current):
        audit("login", user.username, f"修改密码：当前密码不正确（{address}）", user)
        db.session.commit()
        return ChangeOutcome(WRONG_CURRENT, "current")
    throttle.succeeded(user.username_key, address)
    if problem := passwords.password_problem(new, user.username, display_name=user.display_name):
        return ChangeOutcome(problem, "new")
    set_password(user, new, user)
    audit("admin", user.username, "本人修改密码（其他会话已结束）", user)
    db.session.commit()
    return ChangeOutcome()
