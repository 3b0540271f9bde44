"""Login throttling per (user name, source address): a growing wait, never a lock-out.

A failure is counted *before* the password is checked, by compare-and-set on the row's failure count, so
30 parallel attempts get exactly as many password checks as the count allows, on SQLite and PostgreSQL
alike; a successful sign-in clears the row. Failures from another address never slow the person down at
theirs, and an admin can clear every row of a user name (解除登录限制).
"""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from budget_eval.platform.extensions import db
from budget_eval.platform.models.user import LoginThrottle
from budget_eval.platform.models.types import utcnow

TRIES = 5  # compare-and-set rounds before an attempt is refused as "too busy"


def delay_after(failures: int, config) -> timedelta:
    """How long to wait after this many failures: none for the free ones, then doubling up to the cap."""
    extra = failures - config["LOGIN_FREE_FAILURES"]
    if extra < 0:
        return timedelta(0)
    seconds = config["LOGIN_DELAY_SECONDS"] * 2 ** min(extra, 30)
    return timedelta(seconds=min(seconds, config["LOGIN_MAX_DELAY_SECONDS"]))


def reserve(username: str, address: str) -> int:
    """Count this attempt as a failure in advance; returns 0 if it may go on, else the seconds to wait."""
    config = current_app.config
    _ensure_row(username, address)
    table = LoginThrottle.__table__
    key = (table.c.username == username) & (table.c.address == address)
    for _ in range(TRIES):
        with db.engine.begin() as conn:
            if conn.dialect.name == "sqlite":  # take the write lock first, or two readers deadlock on upgrade
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            row = conn.execute(sa.select(table.c.failures, table.c.last_failure_at, table.c.next_allowed_at)
                               .where(key)).one()
            now = utcnow()
            failures = row.failures
            if row.last_failure_at and now - row.last_failure_at > timedelta(minutes=config["LOGIN_FORGET_MINUTES"]):
                failures = 0  # long enough without a failure: start again
            elif row.next_allowed_at and now < row.next_allowed_at:
                return max(1, int((row.next_allowed_at - now).total_seconds() + 0.999))
            changed = conn.execute(table.update().where(key, table.c.failures == row.failures).values(
                failures=failures + 1, last_failure_at=now,
                next_allowed_at=now + delay_after(failures + 1, config)))
            if changed.rowcount == 1:
                return 0
    return 1  # lost every race to parallel attempts: treat as throttled


def succeeded(username: str, address: str) -> None:
    """The password was right: forget this pair's failures (the reserved one included)."""
    with db.engine.begin() as conn:
        table = LoginThrottle.__table__
        conn.execute(table.delete().where(table.c.username == username, table.c.address == address))


def unlock(username: str) -> int:
    """Admin: clear every throttle of a user name; returns how many address rows were cleared."""
    table = LoginThrottle.__table__
    with db.engine.begin() as conn:
        return conn.execute(table.delete().where(table.c.username == username)).rowcount


def throttled_names(now: datetime | None = None) -> set[str]:
    """User names that some address must currently wait for (shown to admins with an unlock button)."""
    now = now or utcnow()
    return set(db.session.scalars(sa.select(LoginThrottle.username).where(LoginThrottle.next_allowed_at > now)))


def _ensure_row(username: str, address: str) -> None:
    table = LoginThrottle.__table__
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        conn.execute(insert(table).values(username=username, address=address, failures=0)
                     .on_conflict_do_nothing(index_elements=["username", "address"]))
