"""A 100,000-row survey import through the browser (issue 22): the 考评办 uploads it on the year page, is sent to the
job's page, sees the progress move without reloading (the page follows the job in place) and ends on the
summary. Served by gunicorn (default 30 s timeout) with the job worker beside it, as scripts/run.sh does; the
request only keeps the file and queues the job, so nothing runs near the timeout. One server, one upload: the
file is generated as CSV in a blink, and the whole check runs once, on SQLite (the demo instance's database)."""
from __future__ import annotations

import re
import sqlite3

import pytest

from tests.browser.conftest import people_of, serve

ROWS = 100_000


@pytest.fixture(scope="module")
def large_server(tmp_path_factory, demo_instance):
    with serve(tmp_path_factory.mktemp("large-import"), demo_instance) as base:
        yield base


def survey_csv(path, units: list[str]) -> None:
    """ROWS answers: respondents × the year's units, a few rows bad on purpose (rejected with their reasons)."""
    lines = ["受访者编号,受访者类别,被评单位,评价,意见建议"]
    respondents = -(-ROWS // len(units))
    for r in range(respondents):
        for unit in units:
            if len(lines) > ROWS:
                break
            answer = "非常好" if r % 10_000 == 7 else ("满意", "比较满意", "基本满意", "不满意")[r % 4]
            lines.append(f"BIG{r:06d},市民代表,{unit},{answer},{'公交线路要优化' if r % 50 == 0 else ''}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_100k_row_survey_import_shows_progress_and_its_summary(browser, large_server, demo_instance, tmp_path):
    with sqlite3.connect(demo_instance / "demo.sqlite3") as db:
        units = [name for (name,) in db.execute(
            "SELECT d.name FROM evaluation_unit u JOIN evaluation_year y ON y.id = u.year_id "
            "JOIN department d ON d.id = u.department_id WHERE y.year = 2026 ORDER BY u.id")]
    file = tmp_path / "问卷10万行.csv"
    survey_csv(file, units)
    people = people_of(browser, large_server, "large_import")
    office = next(people)("kpb")
    try:
        page = office.page
        office.go("/evaluation/2026")
        page.set_input_files("form[action$='/survey'] input[type=file]", str(file))
        page.click("form[action$='/survey'] button[type=submit]")
        page.wait_for_url(re.compile(r"/jobs/\d+$"))
        assert page.locator("#job progress").count() == 1  # the job's page, with its progress bar
        url = page.url
        # the page follows the job in place (no reload): the same document sees the state change
        page.evaluate("window.__same_document = true")
        seen = set()
        page.wait_for_selector(".job-state:text-matches('已完成|失败')", timeout=600_000)
        seen.add(page.inner_text(".job-state").strip())
        assert page.evaluate("window.__same_document === true") and page.url == url  # updated without reload
        office.shot("done")
        text = office.text()
        assert "已完成" in seen, text
        assert re.search(r"导入问卷 \d{5,6} 行，拒收 \d+ 行", text), text
        imported, rejected = map(int, re.search(r"导入问卷 (\d+) 行，拒收 (\d+) 行", text).groups())
        assert imported + rejected == ROWS and rejected > 0
        assert "下载2026年度问卷_拒收行.xlsx" in text  # the rejected rows, with their reasons
        assert "100%" in text
    finally:
        next(people, None)  # signs out and closes the browser contexts
