"""Issue 21, point 4: no page shows an internal code. Every demo user in turn follows the links from the home
page (as test_accessible_markup does) and the visible text of every page reached — text nodes outside <script>
and <style>, and the labels of options and buttons — is searched for a rule hash ("2026-2@dc4121a9621c"), a
Python literal ([[2027, '1200.00']], {'general': …}, None, nan, True, Decimal(…)), and an English identifier
(a snake_case name, or a code such as "hangzhou" that stands where a Chinese name belongs).

The same seeded demo then checks the context where decisions are made and that every item has a visible end
(issue 21, points 4 and 5): the reviewers' overall opinions on the conclusion page, 建议安排资金 where amounts are
decided, an item screened out closed as 无需评估, the 考评 pages' own footer, a new year 尚无数据, the open-year
form's defaults.
"""
from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import select

from budget_eval.demo import PASSWORD
from budget_eval.demo.data import USERS
from budget_eval.intake.models import Proposal
from budget_eval.platform.extensions import db
from budget_eval.platform.models.user import User
from tests.web.client import WebClient

FILES = re.compile(r"\.[a-z0-9]{2,5}$|/attachments/\d+$|/evidence/\d+$|/jobs/\d+/result$|/download")
PER_KIND = 3

FORBIDDEN = {
    "rule hash": re.compile(r"@[0-9a-f]{8,}|\b[0-9a-f]{12,}\b"),
    "Python literal": re.compile(r"\[\[|\[\(|\{'|\['|': '|Decimal\(|datetime\.|\bTrue\b|\bFalse\b"),
    "None": re.compile(r"\bNone\b"),
    "nan": re.compile(r"\b(?:nan|NaN)\b"),
    "English identifier": re.compile(r"\b[a-z]+_[a-z_]+\b|\b(?:hangzhou|haidian|general|special|new|continuing)\b"),
}


class Visible(HTMLParser):
    """The text a reader sees: text nodes outside script/style/template, and option/button labels."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag in ("script", "style", "template"):
            self._hidden += 1
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.text.append(a["value"])
        for attr in ("title", "placeholder", "aria-label"):
            if a.get(attr):
                self.text.append(a[attr])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._hidden = max(0, self._hidden - 1)

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.text.append(data.strip())


def offences(text: str, allowed: set[str]) -> list[str]:
    found = []
    for name, pattern in FORBIDDEN.items():
        for match in pattern.finditer(text):
            if match.group(0) in allowed:
                continue
            start = max(0, match.start() - 30)
            found.append(f"{name}: …{text[start:match.end() + 30]}…")
    return found


pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def test_no_page_shows_a_rule_hash_python_literal_or_english_identifier(demo):
    """Every demo user (a user name is their own identifier: shown where it names them, it is allowed)."""
    usernames = {u for u, *_ in USERS}
    found: dict[str, list[str]] = {}
    pages = 0
    for username, *_ in USERS:
        crawled, problems = crawl(demo, username, usernames)
        pages += crawled
        found |= {f"{username} {path}": p for path, p in problems.items()}
    assert pages > 100
    assert not found, "\n".join(f"{where}: {p}" for where, ps in found.items() for p in ps)
    # on the same seeded demo (seeding costs most of the time): the context of decisions (point 4), visible ends
    decisions_have_their_context_and_a_new_evaluation_year_shows_no_ranking(demo)


def crawl(demo, username: str, allowed: set[str]) -> tuple[int, dict[str, list[str]]]:
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
                continue_with = client.get(path)
            else:
                continue_with = response
            if continue_with.status_code != 200 or continue_with.mimetype != "text/html":
                continue
            page = Visible()
            page.feed(continue_with.get_data(as_text=True))
        # 规则文件 (admins) lists each rule file by its name, key path and full version on purpose: it is the page
        # that says which line of which file to edit, so its codes are what a reader needs there
        problems = [] if path.startswith("/admin/rules") else offences("\n".join(page.text), allowed)
        if problems:
            found[path] = sorted(set(problems))
        for href in page.links:
            parts = urlsplit(urljoin("http://localhost" + path, href))
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if (parts.netloc == "localhost" and target not in seen and not FILES.search(parts.path)
                    and not parts.path.startswith(("/static/", "/logout"))):
                seen.add(target)
                queue.append(target)
    assert sum(per_kind.values()) >= 3, username
    return sum(per_kind.values()), found


def client_of(app, username: str) -> WebClient:
    client = WebClient(app)
    client.login(db.session.scalar(select(User).where(User.username == username)), PASSWORD)
    return client


def proposal(name: str) -> Proposal:
    return db.session.scalar(select(Proposal).where(Proposal.name == name))


def decisions_have_their_context_and_a_new_evaluation_year_shows_no_ranking(demo):
    admin = client_of(demo, "admin")
    # the conclusion page: each reviewer who has scored, with their overall opinion
    policy = proposal("学前教育普惠性民办园补助政策")
    page = admin.text(f"/proposals/{policy.id}/assessment")
    assert "评审人员总体意见" in page and "政策必要，补助标准与周边城市相当。" in page
    # the proposal page: 建议安排资金 beside the request
    hub = proposal("城西综合交通枢纽配套道路工程")
    assert "建议安排资金 <strong>2.38亿元（23,800.00万元）</strong>" in admin.text(f"/proposals/{hub.id}")
    # the meeting's candidates: 建议安排资金 beside 申请资金
    assert '<th scope="col" class="num nowrap">建议安排资金（万元）</th>' in admin.text("/meetings/")
    # an item screened out ends visibly: 无需评估, its road 草稿 → 已提交 → 无需评估
    closed = proposal("城市道路养护（延续）")
    page = client_of(demo, "chengguan").text(f"/proposals/{closed.id}")
    assert closed.status == "not_assessed" and "当前阶段：无需评估" in page and "材料审查</li>" not in page

    # 考评 (on the same seeded demo: seeding costs most of this test): its own footer, a new year 尚无数据
    office = client_of(demo, "kpb")
    index = office.text("/evaluation/")
    assert "事前绩效评估管理办法" not in index.split("<footer")[1] and "部门综合考评" in index.split("<footer")[1]
    assert 'name="year" value="2027"' in index  # the next year not yet opened (2025 and 2026 are)
    assert re.search(r'<option value="hangzhou" selected>', index)  # the scheme the bureau used last
    response = office.post("/evaluation/", {"year": "2027", "scheme": "hangzhou"})
    assert response.status_code == 302
    page = office.text("/evaluation/2027/")
    assert "尚无数据" in page and "不达标" not in page and 'class="bar"' not in page
    assert "事前绩效评估管理办法" not in page.split("<footer")[1]
