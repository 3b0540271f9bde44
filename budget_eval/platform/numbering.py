"""Per-year counters for document numbers (发文字号, 报告编号), safe when two requests race.

The counter row is incremented with one UPDATE … RETURNING (a row lock on PostgreSQL, the database write lock on
SQLite); the first number of a year inserts the row, and a racing insert that loses on the unique (kind, year)
constraint raises IntegrityError for the caller to retry. Numbers have no leading zeros (GB/T 9704 7.2.3).
"""
from __future__ import annotations

from sqlalchemy import update

from budget_eval.platform.extensions import db
from budget_eval.platform.models.numbering import DocumentCounter


def next_number(kind: str, year: int) -> int:
    """The next number of this kind in this year (1, 2, …); flushes, the caller commits."""
    number = db.session.execute(
        update(DocumentCounter).where(DocumentCounter.kind == kind, DocumentCounter.year == year)
        .values(last_number=DocumentCounter.last_number + 1).returning(DocumentCounter.last_number)
    ).scalar()
    if number is not None:
        return number
    with db.session.begin_nested():
        db.session.add(DocumentCounter(kind=kind, year=year, last_number=1))
    return 1
