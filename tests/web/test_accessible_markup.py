"""The markup half of issue 27 without a browser (fast, on both databases): every page each demo role reaches by
following links has one h1, the landmarks and the skip link, every form control a label (a <label for>, a
wrapping <label>, aria-label or aria-labelledby), every aria-describedby / aria-labelledby pointing at an element
that exists, and every control marked aria-invalid tied to its message. A form sent back with errors is checked
too. The browser test tests/browser/test_accessibility.py runs axe-core on the same pages for the rest
(contrast, names computed as a screen reader does).
"""
from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import select

from budget_eval.demo import PASSWORD
from budget_eval.demo.data import DEPARTMENTS, USERS
from budget_eval.platform.extensions import db
from budget_eval.platform.models.user import User
from tests.web.client import WebClient

NOT_CONTROLS = {"hidden", "submit", "button", "reset", "image"}
FILES = re.compile(r"\.[a-z0-9]{2,5}$|/attachments/\d+$|/evidence/\d+$|/jobs/\d+/result$")
PER_KIND = 4


def roles() -> list[str]:
    """One demo user of each role, and the staff of a department that is another's authority (主管部门)."""
    chosen: dict[object, str] = {}
    for username, _name, role, _department in USERS:
        chosen.setdefault(role, username)
    authorities = {authority for _name, authority in DEPARTMENTS if authority}
    return [*chosen.values(), *[u for u, _n, _r, d in USERS if d in authorities][:1]]


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.ids: set[str] = set()
        self.label_for: set[str] = set()
        self.controls: list[dict] = []
        self.references: list[tuple[str, str]] = []  # (attribute, id) of aria-describedby / aria-labelledby
        self.links: list[str] = []
        self.skip_link = False
        self._label_depth = 0

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        self.tags[tag] += 1
        if a.get("id"):
            self.ids.add(a["id"])
        for attr in ("aria-describedby", "aria-labelledby"):
            self.references += [(attr, ref) for ref in a.get(attr, "").split()]
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
            self.skip_link |= "skip-link" in a.get("class", "") and a["href"] == "#main"
        elif tag == "label":
            self._label_depth += 1
            if a.get("for"):
                self.label_for.add(a["for"])
        elif tag in ("input", "select", "textarea") and a.get("type", "").lower() not in NOT_CONTROLS:
            self.controls.append({**a, "tag": tag, "wrapped": self._label_depth > 0})

    def handle_endtag(self, tag):
        if tag == "label":
            self._label_depth = max(0, self._label_depth - 1)

    def problems(self) -> list[str]:
        found = []
        if self.tags["h1"] != 1:
            found.append(f"{self.tags['h1']} h1 elements (one wanted)")
        found += [f"no <{t}> landmark" for t in ("header", "main", "footer") if not self.tags[t]]
        if not self.skip_link:
            found.append("no skip link to #main")
        for c in self.controls:
            named = c["wrapped"] or c.get("aria-label") or c.get("aria-labelledby") or c.get("id") in self.label_for
            if not named:
                found.append(f"unlabelled <{c['tag']} name={c.get('name')!r}>")
            if c.get("aria-invalid") == "true" and not c.get("aria-describedby"):
                found.append(f"<{c['tag']} name={c.get('name')!r}> is invalid but tied to no message")
        found += [f"{attr}={ref!r} points at nothing" for attr, ref in self.references if ref not in self.ids]
        return found


def check(client, path: str) -> tuple[list[str], list[str]]:
    with client.get(path) as response:
        if response.status_code != 200 or response.mimetype != "text/html":
            return [], []
        page = Page()
        page.feed(response.get_data(as_text=True))
    return page.problems(), page.links


# Markup is the templates' output: the same on both databases (the pages' data paths run on PostgreSQL in the
# other web tests), so the crawl runs once, on SQLite.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def test_every_page_each_role_reaches_has_labelled_controls_and_landmarks(demo):
    """Every demo user in turn, on one seeded demo (seeding costs about 2 s per backend)."""
    found: dict[str, list[str]] = {}
    for username in roles():
        found |= {f"{username} {path}": problems for path, problems in crawl(demo, username).items()}
    assert not found, "\n".join(f"{where}: {p}" for where, ps in found.items() for p in ps)


def crawl(demo, username: str) -> dict[str, list[str]]:
    """The problems of each page the user reaches by following links from the home page."""
    client = WebClient(demo)
    client.login(db.session.scalar(select(User).where(User.username == username)), PASSWORD)
    queue, seen, per_kind, found = ["/"], {"/"}, Counter(), {}
    while queue:
        path = queue.pop(0)
        kind = re.sub(r"\d+", "N", urlsplit(path).path)
        if per_kind[kind] >= PER_KIND:
            continue
        per_kind[kind] += 1
        with client.get(path) as response:
            if response.status_code in (301, 302, 303):
                path = urlsplit(response.headers["Location"]).path
                if path in seen:
                    continue
                seen.add(path)
        problems, links = check(client, path)
        if problems:
            found[path] = problems
        for href in links:
            parts = urlsplit(urljoin("http://localhost" + path, href))
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if (parts.netloc == "localhost" and target not in seen and not FILES.search(parts.path)
                    and not parts.path.startswith(("/static/", "/logout"))):
                seen.add(target)
                queue.append(target)
    assert sum(per_kind.values()) >= 3, username
    return found


def test_a_form_sent_back_with_errors_ties_each_message_to_its_field(demo):
    client = WebClient(demo)
    client.login(db.session.scalar(select(User).where(User.username == "jiaotong")), PASSWORD)
    response = client.post("/proposals/new", {"action": "submit", "name": ""})
    page = Page()
    page.feed(response.get_data(as_text=True))
    invalid = [c for c in page.controls if c.get("aria-invalid") == "true"]
    assert invalid and not page.problems()
    assert all(f"{c['id']}-error" in c["aria-describedby"].split() for c in invalid if c.get("type") != "radio")
    assert {c["name"] for c in invalid} >= {"name", "category", "is_new"}
