"""What a database error means: a lost race, a bug (schema or code), or the database gone.

The constraint an `IntegrityError` names: PostgreSQL (psycopg) reports it in `orig.diag.constraint_name`;
SQLite names a CHECK constraint in its message ("CHECK constraint failed: ck_…") but a unique one only by its
columns ("UNIQUE constraint failed: assessment.proposal_id"), which are mapped back to the constraint or unique
index on that table with those columns, read from the models' metadata. NOT NULL and foreign-key violations name
no constraint on SQLite; they are never a race.
"""
from __future__ import annotations

import re

from sqlalchemy import Index, MetaData, PrimaryKeyConstraint, UniqueConstraint
from sqlalchemy.exc import DBAPIError, IntegrityError

from budget_eval.platform.models.constraints import race_guard_names

SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (.+)")
SQLITE_CHECK = re.compile(r"CHECK constraint failed: (\S+)")
# SQLite's OperationalError for a table or column the code expects and the database lacks (a missing migration)
SQLITE_SCHEMA = ("no such table", "no such column", "has no column named")


def violated(error: IntegrityError, metadata: MetaData) -> list[str]:
    """The names of the constraints this error reports (several only where SQLite's columns fit more than one)."""
    diag = getattr(error.orig, "diag", None)
    if name := getattr(diag, "constraint_name", None):
        return [name]
    message = str(error.orig).strip()
    if found := SQLITE_CHECK.match(message):
        return [found.group(1)]
    if found := SQLITE_UNIQUE.match(message):
        listing = found.group(1)
        if index := re.fullmatch(r"index '(.+)'", listing):  # a unique index on an expression names itself
            return [index.group(1)]
        return _unique_on(metadata, listing)
    return []


def _unique_on(metadata: MetaData, listing: str) -> list[str]:
    """The unique constraints, unique indexes and primary key of one table on exactly these columns."""
    pairs = [part.strip().partition(".") for part in listing.split(",")]
    tables = {table for table, _, _ in pairs}
    table = metadata.tables.get(tables.pop()) if len(tables) == 1 else None
    if table is None:
        return []
    columns = [column for _, _, column in pairs]
    candidates = [*table.constraints, *table.indexes]
    return [str(item.name) for item in candidates
            if (isinstance(item, UniqueConstraint | PrimaryKeyConstraint) or (isinstance(item, Index) and item.unique))
            and [c.name for c in item.columns] == columns]


def is_lost_race(error: IntegrityError, metadata: MetaData) -> bool:
    """Whether the write broke only constraints declared as race guards (two requests creating the same thing)."""
    names = violated(error, metadata)
    return bool(names) and set(names) <= race_guard_names(metadata)


def is_schema_error(error: DBAPIError) -> bool:
    """A table or column the code uses is missing (or the SQL is wrong): a bug or a missing migration, not an outage.
    PostgreSQL's SQLSTATE class 42 (undefined table 42P01, undefined column 42703 …); SQLite's message."""
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate:
        return sqlstate.startswith("42")
    message = str(error.orig)
    return any(text in message for text in SQLITE_SCHEMA)
