"""The audit log: who did what and when, for every state change, score change, rule change and login."""
from __future__ import annotations

from budget_eval.platform.extensions import db
from budget_eval.platform.models.audit import AuditEvent
from budget_eval.platform.models.types import utcnow

KINDS = {"login": "登录", "state": "流程变更", "score": "评分变更", "rules": "规则变更", "evaluation": "考评变更",
         "admin": "账号与部门", "hotwords": "热词与意见", "feedback": "意见反馈确认", "commitment": "整改承诺",
         "supervision": "跟踪督办"}


def audit(kind: str, subject: str, detail: str = "", user=None) -> None:
    """Add an audit line to the current transaction: it is kept exactly when the change it records is."""
    db.session.add(_event(kind, subject, detail, user))


def audit_now(kind: str, subject: str, detail: str = "", user=None) -> None:
    """Write an audit line at once, on its own connection, whatever happens to the current transaction."""
    with db.engine.begin() as conn:
        conn.execute(AuditEvent.__table__.insert().values(
            at=utcnow(), kind=kind, subject=subject[:200], detail=detail,
            user_id=getattr(user, "id", None), username=getattr(user, "username", "") or ""))


def _event(kind: str, subject: str, detail: str, user) -> AuditEvent:
    return AuditEvent(kind=kind, subject=subject[:200], detail=detail,
                      user_id=getattr(user, "id", None), username=getattr(user, "username", "") or "")
