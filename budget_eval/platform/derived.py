"""Derived figures computed once when their inputs change, then read from the database (issue 22).

`lookup(kind, key)` returns the stored value or MISSING (never computing: figures a background job computes);
`store(kind, key, value)` keeps one; `keep_only(kind, prefix, keep)` forgets a job's figures of older versions of
its inputs (keys that carry a version, e.g. the hot words keyed by the versions of a year's comments, stop matching
when the version is raised; no invalidation needed). `stored(kind, key, compute)` returns the stored value of
(kind, key), or computes it, stores it (in its own savepoint: of two workers computing it at once, one row stays)
and returns it. `invalidate(kind, key)` is called by the actions that change the inputs (a survey import, a panel
seat moving), in their own transaction, so a figure never outlives its data. The value is pickled: it is written
and read only by this module from objects the application computed, never from user input. The figure is written
in a transaction of its own (a page that only reads never commits its session).
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
    found = lookup(kind, key)
    if found is not MISSING:
        return found  # type: ignore[return-value]
    value = compute()
    store(kind, key, value)
    return value


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()  # what `lookup` returns for a figure not stored (None may be a stored value)


def lookup(kind: str, key: str) -> object:
    """The stored value of (kind, key), or MISSING: never computes (for figures a job computes, issue 22)."""
    found = db.session.scalar(select(DerivedFigure.value).where(DerivedFigure.kind == kind, DerivedFigure.key == key))
    if found is None:
        return MISSING
    try:
        return pickle.loads(found)
    except Exception:  # a figure pickled by an older version of the code: computed again
        invalidate(kind, key)
        return MISSING


def store(kind: str, key: str, value: object, replace: bool = False) -> None:
    """Keep a computed figure, in its own transaction: a page that only reads (and never commits) still keeps it;
    of two workers storing the same figure at once, one row stays. `replace`: a figure already stored under the
    key gives way (a recomputation the office asked for)."""
    data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    try:
        with db.engine.begin() as conn:
            if replace:
                conn.execute(delete(DerivedFigure).where(DerivedFigure.kind == kind, DerivedFigure.key == key))
            conn.execute(insert(DerivedFigure).values(kind=kind, key=key, value=data, computed_at=utcnow()))
    except (IntegrityError, OperationalError):  # another worker stored it first (the same figure), or a lock
        pass


def invalidate(kind: str, key: str | None = None) -> None:
    """Forget the stored figures of a kind (or of one key, or of keys starting with `key` + ':')."""
    query = delete(DerivedFigure).where(DerivedFigure.kind == kind)
    if key is not None:
        query = query.where((DerivedFigure.key == key) | DerivedFigure.key.startswith(key + ":", autoescape=True))
    db.session.execute(query, execution_options={"synchronize_session": False})


def keep_only(kind: str, prefix: str, keep: set[str]) -> None:
    """Forget the stored figures of a kind whose keys start with `prefix` + ':' except those in `keep` (the figures
    a job just stored; the others are of older versions of their inputs, which no key matches any more), in a
    transaction of its own like `store`."""
    try:
        with db.engine.begin() as conn:
            conn.execute(delete(DerivedFigure).where(DerivedFigure.kind == kind,
                                                     DerivedFigure.key.startswith(prefix + ":", autoescape=True),
                                                     DerivedFigure.key.not_in(keep)))
    except OperationalError:  # a lock: the orphans go next time
        pass
