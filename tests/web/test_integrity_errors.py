"""Honest errors: only a lost race is "该事项已由他人处理"; any other database error is a logged 500.

Each case runs a write inside a real request, through a test-only route on this test's app (a blueprint whose
route table declares it, as every feature's does; the route guard refuses undeclared endpoints). A duplicate
through a unique constraint or index declared as a race guard (platform/models/constraints.race_guard) and the
compare-and-set miss (`Conflict`) flash the conflict message and send the user back; a NOT NULL, CHECK, foreign
key or undeclared unique violation, and a table or column the database lacks, are the Chinese 500 page and an
ERROR log line with the request id and the traceback. On SQLite and on PostgreSQL.
"""
from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from flask import Blueprint

from budget_eval.evaluation import operations as evaluation
from budget_eval.evaluation.models import Appeal, EvaluationYear
from budget_eval.intake.models import Attachment
from budget_eval.platform.domain.lifecycle import CONFLICT_MESSAGE, Conflict
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.platform.models.department import Department
from budget_eval.platform.permissions import PUBLIC, guard
from tests.web.client import WebClient
from tests.web.factories import TESTER

ACTIONS: dict[str, Callable[[], None]] = {}  # what the test route does, set by each test
bp = Blueprint("integrity_test", __name__)
guard(bp, {"integrity_test.run": PUBLIC})


@bp.route("/_test/integrity/<name>", methods=["GET", "POST"])
def run(name: str):
    ACTIONS[name]()
    db.session.commit()
    return "已保存"


@pytest.fixture
def app(fresh_app):
    """These tests add a blueprint, which Flask refuses once an app has served a request: an app of their own."""
    return fresh_app


@pytest.fixture
def web(app):
    app.register_blueprint(bp)  # before the app's first request
    yield WebClient(app)
    ACTIONS.clear()


def post(web: WebClient, action: Callable[[], None]):
    ACTIONS["action"] = action
    return web.post("/_test/integrity/action", headers={"Referer": "/evaluation/"})


def flashes(web: WebClient) -> list:
    with web.http.session_transaction() as session:
        return list(session.get("_flashes", []))


def assert_lost_race(web: WebClient, response) -> None:
    assert response.status_code == 302 and response.headers["Location"] == "/evaluation/"
    assert flashes(web) == [("warning", CONFLICT_MESSAGE)]


def assert_logged_500(web: WebClient, response, caplog) -> None:
    page = response.get_data(as_text=True)
    assert response.status_code == 500, page[:500]
    assert "系统内部错误" in page and CONFLICT_MESSAGE not in page and flashes(web) == []
    request_id = response.headers["X-Request-ID"]
    assert request_id in page
    errors = [r for r in caplog.records if r.levelno == logging.ERROR and request_id in r.getMessage()]
    assert errors and errors[0].exc_info is not None and errors[0].request_id == request_id
    assert not [r for r in caplog.records if r.levelno == logging.WARNING and "并发" in r.getMessage()]


# --- lost races ----------------------------------------------------------------------------------------------
def test_a_duplicate_through_a_race_guard_unique_constraint_is_a_lost_race(web, make):
    make.department("杭州市交通运输局")
    response = post(web, lambda: db.session.add(Department(name="杭州市交通运输局")))
    assert_lost_race(web, response)


@pytest.fixture
def pending_appeal(app, make):
    make.department("杭州市交通运输局")
    office = make.user(Role.EVAL_OFFICE)
    record = evaluation.open_year(2026, "hangzhou", TESTER)
    unit = record.units[0]
    db.session.add(Appeal(unit_id=unit.id, reason="得分有误", filed_by_id=office.id))
    db.session.commit()
    return unit.id, office.id


def test_a_second_pending_appeal_through_the_partial_unique_index_is_a_lost_race(web, pending_appeal):
    unit_id, office_id = pending_appeal
    response = post(web, lambda: db.session.add(Appeal(unit_id=unit_id, reason="再次申诉", filed_by_id=office_id)))
    assert_lost_race(web, response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Appeal)) == 1


def test_a_compare_and_set_miss_is_a_lost_race(web):
    def lose():
        raise Conflict()

    assert_lost_race(web, post(web, lose))
    ACTIONS["action"] = lose
    page = web.get("/_test/integrity/action")  # a page that cannot be shown: the 409 page, not a redirect
    assert page.status_code == 409 and CONFLICT_MESSAGE in page.get_data(as_text=True)


# --- bugs: the 500 page and an ERROR line ----------------------------------------------------------------------
def test_a_not_null_violation_is_a_logged_500(web, caplog):
    with caplog.at_level(logging.WARNING):
        response = post(web, lambda: db.session.add(Department(name=None)))
    assert_logged_500(web, response, caplog)


def test_a_check_violation_is_a_logged_500(web, app, caplog):
    evaluation.open_year(2026, "hangzhou", TESTER)
    with caplog.at_level(logging.WARNING):
        response = post(web, lambda: db.session.execute(sa.update(EvaluationYear).values(status="archived")))
    assert_logged_500(web, response, caplog)
    assert any("ck_evaluation_year_status_known" in r.getMessage() for r in caplog.records)


def test_a_foreign_key_violation_is_a_logged_500(web, caplog):
    def orphan():
        connection = db.session.connection()
        if connection.dialect.name == "sqlite":  # the app's SQLite connections do not enforce foreign keys
            connection.exec_driver_sql("PRAGMA foreign_keys = ON")
        db.session.add(Department(name="无主管部门", authority_id=10**6))

    with caplog.at_level(logging.WARNING):
        response = post(web, orphan)
    assert_logged_500(web, response, caplog)


def test_a_duplicate_through_an_undeclared_unique_constraint_is_a_logged_500(web, make, caplog):
    staff = make.user(Role.DEPARTMENT)
    proposal_id, user_id = make.proposal(staff).id, staff.id

    def same_key():
        for name in ("a.pdf", "b.pdf"):
            db.session.add(Attachment(proposal_id=proposal_id, filename=name, storage_key="same-key", size=1,
                                      sha256="0" * 64, uploaded_by_id=user_id))

    with caplog.at_level(logging.WARNING):
        response = post(web, same_key)
    assert_logged_500(web, response, caplog)
    assert any("uq_attachment_storage_key" in r.getMessage() for r in caplog.records)


def test_a_duplicate_primary_key_is_a_logged_500(web, make, caplog):
    taken = make.department().id
    with caplog.at_level(logging.WARNING):
        response = post(web, lambda: db.session.execute(sa.insert(Department).values(id=taken, name="另一个部门")))
    assert_logged_500(web, response, caplog)


@pytest.mark.parametrize("query", [
    sa.select(sa.table("department", sa.column("retired_at"))),  # code ahead of its migration: a dropped column
    sa.select(sa.table("department_archive", sa.column("id"))),  # … a missing table
], ids=["missing column", "missing table"])
def test_a_missing_column_or_table_is_a_logged_500_not_database_down(web, caplog, query):
    with caplog.at_level(logging.WARNING):
        ACTIONS["read"] = lambda: db.session.execute(query).all()
        response = web.get("/_test/integrity/read")
    assert_logged_500(web, response, caplog)
    assert "系统暂时无法连接数据库" not in response.get_data(as_text=True)
    with caplog.at_level(logging.WARNING):
        response = post(web, lambda: db.session.execute(query).all())
    assert_logged_500(web, response, caplog)
