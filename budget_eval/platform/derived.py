"""Derived figures computed once when their inputs change, then read from the database (issue 22).

`stored(kind, key, compute)` returns the stored value of (kind, key), or computes it, stores it (in its own
savepoint: of two workers computing it at once, one row stays) and returns it. `invalidate(kind, key)` is called by
the actions that change the inputs (a survey import, a comment routed or merged, a panel seat moving), in their
own transaction, so a figure never outlives its data. The value is pickled: it is written and read only by this
module from objects the application computed, never from user input. The figure is written in a transaction
of its own (a page that only reads never commits its session).
"""
from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError

from budget_eval.platform.extensions import db
from budget_eval.platform.models.derived import DerivedFigure
from budget_eval.platform.models.types import utcnow

T = TypeVar("T")


def stored(kind: str, key: str, compute: Callable[[], T]) -> T:
    found = db.session.scalar(select(DerivedFigure.value).where(DerivedFigure.kind == kind, DerivedFigure.key == key))
    if found is not None:
        try:
            return pickle.loads(found)  # type: ignore[no-any-return]
        except Exception:  # a figure pickled by an older version of the code: computed again
            invalidate(kind, key)
    value = compute()
    data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    try:  # its own transaction: a page that only reads (and never commits) still keeps the figure
        with db.engine.begin() as conn:
            conn.execute(insert(DerivedFigure).values(kind=kind, key=key, value=data, computed_at=utcnow()))
    except (IntegrityError, OperationalError):  # another worker stored it first (the same figure), or a lock
        pass
    return value


def invalidate(kind: str, key: str | None = None) -> None:
    """Forget the stored figures of a kind (or of one key, or of keys starting with `key` + ':')."""
    query = delete(DerivedFigure).where(DerivedFigure.kind == kind)
    if key is not None:
        query = query.where((DerivedFigure.key == key) | DerivedFigure.key.startswith(key + ":", autoescape=True))
    db.session.execute(query, execution_options={"synchronize_session": False})
