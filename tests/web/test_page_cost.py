"""Every page is flat in the size of the data (issue 22): the SQL statements a page issues and the ORM rows it
loads are the same with 100 proposals (1,000 survey rows) as with 2,000 proposals (20,000 survey rows). The data
is written with bulk inserts (tests/scale_data.py); SQLite is enough to count."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from types import SimpleNamespace

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from budget_eval.platform.extensions import db
from tests import scale_data
from tests.web.client import WebClient

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

# (who, url) of every page that lists or aggregates something that grows
PAGES = [
    ("admin", "/"),
    ("admin", "/proposals/"),
    ("admin", "/proposals/?page=4"),
    ("admin", "/proposals/?status=concluded"),
    ("admin", "/proposals/?q=号道路"),
    ("admin", "/proposals/?q=号道路&page=3"),
    ("admin", "/proposals/50"),
    ("admin", "/pipeline/"),
    ("admin", "/admin/audit"),
    ("admin", "/admin/audit?page=5"),
    ("admin", "/admin/audit?q=号道路"),
    ("admin", "/meetings/"),
    ("admin", "/meetings/1"),
    ("expert0", "/"),
    ("expert0", "/reviews/"),
    ("expert0", "/reviews/?page=2"),
    ("expert0", "/reviews/?q=号道路&sort=-deadline"),
    ("expert0", "/reviews/?sort=proposal&page=2"),
    ("expert0", "/reviews/13"),
    ("reviewer", "/"),
    ("reviewer", "/proposals/"),
    ("jiaotong", "/"),
    ("jiaotong", "/proposals/"),
    ("kpb", "/"),
    ("kpb", "/evaluation/2026/"),
    ("kpb", "/evaluation/units/1"),
    ("jiaotong", "/evaluation/units/1"),
    ("kpb", "/evaluation/2026/hotwords"),
    ("kpb", "/evaluation/2026/feedback"),
]


@contextmanager
def counting():
    """The SQL statements sent, and the rows every ORM-session statement returned (entities or columns, lazy
    and eager loads included: each result is read through once to count it, as the caching recipe of
    SQLAlchemy's documentation does, and handed on unchanged)."""
    counts = {"sql": 0, "rows": 0, "statements": []}

    def statement(_conn, _cursor, sql, *_args):
        counts["sql"] += 1
        counts["statements"].append(sql)

    def rows(state):
        if not state.is_select:
            return None
        frozen = state.invoke_statement().freeze()
        counts["rows"] += len(frozen.data)
        return frozen()

    event.listen(db.engine, "before_cursor_execute", statement)
    event.listen(Session, "do_orm_execute", rows)
    try:
        yield counts
    finally:
        event.remove(db.engine, "before_cursor_execute", statement)
        event.remove(Session, "do_orm_execute", rows)


def cost(clients: dict[str, WebClient]) -> dict[tuple[str, str], tuple[int, int]]:
    found = {}
    for who, url in PAGES:
        clients[who].get(url)  # once to fill what is computed once and stored
        db.session.remove()
        with counting() as counts:
            response = clients[who].get(url)
        assert response.status_code == 200, (who, url, response.status_code)
        found[(who, url)] = (counts["sql"], counts["rows"])
        if url.startswith(SURVEY_READ_BY_INDEX):  # no aggregate over the year's survey rows on each view
            unbounded = [sql for sql in counts["statements"] if "survey_response" in sql and "LIMIT" not in sql]
            assert not unbounded, (who, url, unbounded)
        db.session.remove()
    return found


# pages that read the survey only through stored figures and LIMITed queries (their stored figures are keyed by the
# year's versions, evaluation/versions.py): every statement over survey_response they send has a LIMIT
SURVEY_READ_BY_INDEX = ("/evaluation/units/", "/evaluation/2026/hotwords")


def hot_words() -> None:
    """The year's hot words computed for the survey as it now stands, as the job queued by an import would (so the
    pages show them, not 「正在计算」)."""
    from budget_eval.evaluation import hotword_job
    from budget_eval.evaluation.models import EvaluationYear
    from budget_eval.platform.audit import system

    hotword_job.compute(db.session.scalar(select(EvaluationYear)), system("生成测试数据"))
    db.session.commit()
    db.session.remove()


def test_pages_do_not_grow_with_the_data(app):
    app.config["PER_PAGE"] = 2  # so that every list fills its page with the smaller data too
    with db.engine.begin() as conn:
        scale_data.base(conn)
    scale_data.open_year()
    with db.engine.begin() as conn:
        scale_data.grow(conn, 100, survey=1000, meeting_size=10)
    hot_words()
    clients = {}
    for who in {who for who, _ in PAGES}:
        clients[who] = WebClient(app)
        clients[who].login(SimpleNamespace(username=who), scale_data.PASSWORD)
    small = cost(clients)
    with db.engine.begin() as conn:
        scale_data.grow(conn, 1900, survey=19000, meeting_size=10)
    hot_words()
    large = cost(clients)
    grown = {page: (small[page], large[page]) for page in PAGES if large[page] > small[page]}
    assert not grown, "\n".join(f"{who} {url}: (sql, rows) {a} → {b}" for (who, url), (a, b) in grown.items())
