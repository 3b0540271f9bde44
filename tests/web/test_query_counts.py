"""List pages run a constant number of queries, whatever the number of rows (no N+1)."""
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.evaluation import operations as evaluation
from tests.web.client import WebClient
from tests.web.factories import TESTER


@contextmanager
def counting():
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def queries(client, url) -> int:
    client.get(url)  # the first view stores the figures computed once (platform/derived.py)
    with counting() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


@pytest.mark.parametrize(("role", "url"), [(Role.ADMIN, "/proposals/"), (Role.ADMIN, "/admin/users"),
                                           (Role.ADMIN, "/admin/departments"), (Role.ADMIN, "/pipeline/")])
def test_proposal_and_admin_lists(app, make, role, url):
    client = WebClient(app)
    client.login(make.user(role))
    staff = make.user(Role.DEPARTMENT)
    for n in range(3):
        make.proposal(staff, name=f"项目{n}")
    few = queries(client, url)
    for n in range(3, 15):
        make.proposal(make.user(Role.DEPARTMENT), name=f"项目{n}")
    assert queries(client, url) == few


def test_evaluation_year_page(app, make):
    office = make.user(Role.EVAL_OFFICE)
    for n in range(3):
        make.department(f"部门{n}")
    evaluation.open_year(2026, "hangzhou", TESTER)
    client = WebClient(app)
    client.login(office)
    few = queries(client, "/evaluation/2026/")
    db.session.remove()
    for n in range(3, 15):
        make.department(f"部门{n}")
    from budget_eval.platform.models.department import Department
    from budget_eval.evaluation.models import EvaluationUnit, EvaluationYear

    year = db.session.scalar(db.select(EvaluationYear))
    for department in db.session.scalars(db.select(Department)):
        if department.id not in {u.department_id for u in year.units}:
            year.units.append(EvaluationUnit(department_id=department.id, group="city"))
    db.session.commit()
    assert queries(client, "/evaluation/2026/") == few
