"""Login throttling that protects without locking anyone out.

Failures are counted in three rows of one table (login_throttle: user name, address), the user name being the
compared form (NFKC + case folding, platform.models.user.username_key) and the address the client's as
ProxyFix gives it behind TRUSTED_PROXIES proxies:

- per account *and* client (name, address): after LOGIN_FREE_FAILURES the client must wait, doubling up to
  the cap; only that client, for that account;
- per client (CLIENT, address), every account together: after LOGIN_CLIENT_FREE_FAILURES the client must wait
  (one machine trying many names: password spraying);
- per account (name, ACCOUNT), every client together: after LOGIN_ACCOUNT_FREE_FAILURES every attempt on the
  account is answered only after LOGIN_STEP_UP_SECONDS (a step-up delay), but never refused. So a stranger's
  failures never stop the right password from a client that has not failed.

A failure is counted *before* the password is checked, by compare-and-set on the row's failure count, so
30 parallel attempts get exactly as many password checks as the count allows, on SQLite and PostgreSQL
alike. The right password clears the (name, address) row and takes back its own advance count from the other
two. An admin can clear every row of a user name (解除登录限制). 修改密码 counts a wrong current password the
same way (operations.change_own_password).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from budget_eval.platform.extensions import db
from budget_eval.platform.models.user import LoginThrottle
from budget_eval.platform.models.types import utcnow

TRIES = 5  # compare-and-set rounds before an attempt is refused as "too busy"
CLIENT = ""  # the user name of a client's row (a typed user name is never empty)
ACCOUNT = ""  # the address of an account's row (a request's address is never empty: see address_of)
UNKNOWN_ADDRESS = "unknown"


@dataclass(frozen=True)
class Decision:
    wait: int = 0  # > 0: refused, this client waits this many seconds
    step_up: bool = False  # the account has many recent failures from elsewhere: answer after a short delay
    scope: str = ""  # what refused it: "account+client" or "client"


def address_of(remote_addr: str | None) -> str:
    return (remote_addr or "").strip()[:64] or UNKNOWN_ADDRESS


def delay_after(failures: int, config, free: int | None = None) -> timedelta:
    """How long to wait after this many failures: none for the free ones, then doubling up to the cap."""
    extra = failures - (config["LOGIN_FREE_FAILURES"] if free is None else free)
    if extra < 0:
        return timedelta(0)
    seconds = config["LOGIN_DELAY_SECONDS"] * 2 ** min(extra, 30)
    return timedelta(seconds=min(seconds, config["LOGIN_MAX_DELAY_SECONDS"]))


def reserve(username: str, address: str) -> Decision:
    """Count this attempt as a failure in advance on all three rows; says whether it may go on."""
    config = current_app.config
    wait, _ = _charge(username, address, config["LOGIN_FREE_FAILURES"], block=True)
    if wait:
        return Decision(wait=wait, scope="account+client")
    wait, _ = _charge(CLIENT, address, config["LOGIN_CLIENT_FREE_FAILURES"], block=True)
    if wait:
        return Decision(wait=wait, scope="client")
    _, before = _charge(username, ACCOUNT, config["LOGIN_ACCOUNT_FREE_FAILURES"], block=False)
    return Decision(step_up=before >= config["LOGIN_ACCOUNT_FREE_FAILURES"])


def succeeded(username: str, address: str) -> None:
    """The password was right: forget this pair's failures, take back the advance count from the others."""
    table = LoginThrottle.__table__
    with db.engine.begin() as conn:
        conn.execute(table.delete().where(table.c.username == username, table.c.address == address))
    config = current_app.config
    _refund(CLIENT, address, config["LOGIN_CLIENT_FREE_FAILURES"])
    _refund(username, ACCOUNT, None)


def unlock(username: str) -> int:
    """Admin: clear every throttle of a user name; returns how many client rows were cleared."""
    table = LoginThrottle.__table__
    with db.engine.begin() as conn:
        conn.execute(table.delete().where(table.c.username == username, table.c.address == ACCOUNT))
        return conn.execute(table.delete().where(table.c.username == username)).rowcount


def throttled_names(now: datetime | None = None) -> set[str]:
    """User names (compared form) that some client must currently wait for (admins see 解除限制)."""
    now = now or utcnow()
    return set(db.session.scalars(sa.select(LoginThrottle.username).where(
        LoginThrottle.next_allowed_at > now, LoginThrottle.username != CLIENT)))


def _charge(username: str, address: str, free: int, *, block: bool) -> tuple[int, int]:
    """Add one failure to a row by compare-and-set: (seconds to wait, 0 if none; failures counted before)."""
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
            elif block and row.next_allowed_at and now < row.next_allowed_at:
                return max(1, int((row.next_allowed_at - now).total_seconds() + 0.999)), failures
            wait_until = now + delay_after(failures + 1, config, free) if block else None
            changed = conn.execute(table.update().where(key, table.c.failures == row.failures).values(
                failures=failures + 1, last_failure_at=now, next_allowed_at=wait_until))
            if changed.rowcount == 1:
                return 0, failures
    return 1, 0  # lost every race to parallel attempts: treat as throttled


def _refund(username: str, address: str, free: int | None) -> None:
    """Take back one advance failure (the attempt succeeded); a client row's wait follows its new count."""
    table = LoginThrottle.__table__
    key = (table.c.username == username) & (table.c.address == address)
    config = current_app.config
    with db.engine.begin() as conn:
        row = conn.execute(sa.select(table.c.failures, table.c.last_failure_at).where(key)).one_or_none()
        if row is None or row.failures <= 0:
            return
        failures = row.failures - 1
        wait_until = None
        if free is not None and failures and delay_after(failures, config, free):
            wait_until = (row.last_failure_at or utcnow()) + delay_after(failures, config, free)
        conn.execute(table.update().where(key, table.c.failures == row.failures).values(
            failures=failures, next_allowed_at=wait_until))


def _ensure_row(username: str, address: str) -> None:
    table = LoginThrottle.__table__
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        conn.execute(insert(table).values(username=username, address=address, failures=0)
                     .on_conflict_do_nothing(index_elements=["username", "address"]))
