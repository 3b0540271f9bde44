"""Layout at 1024, 1300 and 1440 px, sorting in the browser and print (issue 21, point 7), measured in Chromium:

- for one demo user of every role, on every page of their menu: no menu item wraps (one line each, the menu one
  row), no amount or 序号 cell wraps (the lines of its text counted from its client rectangles), the page does not
  scroll sideways;
- the 系统管理 drop-down opens and closes with the keyboard;
- a list sorts by a header click (aria-sort, order of the amounts);
- print: with print media emulated the menu, buttons and forms are gone, links print without their addresses, table
  rows are not split, and a PDF of a proposal page is made.

Screenshots and the PDF: test-artifacts/i21tables/.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from tests.browser.conftest import ROOT

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts" / "i21tables"
PASSWORD = "Hz-Demo@2026"
USERS = ["admin", "reviewer1", "expert1", "kpb", "jiaotong", "zixun"]  # one of each role
WIDTHS = [1024, 1300, 1440]  # 1300: the width at which the old menu stacked

MEASURE = """() => {
  const lines = el => {  // line boxes: rectangles that do not overlap vertically (a smaller mark on a line is one)
    const range = document.createRange(); range.selectNodeContents(el);
    const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0).sort((a, b) => a.top - b.top);
    let count = 0, bottom = -Infinity;
    for (const r of rects) {
      if (r.top >= bottom - 1) { count += 1; bottom = r.bottom; } else bottom = Math.max(bottom, r.bottom);
    }
    return count;
  };
  const shown = el => el.getClientRects().length > 0;
  const menu = [...document.querySelectorAll('.mainnav > a, .mainnav > details > summary')].filter(shown);
  // amounts and 序号 (td.num), dates (.nowrap) and the unit of a money header (th .unit) stay on one line
  const cells = [...document.querySelectorAll('td.num, td.nowrap, th.nowrap, th .unit')].filter(shown);
  return {
    menu: menu.map(e => e.textContent.trim()),
    wrappedMenu: menu.filter(e => lines(e) > 1).map(e => e.textContent.trim()),
    menuRows: new Set(menu.map(e => Math.round(e.getBoundingClientRect().top))).size,
    wrappedCells: cells.filter(e => lines(e) > 1).map(e => e.textContent.trim()),
    cells: cells.length,
    sideways: document.documentElement.scrollWidth - window.innerWidth,
    links: [...document.querySelectorAll('.mainnav a')].map(a => a.getAttribute('href')),
  };
}"""


@pytest.fixture(scope="module")
def out():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def signed_in(browser, server, username: str, width: int = 1024):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.goto(server + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("main button.primary")
    page.wait_for_load_state("load")
    return context, page


def test_no_menu_item_or_amount_wraps_at_1024_1300_and_1440(browser, server, out):
    problems = []
    for username in USERS:
        context, page = signed_in(browser, server, username)
        links = page.evaluate(MEASURE)["links"]
        for n, link in enumerate(dict.fromkeys(links)):
            page.set_viewport_size({"width": WIDTHS[0], "height": 800})
            page.goto(server + link)
            for width in WIDTHS:  # the same page, measured at each width
                page.set_viewport_size({"width": width, "height": 800})
                got = page.evaluate(MEASURE)
                where = f"{username} {width}px {link}"
                if got["wrappedMenu"] or got["menuRows"] != 1:
                    problems.append(f"{where}: menu wraps {got['wrappedMenu']} in {got['menuRows']} rows")
                if got["wrappedCells"]:
                    problems.append(f"{where}: cells wrap {got['wrappedCells'][:5]}")
                if got["sideways"] > 1:
                    problems.append(f"{where}: the page scrolls sideways by {got['sideways']} px")
                if n == 0 or (width == 1024 and link.startswith(("/proposals/", "/admin/audit", "/meetings/"))):
                    page.screenshot(path=str(out / f"{username}-{width}-{n:02d}.png"), full_page=width == 1024)
        context.close()
    assert not problems, "\n".join(problems)


def test_the_system_menu_opens_and_closes_with_the_keyboard(browser, server, out):
    context, page = signed_in(browser, server, "admin", 1024)
    summary = page.locator(".mainnav details.menu > summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator(".mainnav details.menu").get_attribute("open") is not None
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "部门管理"
    page.screenshot(path=str(out / "admin-1024-system-menu.png"))
    page.keyboard.press("Escape")
    assert page.locator(".mainnav details.menu").get_attribute("open") is None
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # 部门管理
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "部门管理"
    assert page.locator(".mainnav details.menu > summary").get_attribute("aria-current") == "true"
    context.close()


def amounts_on(page) -> list[Decimal]:
    column = page.eval_on_selector_all("table.list thead th", "ths => ths.findIndex(t => t.textContent.includes('申请财政资金'))")
    texts = page.eval_on_selector_all(f"table.list tbody tr td:nth-child({column + 1})",
                                      "cells => cells.map(c => c.textContent.trim())")
    return [Decimal(t.replace(",", "")) for t in texts if t and t != "—"]


def test_a_list_sorts_by_a_header_click(browser, server, out):
    context, page = signed_in(browser, server, "admin", 1024)
    page.goto(server + "/proposals/")
    page.click("th a.sort:has-text('申请财政资金')")
    page.wait_for_load_state("load")
    header = page.locator("th:has(a.sort:has-text('申请财政资金'))")
    assert header.get_attribute("aria-sort") == "ascending"
    shown = amounts_on(page)
    assert len(shown) > 2 and shown == sorted(shown)
    page.click("th a.sort:has-text('申请财政资金')")
    page.wait_for_load_state("load")
    assert header.get_attribute("aria-sort") == "descending"
    assert amounts_on(page) == sorted(amounts_on(page), reverse=True)
    page.screenshot(path=str(out / "admin-1024-proposals-sorted.png"), full_page=True)
    with page.expect_download() as info:
        page.click("a.export")
    assert info.value.suggested_filename == "申报项目.xlsx"
    context.close()


PRINT = """() => {
  const hidden = sel => [...document.querySelectorAll(sel)].every(e => getComputedStyle(e).display === 'none'
                                                                   || e.getClientRects().length === 0);
  const link = document.querySelector('main a[href]');
  return {
    nav: hidden('.topbar'), buttons: hidden('main button, main .button'), forms: hidden('main form'),
    linkAfter: link ? getComputedStyle(link, '::after').content : 'none',
    rowsWhole: [...document.querySelectorAll('table.grid tr')].every(r => getComputedStyle(r).breakInside === 'avoid'),
    h1: document.querySelector('h1').textContent.trim(),
  };
}"""


def test_print_shows_the_content_alone(browser, server, out):
    context, page = signed_in(browser, server, "admin", 1024)
    page.goto(server + "/proposals/?sort=-amount")
    detail = page.locator("table.list tbody a").first.get_attribute("href")
    page.goto(server + "/meetings/")
    meeting = page.locator("table.list tbody a").first.get_attribute("href")
    pages = {"proposal": detail, "meeting": meeting}
    kpb_context, kpb = signed_in(browser, server, "kpb", 1024)
    kpb.goto(server + "/evaluation/")
    pages["evaluation"] = kpb.locator("table.list tbody a").first.get_attribute("href")  # the results
    for name, path in pages.items():
        viewer = kpb if name == "evaluation" else page
        viewer.goto(server + path)
        got = viewer.evaluate(MEASURE)  # on screen at 1024 px first: nothing that must stay whole wraps
        assert not got["wrappedCells"] and got["sideways"] <= 1, (name, got)
        viewer.screenshot(path=str(out / f"screen-1024-{name}.png"), full_page=True)
        viewer.emulate_media(media="print")
        got = viewer.evaluate(PRINT)
        assert got["nav"] and got["buttons"] and got["forms"], (name, got)
        assert got["linkAfter"] in ("none", "normal"), (name, got)  # no printed URL after a link
        assert got["rowsWhole"], name
        viewer.screenshot(path=str(out / f"print-{name}.png"), full_page=True)
        viewer.emulate_media(media="screen")
    page.goto(server + detail)
    page.emulate_media(media="print")  # as the browser's 打印 does
    pdf = page.pdf(path=str(out / "print-proposal.pdf"), prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    kpb_context.close()
    context.close()
