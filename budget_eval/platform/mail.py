"""Optional e-mail of in-app notifications, through the SMTP server the deployment configures (off by default).

With SMTP_HOST set (BUDGET_EVAL_SMTP_HOST …, platform/config.py), each Notification the state_changed receiver
writes (platform/notifications.py) is also e-mailed to its recipient, when the user has an address. The message is
only collected in the session while the transaction runs; it leaves after that transaction commits (the session's
`after_commit`), through the job queue (Huey; immediate in tests), so a rolled-back change sends nothing and a slow
or broken mail server never blocks or fails a request: a failure is logged and the in-app notice stands.
Only the standard library's smtplib and email.message are used.
"""
from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from email.message import EmailMessage

from flask import Flask, current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from budget_eval.platform import jobs
from budget_eval.platform.extensions import db
from budget_eval.platform.models.user import User

EXTENSION = "budget_eval.mail"
_PENDING = "budget_eval.mail.pending"  # in Session.info: the messages waiting for this transaction's commit
SUBJECT_PREFIX = "【预算绩效管理系统】"
FOOTER = "（本邮件由预算绩效管理系统自动发送，请勿直接回复。）"
log = logging.getLogger(__name__)


def enabled() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


def init_app(app: Flask) -> None:
    """The one Huey task that sends a message (after jobs.init_app: it uses the same queue)."""

    def send_mail(to: str, subject: str, body: str) -> None:
        with app.app_context():
            deliver(to, subject, body)

    def register(huey) -> None:
        app.extensions[EXTENSION] = huey.task()(send_mail)

    jobs.queue(app).add_tasks(register)


def collect(user_ids: Iterable[int], text: str, url: str) -> None:
    """Keep one message per recipient with an address, to leave when the current transaction commits."""
    ids = list(user_ids)
    if not ids or not enabled():
        return
    addresses = db.session.scalars(select(User.email).where(
        User.id.in_(ids), User.active, User.email.is_not(None), User.email != ""))
    subject, body = compose(text, url)
    pending = db.session().info.setdefault(_PENDING, [])
    pending.extend((address, subject, body) for address in addresses)


def compose(text: str, url: str) -> tuple[str, str]:
    base = (current_app.config.get("BASE_URL") or "").rstrip("/")
    link = f"{base}{url}" if url else ""
    subject = (SUBJECT_PREFIX + " ".join(text.split()))[:200]
    lines = [text, "", f"查看详情：{link}" if link else "请登录系统查看详情。", "", FOOTER]
    return subject, "\n".join(lines)


def deliver(to: str, subject: str, body: str) -> bool:
    """Send one message now; on any failure log it and return False (never raise: the notice is already stored)."""
    config = current_app.config
    message = EmailMessage()
    sender = config.get("SMTP_FROM") or config.get("SMTP_USER") or f"noreply@{config['SMTP_HOST']}"
    message["Subject"], message["From"], message["To"] = subject, sender, to
    message.set_content(body)
    try:
        with smtplib.SMTP(config["SMTP_HOST"], int(config["SMTP_PORT"]), timeout=config["SMTP_TIMEOUT"]) as smtp:
            if config.get("SMTP_STARTTLS"):
                smtp.starttls()
            if config.get("SMTP_USER"):
                smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
            smtp.send_message(message)
    except Exception as error:  # noqa: BLE001 — any failure of the mail server: log it and move on
        log.warning("邮件通知发送失败（收件人 %s，邮件服务器 %s:%s）：%s: %s；站内通知不受影响",
                    to, config.get("SMTP_HOST"), config.get("SMTP_PORT"), type(error).__name__, error)
        return False
    return True


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint (platform/numbering.py): the transaction goes on
        return
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    jobs.queue(current_app).huey  # noqa: B018 - builds the queue (and the sending task) on first use
    task = current_app.extensions.get(EXTENSION)
    for to, subject, body in pending:
        try:
            task(to, subject, body) if task else deliver(to, subject, body)
        except Exception as error:  # noqa: BLE001 — the queue itself is down: the change has committed anyway
            log.warning("邮件通知未能加入发送队列（收件人 %s）：%s: %s", to, type(error).__name__, error)


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous: SessionTransaction) -> None:
    if previous.parent is None:  # the whole transaction rolled back: its notices never were
        session.info.pop(_PENDING, None)
