"""Every lifecycle's states are exactly what the live database lets its column hold, on each backend.

The lifecycles are collected from every feature's domain package (a new one is found without a list here); each
must be named by the model whose column it drives (`lifecycle = …`). The database's CHECK on that column is read
from the database itself (SQLite: the table's SQL in sqlite_master; PostgreSQL: pg_get_constraintdef), its
allowed values compared with the states' stored values, and the column's nullability with the null state
(meeting items store 待决策 as NULL).
"""
from __future__ import annotations

import importlib
import pkgutil
import re

import sqlalchemy as sa

import budget_eval
from budget_eval.platform.domain.lifecycle import Lifecycle
from budget_eval.platform.extensions import db
from budget_eval.platform.models.constraints import stored_states

NULL = "NULL"


def all_lifecycles() -> dict[str, Lifecycle]:
    found = {}
    for module in pkgutil.walk_packages(budget_eval.__path__, "budget_eval."):
        if ".domain" in module.name:
            found.update({v.name: v for v in vars(importlib.import_module(module.name)).values()
                          if isinstance(v, Lifecycle)})
    return found


def models() -> dict[str, type]:
    """Lifecycle name → the model whose column it drives (`lifecycle`, or one of `more_lifecycles` when a record
    has a second status, as a meeting item's 纳入项目库 beside its decision)."""
    classes = [mapper.class_ for mapper in db.Model.registry.mappers]
    return {lifecycle.name: c for c in classes if isinstance(getattr(c, "lifecycle", None), Lifecycle)
            for lifecycle in (c.lifecycle, *getattr(c, "more_lifecycles", ()))}


def lifecycle_of(model: type, name: str) -> Lifecycle:
    return next(x for x in (model.lifecycle, *getattr(model, "more_lifecycles", ())) if x.name == name)


def declared(lifecycle: Lifecycle) -> set[str]:
    return set(stored_states(lifecycle)) | ({NULL} if lifecycle.null_state is not None else set())


def test_every_lifecycle_is_found_and_named_by_its_model(app):
    lifecycles = all_lifecycles()
    assert len(lifecycles) >= 12  # proposal, round, sheet, material, self-assessment, meeting item, year, …
    assert sorted(lifecycles) == sorted(models())
    for name, model in models().items():
        assert lifecycle_of(model, name) is lifecycles[name]
        assert lifecycles[name].column in model.__table__.c, (name, model)


def test_every_lifecycle_matches_its_database_check(app):
    expected, found = {}, {}
    with db.engine.connect() as conn:
        for name, model in sorted(models().items()):
            lifecycle, table = lifecycle_of(model, name), model.__table__.name
            key = f"{name}: {table}.{lifecycle.column}"
            expected[key] = sorted(declared(lifecycle))
            checks = [values for body in live_checks(conn, table)
                      if (values := allowed_values(body, lifecycle.column)) is not None]
            nullable = next(c["nullable"] for c in sa.inspect(conn).get_columns(table) if c["name"] == lifecycle.column)
            found[key] = sorted(checks[0] | ({NULL} if nullable else set())) if len(checks) == 1 else \
                f"{len(checks)} CHECK constraints on the column's values"
    assert found == expected


def test_the_models_declare_the_same_checks(app):
    """The models' metadata (create_all, `flask db migrate`) says what the database says."""
    for name, model in models().items():
        lifecycle = lifecycle_of(model, name)
        bodies = [str(c.sqltext) for c in model.__table__.constraints if isinstance(c, sa.CheckConstraint)]
        values = [v for body in bodies if (v := allowed_values(body, lifecycle.column)) is not None]
        assert values == [set(stored_states(lifecycle))], model


def live_checks(conn: sa.Connection, table: str) -> list[str]:
    """The bodies of the table's CHECK constraints, as the database reports them."""
    if conn.dialect.name == "sqlite":
        sql = conn.execute(sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t"),
                           {"t": table}).scalar_one()
        return [_parenthesised(sql, match.end() - 1) for match in re.finditer(r"\bCHECK\s*\(", sql, re.I)]
    definitions = conn.execute(sa.text(
        "SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
        "JOIN pg_namespace n ON n.oid = t.relnamespace WHERE c.contype = 'c' AND t.relname = :t "
        "AND n.nspname = current_schema()"), {"t": table}).scalars()
    return [re.sub(r"^CHECK\s*", "", d) for d in definitions]


def _parenthesised(text: str, start: int) -> str:
    """The text from the parenthesis at `start` to the one that closes it."""
    depth = 0
    for end in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[end], 0)
        if depth == 0:
            return text[start:end + 1]
    raise AssertionError(f"unbalanced CHECK in {text!r}")


def allowed_values(body: str, column: str) -> set[str] | None:
    """The values a CHECK lets `column` hold, if it is `column IN (…)` (PostgreSQL: `column = ANY (ARRAY[…])`, or
    `column = '…'` for a single value, as it rewrites `IN ('included')`)."""
    single = re.match(rf'^[\s(]*"?{column}"?\)?(?:::[\w ]+?)?\s*=\s*\'([^\']*)\'(?:::[\w ]+?)?[\s)]*$', body, re.I)
    if single:
        return {single.group(1)}
    head = rf'^[\s(]*"?{column}"?\)?(?:::[\w ]+?)?\s*(?:IN\s*\(|=\s*ANY\s*\()'
    if not re.match(head, body, re.I):
        return None
    return set(re.findall(r"'([^']*)'", body))
