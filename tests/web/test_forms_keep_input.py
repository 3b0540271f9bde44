"""Never lose input (issue 21, point 2): every form any demo user can reach, sent with one bad value, comes back
with everything else that was typed and chosen.

The forms are found by following the site's links (tests/web/forms_crawler.py), as the form fuzzer does. Each
one-line field and text area gets its own marker text (which a number, amount or date field refuses: the bad
value), each list and radio group its last choice. When the app refuses, it must answer with the form again
holding every marker and every choice; a redirect to a page with a red notice (the typed work thrown away) fails.
"""
from __future__ import annotations

from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from budget_eval.demo import PASSWORD
from budget_eval.platform.extensions import db
from budget_eval.platform.models.user import User
from tests.web.client import WebClient
from tests.web.forms_crawler import _PageParser, crawl, path_of

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

USERS = ["jiaotong", "yiyuan", "chengguan", "reviewer1", "expert1", "admin", "kpb"]
START = {"expert1": "/reviews/", "kpb": "/evaluation/"}
# sign in/out, and the account pages (they rename and lock the users posting here), are tested elsewhere
SKIPPED = ("/logout", "/login", "/admin/users", "/admin/departments", "/account/password")
TYPED = ("text", "textarea", "number", "date", "email", "tel", "search")


class _Values(HTMLParser):
    """What a page shows as typed and chosen: text values, and the selected / checked values per name."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chosen: dict[str, set[str]] = {}
        self._select = ""

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "select":
            self._select = a.get("name", "")
        elif tag == "option" and self._select and "selected" in a:
            self.chosen.setdefault(self._select, set()).add(a.get("value", ""))
        elif tag == "input" and a.get("type") in ("radio", "checkbox") and "checked" in a:
            self.chosen.setdefault(a.get("name", ""), set()).add(a.get("value", "on"))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = ""


def _fill(form):
    """Every typed field its own marker, every list and radio group its last choice; returns (data, expected)."""
    data, markers, choices = {}, [], {}
    for i, field in enumerate(form.fields):
        if field.name == "csrf_token" or field.kind in ("submit", "file"):
            continue
        if field.kind in TYPED:
            marker = f"保留输入{i}号"
            data[field.name] = marker
            markers.append(marker)
        elif field.kind == "select" and field.options:
            data[field.name] = field.options[-1]
            if len(field.options) > 1 and field.options[-1]:  # a real choice, not the list's first (its default)
                choices[field.name] = field.options[-1]
        elif field.kind == "radio":
            data[field.name] = choices[field.name] = field.value  # the last radio of the group wins
        else:
            data.setdefault(field.name, field.value)
    submits = [f for f in form.fields if f.kind == "submit"]
    if submits:  # the form's main (last) button: 提交 rather than 保存草稿
        data[submits[-1].name] = submits[-1].value
    return data, markers, choices


def _still_there(form, page: str) -> bool:
    """Does the page sent back hold this very form (same action, same hidden values)?"""
    parser = _PageParser(form.page)
    parser.feed(page)
    hidden = sorted((f.name, f.value) for f in form.fields if f.kind == "hidden" and f.name != "csrf_token")
    return any(other.signature == form.signature and hidden == sorted(
        (f.name, f.value) for f in other.fields if f.kind == "hidden" and f.name != "csrf_token") for other in parser.forms)


def _signed_in(app, username):
    client = WebClient(app)
    client.login(db.session.scalar(select(User).where(User.username == username)), PASSWORD)
    return client


def test_every_form_sent_back_keeps_what_was_typed_and_chosen(app):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    found, owners, clients = {}, {}, {}
    for username in USERS:
        client = clients[username] = _signed_in(app, username)
        for form in crawl(client, START.get(username, "/proposals/"), max_pages=250, per_pattern=10):
            target = path_of(form.action)
            if form.signature not in found and not target.startswith(SKIPPED):
                found[form.signature], owners[form.signature] = form, username
    lost, kept, accepted = [], 0, set()
    for signature, form in found.items():
        data, markers, choices = _fill(form)
        if not markers and not choices:
            continue  # nothing typed or chosen to keep (a button, a file upload)
        client, target = clients[owners[signature]], path_of(form.action)
        response = client.post(target, data, content_type="multipart/form-data")
        if response.status_code in (302, 303):
            follow = client.get(path_of(response.headers["Location"])).get_data(as_text=True)
            if "flash-danger" in follow and _still_there(form, follow):
                lost.append(f"{owners[signature]} {target}: refused by a redirect, everything typed lost")
            accepted.add(target)
            continue  # accepted (the markers were fine for every field): nothing to keep
        if response.status_code not in (200, 422):  # the form sent back (422: with field errors)
            accepted.add(f"{target} {response.status_code}")
            continue  # a refusal without a form (403/404/409): nothing was typed there to keep
        page = response.get_data(as_text=True)
        values = _Values()
        values.feed(page)
        missing = [m for m in markers if m not in page]
        unchosen = [f"{name}={value}" for name, value in choices.items() if value not in values.chosen.get(name, set())]
        if (missing or unchosen) and not _still_there(form, page):
            continue  # an earlier post acted on its record (a comment confirmed, a seat replaced): the form is gone
            lost.append(f"{owners[signature]} {target}: lost {missing + unchosen}")
        else:
            kept += 1
    assert not lost, "\n".join(lost)
    assert kept >= 5  # the check ran on real refusals, not on nothing
