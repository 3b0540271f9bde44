"""WCAG 2.1 A/AA (GB/T 37668-2019 follows WCAG 2.x) on every page the demo users reach, checked by axe-core.

Each role of the demo signs in and follows the links from its home page (breadth first, same site, GET only,
downloads left out), and axe runs on every page it reaches; pages of the same kind (the same path with the
numbers taken out, and the same query keys) are loaded up to LOADS_PER_KIND times and checked again whenever
their structure differs (a proposal in another state shows other forms), so new pages are found and checked
without being listed here. Every role of the demo data takes part (one user each, and a 主管部门's staff). A few pages that only a form's answer shows (errors on the fields) are
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

MAX_LOADS = 80  # pages loaded per role
LOADS_PER_KIND = 12  # pages of one kind (e.g. /proposals/<n>) loaded per role
# which pages axe checks: each new structure of a kind (its forms, controls, buttons, tables and headings, without
# the numbers), so a proposal in another state (other forms in its workflow bar) is checked again, the same
# page of another record is not
STRUCTURE = """() => Array.from(document.querySelectorAll(
    'main form, main input:not([type=hidden]), main select, main textarea, main button, main table, main h2, main h3'))
  .map(e => e.tagName + ':' + (e.getAttribute('name') || e.getAttribute('action') || e.className || '')
       .replace(/[0-9]+/g, 'n')).join('|')"""

# links that download a file rather than show a page: a file name in the path, a format asked for, or the
# routes that stream a stored file
DOWNLOAD = re.compile(r"\.[a-z0-9]{2,5}$|/attachments/\d+$|/evidence/\d+$|/jobs/\d+/result$")
DOWNLOAD_QUERY = {"format", "export"}
SKIP = re.compile(r"^/(static|healthz|livez|logout)\b")


def demo_roles() -> list[str]:
    """One demo user of each role, and the staff of a department that is another's authority (主管部门)."""
    from budget_eval.demo.data import DEPARTMENTS, USERS

    chosen: dict[object, str] = {}
    for username, _name, role, _department in USERS:
        chosen.setdefault(role, username)
    authorities = {authority for _name, authority in DEPARTMENTS if authority}
    authority_staff = [u for u, _n, _r, department in USERS if department in authorities]
    return list(chosen.values()) + authority_staff[:1]


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
    """Visit the pages reachable from the home page, run axe on each new structure; returns the URLs checked."""
    queue, seen, per_kind, loads, checked, structures = deque([base + "/"]), {base + "/"}, Counter(), 0, [], set()
    while queue and loads < MAX_LOADS:
        url = queue.popleft()
        kind = kind_of(url)
        if per_kind[kind] >= LOADS_PER_KIND:
            continue
        response = page.goto(url)
        loads += 1
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        per_kind[kind] += 1
        structure = (kind_of(page.url).split("?")[0], page.evaluate(STRUCTURE))  # ?status=… lists alike
        if structure not in structures:
            structures.add(structure)
            checked.append(url)
            if found_here := violations(page):
                found[page.url] = found_here
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            href = urljoin(page.url, href).split("#")[0]
            if href not in seen and wanted(base, href):
                seen.add(href)
                queue.append(href)
    return checked


def write_report(name: str, visited: list[str], found: dict[str, list[dict]]) -> None:
    REPORT.mkdir(parents=True, exist_ok=True)
    (REPORT / f"{name}.json").write_text(json.dumps({"visited": visited, "violations": found},
                                                    ensure_ascii=False, indent=1))


@pytest.mark.parametrize("username", demo_roles())
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
    # axe really runs under the app's CSP: a select with no name, added here, is caught
    page.evaluate("() => document.querySelector('main').insertAdjacentHTML('beforeend', '<select id=probe></select>')")
    assert [v["id"] for v in violations(page)] == ["select-name"]
    page.evaluate("() => document.getElementById('probe').remove()")
    page.fill("#username", "jiaotong")
    page.fill("#password", "wrong-password")
    with page.expect_navigation():
        page.keyboard.press("Enter")
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


# (role, page) shown at 1024 px and at 200% zoom of a 1280 px screen (640 CSS px): nothing but a wide data
# table may make the page scroll sideways (WCAG 1.4.10 exempts tables); screenshots in test-artifacts/screenshots
REFLOW = [("jiaotong", "/proposals/new"), ("jiaotong", "/proposals/"), ("admin", "/pipeline/"),
          ("admin", "/meetings/"), ("expert1", "/reviews/"), ("kpb", "/evaluation/2026/")]
OVERFLOW = """() => Array.from(document.body.querySelectorAll('*'))
  .filter(e => !e.closest('table, svg') && e.getClientRects().length && getComputedStyle(e).position !== 'absolute')
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .map(e => e.tagName + '.' + e.className + ' ' + (e.innerText || '').slice(0, 30))"""


@pytest.mark.parametrize("width", [1024, 640])
def test_pages_reflow_at_1024_px_and_at_200_percent_zoom(browser, server, width):
    from tests.browser.conftest import SHOTS

    SHOTS.mkdir(parents=True, exist_ok=True)
    overflowing = {}
    contexts = {}
    for username, path in REFLOW:
        if username not in contexts:
            contexts[username] = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN")
            page = contexts[username].new_page()
            page.goto(server + "/login")
            page.fill("#username", username)
            page.fill("#password", "Hz-Demo@2026")
            with page.expect_navigation():
                page.keyboard.press("Enter")
        page = contexts[username].pages[0]
        page.goto(server + path)
        if wide := page.evaluate(OVERFLOW):
            overflowing[path] = wide[:5]
        page.screenshot(path=str(SHOTS / f"reflow-{width}-{username}-{path.strip('/').replace('/', '-') or 'home'}.png"),
                        full_page=True)
    for context in contexts.values():
        context.close()
    assert not overflowing, f"at {width} px these stick out of the window: {overflowing}"
