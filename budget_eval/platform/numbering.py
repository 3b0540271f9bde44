"""Per-year counters for document numbers (发文字号, 报告编号), safe when two requests race.

The counter row is incremented with one UPDATE … RETURNING (a row lock on PostgreSQL, the database write lock on
SQLite); the first number of a year inserts the row, and a racing insert that loses on the unique (kind, year)
constraint raises IntegrityError for the caller to retry. Numbers have no leading zeros (GB/T 9704 7.2.3).
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

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


def number_once(row, column: str, kind: str, year: int, make: Callable[[int], str],
                on_claim: Callable[[str], None] | None = None) -> str:
    """Give `row.<column>` its number once, from `kind`'s counter of `year` (`make` writes it from the sequence);
    commits. A request that loses the race to number the row keeps the winner's number, and one that loses the
    race to create the year's counter tries again. `on_claim` adds what goes with the number (an audit line)."""
    if getattr(row, column):
        return getattr(row, column)
    model = type(row)
    for _ in range(3):
        try:
            number = make(next_number(kind, year))
            claimed = db.session.execute(update(model).where(model.id == row.id, getattr(model, column).is_(None))
                                         .values({column: number})).rowcount
            if claimed != 1:  # another request numbered this row first: keep its number, not ours
                db.session.rollback()
                break
            if on_claim:
                on_claim(number)
            db.session.commit()
            break
        except IntegrityError:  # another request created this year's counter first
            db.session.rollback()
    db.session.refresh(row)
    return getattr(row, column) or ""
