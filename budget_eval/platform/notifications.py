"""In-app notifications, written only by the receiver of platform.signals.state_changed (never by a view).

The platform imports no feature, so each feature says who is told what when one of its records enters a state:
``register(app, lifecycle_name, rule)``; ``rule(row, action, before, after, user) -> list[Notice]``. The one
receiver below asks the rules of the sending lifecycle and adds a Notification per recipient (the acting user is
never told of their own step), in the request's transaction: the notice commits or rolls back with the change.
The 工作台 lists the unread ones and the header shows their count. With SMTP configured each is also e-mailed after
the commit (platform/mail.py).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import Flask, current_app, has_app_context
from sqlalchemy import func, select, update

from budget_eval.platform import mail
from budget_eval.platform.extensions import db
from budget_eval.platform.models.notification import Notification
from budget_eval.platform.models.types import utcnow
from budget_eval.platform.models.user import User
from budget_eval.platform.signals import state_changed

_KEY = "budget_eval.notifications"


@dataclass(frozen=True)
class Notice:
    user_ids: tuple[int, ...]
    text: str
    url: str = ""


Rule = Callable[..., "list[Notice]"]


def register(app: Flask, lifecycle_name: str, rule: Rule) -> None:
    app.extensions.setdefault(_KEY, {}).setdefault(lifecycle_name, []).append(rule)


def link(endpoint: str, **values) -> str:
    """A page's path, also outside a request (a state changed by a command): notices are written there too."""
    return current_app.url_map.bind("").build(endpoint, values)


def users_of(department_ids: Iterable[int | None], role: str | None = None) -> tuple[int, ...]:
    """The active users of these departments (of one role, if given): the usual recipients."""
    ids = [d for d in department_ids if d is not None]
    if not ids:
        return ()
    query = select(User.id).where(User.department_id.in_(ids), User.active)
    if role:
        query = query.where(User.role == role)
    return tuple(db.session.scalars(query))


def users_with_role(role: str) -> tuple[int, ...]:
    return tuple(db.session.scalars(select(User.id).where(User.role == role, User.active)))


@state_changed.connect
def _on_state_changed(lifecycle, row=None, action="", before=None, after=None, user=None, **_) -> None:
    if not has_app_context():
        return
    rules = current_app.extensions.get(_KEY, {}).get(getattr(lifecycle, "name", ""), [])
    actor = getattr(user, "id", None)
    for rule in rules:
        for notice in rule(row, action, before, after, user):
            recipients = [user_id for user_id in dict.fromkeys(notice.user_ids) if user_id != actor]
            for user_id in recipients:
                db.session.add(Notification(user_id=user_id, text=notice.text[:300], url=notice.url[:300]))
            mail.collect(recipients, notice.text, notice.url)  # sent after the commit, if SMTP is configured


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def unread(user, limit: int = 50) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))
        .order_by(Notification.id.desc()).limit(limit)))


def mark_read(user) -> None:
    """The user read their notifications (the caller commits)."""
    db.session.execute(update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
                       .values(read_at=utcnow()))
