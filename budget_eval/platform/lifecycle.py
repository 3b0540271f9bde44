"""The one writer of every status column: lock the row, check the table again, write, record history and audit.

A transition runs inside the request's transaction. On PostgreSQL the row is locked (SELECT … FOR UPDATE), so a
second request waits, then sees the new state and is refused; the UPDATE itself also compares the old state
(compare-and-set), which keeps SQLite correct too. A refused or lost transition raises `Conflict` or
`TransitionError`; the web layer turns either into a Chinese message, never a 500. After a write, the writer sends
platform.signals.state_changed (a refused transition sends nothing).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from budget_eval.platform.audit import audit
from budget_eval.platform.domain.lifecycle import Conflict, Lifecycle, Step
from budget_eval.platform.extensions import db
from budget_eval.platform.models.history import StateEvent
from budget_eval.platform.signals import state_changed

History = Callable[[Step, object, str], None]


def _real(user):
    """The user itself, not flask_login's current_user proxy (which a receiver keeping it would see change)."""
    return user._get_current_object() if hasattr(user, "_get_current_object") else user


def lock(row):
    """Re-read `row` under a row lock, refreshing its attributes with the latest committed values."""
    model = type(row)
    query = select(model).where(model.id == row.id).with_for_update().execution_options(populate_existing=True)
    locked = db.session.scalars(query).one_or_none()
    if locked is None:
        raise Conflict()
    return locked


def apply(row, lifecycle: Lifecycle, action: str, user, actors: Iterable[str], *, reason: str = "",
          note: str = "", subject: str = "", history: History | None = None) -> Step:
    """Take `action` on `row` if the table allows it now; write the state, its history and an audit line."""
    lock(row)
    before = lifecycle.state(getattr(row, lifecycle.column))
    step = lifecycle.check(action, before, actors, reason)
    model, column = type(row), getattr(type(row), lifecycle.column)
    old_value, new_value = lifecycle.stored(before), lifecycle.stored(step.target)
    matches = column.is_(None) if old_value is None else column == old_value
    result = db.session.execute(
        update(model).where(model.id == row.id, matches).values({lifecycle.column: new_value})
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict()
    set_committed_value(row, lifecycle.column, new_value)
    text = "；".join(part for part in ((reason or "").strip(), note) if part)
    if history is not None:
        history(step, before, text)
    else:
        db.session.add(StateEvent(lifecycle=lifecycle.name, record_id=row.id, action=step.action,
                                  from_state=lifecycle.stored(before), to_state=new_value or step.target.value,
                                  note=text, user_id=getattr(user, "id", None)))
    change = f"{lifecycle.noun}：{step.label}（{lifecycle.labels[before]}→{lifecycle.labels[step.target]}）"
    audit(lifecycle.audit_kind, subject or f"{lifecycle.noun}#{row.id}", change + (f"：{text}" if text else ""), user)
    state_changed.send(lifecycle, row=row, action=step.action, step=step, before=before, after=step.target,
                       user=_real(user))
    return step


def create(row, lifecycle: Lifecycle, user, *, subject: str = "", note: str = ""):
    """Add a new record in its first state, with a history line (the record's creation is a transition too)."""
    db.session.add(row)
    db.session.flush()
    state = lifecycle.state(getattr(row, lifecycle.column))
    db.session.add(StateEvent(lifecycle=lifecycle.name, record_id=row.id, action="create", from_state=None,
                              to_state=state.value, note=note, user_id=getattr(user, "id", None)))
    audit("state", subject or f"{lifecycle.noun}#{row.id}", f"{lifecycle.noun}：新建（{lifecycle.labels[state]}）"
          + (f"：{note}" if note else ""), user)
    state_changed.send(lifecycle, row=row, action="create", step=None, before=None, after=state, user=_real(user))
    return row
