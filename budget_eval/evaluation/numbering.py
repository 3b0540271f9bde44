"""Document numbers (发文字号) from a per-year counter in the database, safe when two requests race.

The counter row is incremented with one UPDATE … RETURNING (a row lock on PostgreSQL, the database write lock on
SQLite); the first number of a year inserts the row, and a racing insert that loses on the unique (kind, year)
constraint retries the update. A document keeps the number it was first given.
"""
from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from budget_eval.evaluation.models import EvaluationYear
from budget_eval.platform.extensions import db
from budget_eval.platform.audit import audit, system
from budget_eval.platform.numbering import next_number


def _actor():
    """Whoever asked for the notice (its download numbers it), or the system when no one is signed in."""
    from flask import has_request_context
    from flask_login import current_user

    if has_request_context() and current_user.is_authenticated:
        return current_user
    return system("生成结果通报")


def notice_number(record: EvaluationYear, issue_year: int, template: str) -> str:
    """The results notice's 文号: given once per evaluation year, from the issuing year's counter (commits)."""
    if record.notice_number:
        return record.notice_number
    for _ in range(3):
        try:
            number = template.format(year=issue_year, seq=next_number("evaluation_notice", issue_year))
            claimed = db.session.execute(
                update(EvaluationYear).where(EvaluationYear.id == record.id, EvaluationYear.notice_number.is_(None))
                .values(notice_number=number)
            ).rowcount
            if claimed != 1:  # another request numbered this notice first: keep its number, not ours
                db.session.rollback()
                break
            audit("evaluation", f"{record.year}年度考评", f"结果通报编号：{number}", _actor())
            db.session.commit()
            break
        except IntegrityError:  # another request created this year's counter first
            db.session.rollback()
    db.session.refresh(record)
    return record.notice_number or ""
