"""Sessions that end: a version stored with the user, an idle limit and an absolute limit.

The session keeps "<user id>.<session version>" (User.get_id); raising the user's version (logout, password
change or reset, role or department change, deactivation) makes every cookie issued before it worthless,
wherever it was copied to. The signed cookie also carries when the user signed in and when they were last
seen; past SESSION_IDLE_MINUTES or SESSION_ABSOLUTE_HOURS the loader refuses it.
"""
from __future__ import annotations

import time

from flask import current_app, session

from budget_eval.platform.extensions import db, login_manager

LOGIN_AT, SEEN_AT = "_login_at", "_seen_at"
SEEN_EVERY = 60  # seconds: refresh the idle clock at most once a minute (fewer new cookies)


def start(user) -> None:
    """Called right after login_user: stamp the session's start."""
    now = _now()
    session[LOGIN_AT] = session[SEEN_AT] = now
    session.permanent = True  # the cookie itself expires with the absolute lifetime


def load_user(user_id: str):
    from budget_eval.platform.models.user import User

    user_part, _, version = user_id.partition(".")
    if not user_part.isdigit() or not version.isdigit() or not _within_lifetimes():
        return None
    user = db.session.get(User, int(user_part))
    if user is None or user.session_version != int(version):
        return None
    return user


def _within_lifetimes() -> bool:
    now = _now()
    login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
    if not isinstance(login_at, int) or not isinstance(seen_at, int):
        return False
    config = current_app.config
    if now - login_at > config["SESSION_ABSOLUTE_HOURS"] * 3600 or now - seen_at > config["SESSION_IDLE_MINUTES"] * 60:
        session.clear()
        return False
    if now - seen_at >= SEEN_EVERY:
        session[SEEN_AT] = now
    return True


def _now() -> int:
    return int(time.time())


def register() -> None:
    login_manager.user_loader(load_user)
