"""Every POST form any demo user can reach, filled with arbitrary input (issue 6, property-based).

The forms are found by following the site's links as each demo user, so a new form is fuzzed without being
listed here. For each form hypothesis sends arbitrary Unicode, huge and negative numbers, NaN, empty and
missing fields, hostile file names; the answer must never be a server error, and when the answer is an error
(a message on the form, a refusal, or a red notice after a redirect) no table may have changed: nothing is
half-saved.
"""
from __future__ import annotations

import hashlib
import io
import os

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from budget_eval.demo import PASSWORD
from budget_eval.platform.extensions import db
from budget_eval.platform.models.user import User
from tests.web.client import WebClient
from budget_eval.platform.jobs import FAILED_MESSAGE
from tests.web.forms_crawler import crawl, path_of

# One user per role, and departments at different stages (draft, self-assessment, concluded, evaluation).
USERS = ["jiaotong", "weijian", "yiyuan", "chengguan", "minzheng", "reviewer1", "expert1", "admin", "kpb"]
# Where each crawl starts: the role's main list (the 工作台 at "/" is reached from the menu); started at the
# 工作台, the walk spends its page budget on the waiting items and misses deeper forms (reopen, waive).
START = {"expert1": "/reviews/", "kpb": "/evaluation/"}
# The test command runs a small, fixed, repeatable set (5 inputs per form, on each backend);
# BUDGET_EVAL_FUZZ_EXAMPLES=200 explores afresh each run.
EXAMPLES = int(os.environ.get("BUDGET_EVAL_FUZZ_EXAMPLES", "5"))
DERANDOMIZE = "BUDGET_EVAL_FUZZ_EXAMPLES" not in os.environ
NOT_A_FORM = {"auth.logout", "auth.login"}  # signing in and out are tested in test_auth.py
FINISHING = ("publish", "/act/", "delete", "conclude", "decide", "reopen", "/survey", "/leaders")
CRASHES = {}  # (route, error, message) → the input that caused it, for the failure report
LOGGED_ONLY = {"audit_event", "login_attempt"}  # refusals may be recorded there

hostile = st.sampled_from(["", " ", "NaN", "nan", "inf", "-inf", "1e999999", "-1", "-0", "0", "100.005",
                           "9" * 40, "-" + "9" * 30, "１２,３４５.６７", "10,000", "2027-13-45", "0000-00-00",
                           "<script>alert(1)</script>", "R&D <中心> \"'", "💰" * 50, "\x00", "a" * 10_000,
                           "../../etc/passwd", "1;DROP TABLE proposal", "二〇二七"])
any_text = st.text(max_size=60)
numbers = st.one_of(st.integers(min_value=-10**25, max_value=10**25).map(str),
                    st.decimals(allow_nan=True, allow_infinity=True).map(str))


def value_for(field) -> st.SearchStrategy:
    """Mostly the page's own (valid) value, so posts get past the first check and reach deeper ones; a
    hidden field (which step of a page, which row) is tampered with less often than a visible one. None
    leaves the field out, as a hand-made request may."""
    valid = st.sampled_from([field.value] if field.kind != "select" else (field.options or [""]))
    if field.kind == "file":
        return st.one_of(st.none(), st.tuples(st.binary(max_size=2000), st.sampled_from(
            ["a.pdf", "../../x.docx", "evil.exe", "报告.xlsx", "", "a.pdf.exe", "x" * 300 + ".pdf", "名单.csv"])))
    if field.kind == "hidden":
        return st.one_of(valid, valid, valid, valid, hostile, st.none())
    return st.one_of(valid, valid, hostile, any_text, numbers, st.none())


def form_data(form) -> st.SearchStrategy:
    submits = [f for f in form.fields if f.kind == "submit"]
    # the client adds its own session's CSRF token (the page's belongs to the crawling session)
    others = [f for f in form.fields if f.kind != "submit" and f.name != "csrf_token"]
    parts = {f"{i}": value_for(f) for i, f in enumerate(others)}
    button = st.sampled_from(submits) if submits else st.none()
    return st.tuples(st.fixed_dictionaries(parts), button).map(lambda pair: _assemble(others, *pair))


def _assemble(fields, chosen, button):
    data: dict = {}
    for i, f in enumerate(fields):
        value = chosen[str(i)]
        if value is None:
            continue  # the browser (or an attacker) leaves it out
        if f.kind == "file":
            content, name = value
            value = (io.BytesIO(content), name)
        data.setdefault(f.name, []).append(value)
    if button is not None:
        data.setdefault(button.name, []).append(button.value)
    return {k: v if len(v) > 1 else v[0] for k, v in data.items()}


