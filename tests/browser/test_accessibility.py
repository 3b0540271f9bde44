"""WCAG 2.1 A/AA (GB/T 37668-2019 follows WCAG 2.x) on every page the demo users reach, checked by axe-core.

Each role of the demo signs in and follows the links from its home page (breadth first, same site, GET only,
downloads left out), and axe runs on every page it reaches; pages of the same kind (the same path with the
numbers taken out, and the same query keys) are checked up to PER_KIND times, so new pages are found and
checked without being listed here. A few pages that only a form's answer shows (errors on the fields) are
visited too. The test fails on any violation and lists each with its page, rule and elements; the whole
report is written to test-artifacts/axe/.
"""
from __future__ import annotations

import json
import re
from collections import Counter, deque
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest

from tests.browser.axe import describe, violations
from tests.browser.conftest import ROOT
from tests.tools import require_tool

pytestmark = pytest.mark.browser

REPORT = ROOT / "test-artifacts" / "axe"

# every role of the demo: department, sector authority (主管部门: 卫健委 over 市一医院), finance reviewer,
# admin (财政管理员), expert, and the evaluation office (考评办)
ROLES = ["jiaotong", "weijian", "reviewer1", "admin", "expert1", "kpb"]
MAX_PAGES = 45  # per role
PER_KIND = 3  # pages of one kind (e.g. /proposals/<n>) checked per role: their states show different forms

# links that download a file rather than show a page: a file name in the path, a format asked for, or the
# routes that stream a stored file
DOWNLOAD = re.compile(r"\.[a-z0-9]{2,5}$|/attachments/\d+$|/evidence/\d+$|/jobs/\d+/result$")
DOWNLOAD_QUERY = {"format", "export"}
SKIP = re.compile(r"^/(static|healthz|livez|logout)\b")


def kind_of(url: str) -> str:
    parts = urlsplit(url)
    keys = sorted({k for k, _ in parse_qsl(parts.query)} - {"page"})
    return re.sub(r"/\d+(?=/|$)", "/<n>", parts.path) + ("?" + "&".join(keys) if keys else "")


def wanted(base: str, url: str) -> bool:
    parts = urlsplit(url)
    if not url.startswith(base + "/"):
        return False
    if SKIP.match(parts.path) or DOWNLOAD.search(parts.path):
        return False
    query = dict(parse_qsl(parts.query))
    return not (DOWNLOAD_QUERY & set(query) and query.get("format", query.get("export")) not in ("", "html"))


def crawl(page, base: str, found: dict[str, list[dict]]) -> list[str]:
    """Visit the pages reachable from the home page, run axe on each; returns the URLs visited."""
    queue, seen, per_kind, visited = deque([base + "/"]), {base + "/"}, Counter(), []
    while queue and len(visited) < MAX_PAGES:
        url = queue.popleft()
        kind = kind_of(url)
        if per_kind[kind] >= PER_KIND:
            continue
        response = page.goto(url)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        per_kind[kind] += 1
        visited.append(url)
        if found_here := violations(page):
            found[page.url] = found_here
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            href = urljoin(page.url, href).split("#")[0]
            if href not in seen and wanted(base, href):
                seen.add(href)
                queue.append(href)
    return visited


def write_report(name: str, visited: list[str], found: dict[str, list[dict]]) -> None:
    REPORT.mkdir(parents=True, exist_ok=True)
    (REPORT / f"{name}.json").write_text(json.dumps({"visited": visited, "violations": found},
                                                    ensure_ascii=False, indent=1))


@pytest.mark.parametrize("username", ROLES)
def test_every_page_a_role_reaches_meets_wcag_21_aa(person, server, username):
    require_tool("axe-core")
    who = person(username)
    found: dict[str, list[dict]] = {}
    visited = crawl(who.page, server, found)
    write_report(username, visited, found)
    assert len(visited) >= 3, f"{username} reached only {visited}"
    assert not found, "axe-core found WCAG 2.1 A/AA violations:\n" + "\n".join(
        describe(url.removeprefix(server), v) for url, v in found.items())


def test_pages_showing_errors_and_the_signed_out_pages(browser, server, person):
    """The login page (signed out, then with a wrong password), the 404 page, and forms sent back with errors."""
    require_tool("axe-core")
    found: dict[str, list[dict]] = {}
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(server + "/login")
    found["/login"] = violations(page)
    page.fill("#username", "jiaotong")
    page.fill("#password", "wrong-password")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    found["/login (wrong password)"] = violations(page)
    page.goto(server + "/no-such-page")
    found["/no-such-page (404)"] = violations(page)
    context.close()

    staff = person("jiaotong")
    staff.go("/proposals/new")
    staff.page.click("button[value=submit]")
    assert staff.page.locator("[aria-invalid=true]").count() > 0  # the fields in error say so
    found["/proposals/new (submitted empty)"] = violations(staff.page)
    staff.go("/account/password")
    staff.page.click("main button.primary")
    found["/account/password (sent empty)"] = violations(staff.page)
    found = {k: v for k, v in found.items() if v}
    write_report("error-pages", [], found)
    assert not found, "axe-core found WCAG 2.1 A/AA violations:\n" + "\n".join(describe(k, v) for k, v in found.items())
