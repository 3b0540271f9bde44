"""Schema rules declared once, beside the models that need them.

`state_check(lifecycle)`: the CHECK that a lifecycle's column holds one of its states, written from the enum (so
the model, `flask db migrate` and the database agree with the lifecycle; tests/web/test_lifecycle_checks.py
compares each lifecycle with the live database's CHECK).

`race_guard(...)` / `race_guard_where(...)`: a unique constraint (or partial unique index) that stops two
requests creating the same thing at once (two open rounds of one proposal, the same reviewer twice on a panel).
Only a violation of one of these is a lost race: the error pages (platform/errors.py) tell the user "someone else
did this first". Any other violation is a bug, logged with its traceback and shown as the 500 page.
"""
from __future__ import annotations

from sqlalchemy import CheckConstraint, Index, MetaData, UniqueConstraint, text

from budget_eval.platform.domain.lifecycle import Lifecycle

RACE_GUARD = "race_guard"  # the key in a constraint's or index's `info`


def race_guard(*columns: str, name: str | None = None) -> UniqueConstraint:
    """A unique constraint that a race between two requests may hit (named by the metadata's convention)."""
    return UniqueConstraint(*columns, name=name, info={RACE_GUARD: True})


def race_guard_where(name: str, column: str | tuple[str, ...], where: str) -> Index:
    """A partial unique index (one row per `column` — or tuple of columns — while `where` holds) that a race may hit."""
    columns = (column,) if isinstance(column, str) else column
    return Index(name, *columns, unique=True, sqlite_where=text(where), postgresql_where=text(where),
                 info={RACE_GUARD: True})


def stored_states(lifecycle: Lifecycle) -> list[str]:
    """The values a lifecycle writes to its column, in declaration order (its null state, if any, is NULL)."""
    return [value for state in lifecycle.states if (value := lifecycle.stored(state)) is not None]


def state_check(lifecycle: Lifecycle) -> CheckConstraint:
    """CHECK (column IN (states)); named ck_<table>_<column>_known by the metadata's naming convention."""
    allowed = ", ".join(f"'{value}'" for value in stored_states(lifecycle))
    return CheckConstraint(f"{lifecycle.column} IN ({allowed})", name=f"{lifecycle.column}_known")


def race_guard_names(metadata: MetaData) -> frozenset[str]:
    """The names of every constraint and index declared as a race guard."""
    names = set()
    for table in metadata.tables.values():
        for item in (*table.constraints, *table.indexes):
            if item.info.get(RACE_GUARD) and item.name:
                names.add(str(item.name))
    return frozenset(names)
