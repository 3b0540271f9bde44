"""The audit log: who did what and when, for every change. One function, `audit`, and the lifecycle writer
(platform/lifecycle.py, which calls it) write every line; each line names its actor, and a line without one is
refused (MissingActor: a bug, caught by tests/web/test_audit_completeness.py).

The actor is a signed-in user, or an `Actor` that names itself: a system task (`system("…任务#12")`), the
command line (`command_line("survey import")`, with the operating-system user who ran it) or a client that has
not signed in (`client("192.0.2.1", "kpb")`, for login attempts and throttling).
"""
from __future__ import annotations

import getpass
from dataclasses import dataclass

from budget_eval.platform.extensions import db
from budget_eval.platform.models.audit import AuditEvent
from budget_eval.platform.models.types import utcnow

KINDS = {"login": "登录", "state": "流程变更", "score": "评分变更", "rules": "规则变更", "evaluation": "考评变更",
         "admin": "账号与部门", "import": "数据导入", "feedback": "意见反馈确认", "commitment": "整改承诺",
         "supervision": "跟踪督办", "hotwords": "热词与意见", "job": "后台任务", "edit": "内容修改",
         "economy": "投入经济性分析", "split": "疑似拆分处理"}


class MissingActor(ValueError):
    """An audit line was asked for without saying who acted."""


@dataclass(frozen=True)
class Actor:
    """Who acted when it is not a signed-in user: a system task, the command line, an anonymous client."""

    username: str
    id: int | None = None


def system(task: str) -> Actor:
    return Actor(f"系统任务：{task}"[:64])


def command_line(command: str) -> Actor:
    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # no such user in the container's passwd
        who = "?"
    return Actor(f"命令行 {command}（{who}）"[:64])


def client(address: str, typed_name: str = "") -> Actor:
    """A browser that has not signed in (a login attempt), named by its address and the name it typed."""
    return Actor(f"未登录（{address}{'，' + typed_name if typed_name else ''}）"[:64])


def who(user) -> tuple[int | None, str]:
    """(user id or None, the name written in the log) of an actor; refuses a missing or anonymous one."""
    real = user._get_current_object() if hasattr(user, "_get_current_object") else user
    name = getattr(real, "username", "") or ""
    if not name:
        raise MissingActor("审计记录必须注明操作人")
    user_id = getattr(real, "id", None)
    return (user_id if not isinstance(real, Actor) else None), name[:64]


def audit(kind: str, subject: str, detail: str, user) -> None:
    """Add an audit line to the current transaction: it is kept exactly when the change it records is."""
    user_id, name = who(user)
    db.session.add(AuditEvent(kind=kind, subject=subject[:200], detail=detail, user_id=user_id, username=name))


def audit_now(kind: str, subject: str, detail: str, user) -> None:
    """Write an audit line at once, on its own connection, whatever happens to the current transaction."""
    user_id, name = who(user)
    with db.engine.begin() as conn:
        conn.execute(AuditEvent.__table__.insert().values(
            at=utcnow(), kind=kind, subject=subject[:200], detail=detail, user_id=user_id, username=name))
