"""A list's sort (platform/datatable.py): blanks last where a column may be blank; a NOT NULL column is ordered as
its index is (ORDER BY … NULLS LAST on it made PostgreSQL sort the whole table for every page, issue 22)."""
from sqlalchemy import select
from sqlalchemy.dialects import postgresql

from budget_eval.platform.datatable import _nullable, Col, sorted_select, Spec
from budget_eval.platform.models.audit import AuditEvent
from budget_eval.platform.models.user import User


def _sql(query) -> str:
    return str(query.compile(dialect=postgresql.dialect()))


def test_not_null_column_sorts_without_nulls_last_and_nullable_one_with_it():
    assert _nullable(AuditEvent.at) is False
    assert _nullable(User.email) is True
    spec = Spec("t", [Col("at", "时间", lambda r: r.at, sort=AuditEvent.at),
                      Col("email", "邮箱", lambda r: r.email, sort=User.email)],
                default="-at", tiebreak=AuditEvent.id)
    by_time = sorted_select(select(AuditEvent), spec, {"sort": "-at"})[0]
    assert "ORDER BY audit_event.at DESC, audit_event.id DESC" in _sql(by_time)
    by_mail = sorted_select(select(User), spec, {"sort": "email"})[0]
    assert "user_account.email ASC NULLS LAST" in _sql(by_mail)