def snapshot() -> str:
    """A digest of every row of every table except the logs refusals may write to, each value taken whole. One
    statement on PostgreSQL (each table's rows as text, hashed by the server); on SQLite the rows through the
    driver's own cursor (the ORM's per-statement work took most of the test's time)."""
    tables = [t for t in db.metadata.sorted_tables if t.name not in LOGGED_ONLY]
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            parts = []
            for t in tables:
                order = ", ".join(f't."{c.name}"' for c in t.primary_key.columns)
                parts.append(f"(SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY {order}), '')) "
                             f'FROM "{t.name}" t)')
            return hashlib.sha256(repr(tuple(conn.exec_driver_sql("SELECT " + ", ".join(parts)).one())).encode()
                                  ).hexdigest()
        digest = hashlib.sha256()
        cursor = conn.connection.driver_connection.cursor()
        for table in tables:
            order = ", ".join(f'"{c.name}"' for c in table.primary_key.columns)
            rows = cursor.execute(f'SELECT * FROM "{table.name}" ORDER BY {order}').fetchall()
            digest.update(repr((table.name, rows)).encode())
        return digest.hexdigest()


def refused(client, response) -> bool:
    """Did the app say no? A 4xx, the form again with a field error, or a red notice after the redirect."""
    if 400 <= response.status_code < 500:
        return True
    if response.status_code == 200:
        page = response.get_data(as_text=True)
        return 'class="error"' in page or "flash-danger" in page
    if response.status_code in (302, 303) and "Location" in response.headers:
        follow = client.get(path_of(response.headers["Location"]))
        return follow.status_code == 200 and "flash-danger" in follow.get_data(as_text=True)
    return False


def signed_in(app, username):
    client = WebClient(app)
    client.login(db.session.scalar(select(User).where(User.username == username)), PASSWORD)
    return client


def test_every_reachable_form_survives_arbitrary_input(demo):
    found, owners, clients = {}, {}, {}
    for username in USERS:
        client = clients[username] = signed_in(demo, username)
        for form in crawl(client, START.get(username, "/proposals/")):
            if form.signature not in found and not path_of(form.action).startswith("/logout"):
                found[form.signature], owners[form.signature] = form, username
    # Every state-changing route of the app is reached, so no form escapes (a new one is found by itself).
    adapter = demo.url_map.bind("localhost")
    reached = {adapter.match(path_of(f.action).split("?")[0], method="POST")[0] for f in found.values()}
    every_post = {r.endpoint for r in demo.url_map.iter_rules() if "POST" in r.methods} - NOT_A_FORM
    assert every_post <= reached, sorted(every_post - reached)

    failures = []
    # the snapshot taken after a refused post is the one before the next post (nothing runs in between)
    last_snapshot: list[str | None] = [None]
    # Forms that close something (publish, conclude, decide…) go late, so the forms before them are fuzzed
    # while they still accept input; account forms last, as they rename and lock the users posting here.
    def order(item):
        action = path_of(item[1].action)
        return action.startswith("/admin/"), any(word in action for word in FINISHING)

    for signature, form in sorted(found.items(), key=order):
        client = clients[owners[signature]]
        target = path_of(form.action)

        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=DERANDOMIZE,
                  suppress_health_check=list(HealthCheck))
        @given(data=form_data(form))
        def post_anything(data):
            before = last_snapshot[0] or snapshot()
            last_snapshot[0] = None
            try:
                response = client.post(target, data, content_type="multipart/form-data")
            except Exception as error:
                CRASHES.setdefault((target, type(error).__name__, str(error)[:200]), repr(data)[:400])
                raise
            assert response.status_code < 500, (target, data, response.status_code)
            if "/jobs/" in response.headers.get("Location", ""):  # a background job (run at once in tests)
                page = client.get(path_of(response.headers["Location"])).get_data(as_text=True)
                assert FAILED_MESSAGE not in page, ("the job crashed", target, data)
            if refused(client, response):
                after = snapshot()
                assert after == before, ("half-saved after a refusal", target, data)
                last_snapshot[0] = after

        try:
            post_anything()
        except Exception as error:  # gather them all: one run shows every weak form
            failures.append(f"{owners[signature]} {target}: {type(error).__name__}: {str(error)[:300]}")
    crashes = [f"{route} {error}: {message} ← {data}" for (route, error, message), data in CRASHES.items()]
    assert not failures, "\n".join(failures + crashes)
