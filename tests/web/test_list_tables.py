"""Every list sorts by its columns (whitelisted, stable), searches, pages and exports exactly what it shows (same
filter and sort, all pages) through the one safe writer; every import template's example row is set aside."""
from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from budget_eval.evaluation import operations as evaluation
from budget_eval.intake.domain.intake import FundYear
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.imports import read_import, template_xlsx
from budget_eval.platform.rules import table_rules
from tests.web.client import WebClient
from tests.web.factories import TESTER

LINK = '=HYPERLINK("http://x.example/","点击")'
ROW_NAME = re.compile(r'<a href="/proposals/\d+">([^<]+)</a>')


def amounts(*wan: int) -> dict:
    years = tuple(FundYear(2027 + n, Decimal(v)) for n, v in enumerate(wan))
    return {"fund_years": years, "sources": {"general": sum((y.amount_wan for y in years), Decimal(0))},
            "end_year": 2026 + len(wan)}


def names_on(client, url: str) -> list[str]:
    return [n.replace("&#34;", '"').replace("&quot;", '"') for n in ROW_NAME.findall(client.text(url).split("<tbody>")[-1])]


def sheet_rows(data: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(data)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_the_proposal_list_sorts_pages_and_exports_what_it_shows(app, make):
    app.config["PER_PAGE"] = 2  # the five rows span three pages
    staff = make.user(Role.DEPARTMENT)
    for name, wan in [("乙道路", 300), ("甲桥梁", 1200), (LINK, 50), ("丙隧道", 800), ("丁绿道", 1200)]:
        make.proposal(staff, name=name, **amounts(wan))
    admin = WebClient(app)
    admin.login(make.user(Role.ADMIN))

    page = admin.text("/proposals/?sort=amount")
    assert 'aria-sort="ascending"' in page and '申请财政资金<span class="unit">（万元）</span>' in page  # unit in header
    shown = [n for p in (1, 2, 3) for n in names_on(admin, f"/proposals/?sort=amount&page={p}")]
    assert shown == [LINK, "乙道路", "丙隧道", "甲桥梁", "丁绿道"]  # equal amounts: the older first (stable)
    shown = [n for p in (1, 2, 3) for n in names_on(admin, f"/proposals/?sort=-amount&page={p}")]
    assert shown == ["丁绿道", "甲桥梁", "丙隧道", "乙道路", LINK]
    pager = admin.text("/proposals/?sort=-amount")
    assert re.search(r'href="/proposals/\?[^"]*sort=-amount[^"]*" aria-label="第2页"', pager)  # the pager keeps it
    # a column that is not declared is not sorted by (the whitelist): the default order, no error
    assert admin.get("/proposals/?sort=password_hash").status_code == 200

    # the export: every page of the same filter and sort, formula-like text as text
    with admin.get("/proposals/?sort=-amount&export=xlsx") as response:
        assert response.mimetype.endswith("spreadsheetml.sheet")
        book = load_workbook(io.BytesIO(response.data))
    rows = [[c.value for c in row] for row in book.active.iter_rows()]
    assert rows[0][:6] == ["项目名称", "申报部门", "年度", "类别", "新出台/延续", "申请财政资金（万元）"]
    assert [r[0] for r in rows[1:]] == ["丁绿道", "甲桥梁", "丙隧道", "乙道路", LINK]
    assert [r[5] for r in rows[1:]] == [1200, 1200, 800, 300, 50]  # numbers, right-aligned by the writer
    cell = book.active.cell(len(rows), 1)
    assert cell.value == LINK and cell.data_type == "s"  # never a formula
    # a filter narrows the export exactly as it narrows the list
    filtered = sheet_rows(admin.get("/proposals/?q=道&sort=name&export=xlsx").data)
    assert [r[0] for r in filtered[1:]] == [n for p in (1, 2) for n in names_on(admin, f"/proposals/?q=道&sort=name&page={p}")]
    assert len(filtered) == 4


LISTS = [  # (role, list page, a header it shows)
    (Role.ADMIN, "/admin/audit", "时间"),
    (Role.ADMIN, "/admin/users", "用户名"),
    (Role.ADMIN, "/admin/departments", "部门名称"),
    (Role.ADMIN, "/admin/experts/", "工作单位"),
    (Role.ADMIN, "/meetings/", "会议类型"),
    (Role.ADMIN, "/pipeline/", "未提交的评审人"),
    (Role.EXPERT, "/reviews/", "我的状态"),
    (Role.EVAL_OFFICE, "/evaluation/", "考评方案"),
    (Role.EVAL_OFFICE, "/evaluation/2026/feedback", "意见建议"),
    (Role.EVAL_OFFICE, "/evaluation/2026/supervision", "牵头单位"),
]


def test_every_list_page_offers_sorting_and_exports_its_columns(app, make):
    for name in ("杭州市交通运输局", "=1+1局"):
        make.department(name)
    evaluation.open_year(2026, "hangzhou", TESTER)
    for role, url, header in LISTS:
        client = WebClient(app)
        client.login(make.user(role))
        page = client.text(url)
        assert 'class="sort"' in page and "导出 Excel" in page, url
        for link in set(re.findall(r'<a class="sort" href="([^"]+)"', page)):  # every declared sort, both ways
            for way in (link, link.replace("sort=", "sort=-")):
                assert client.get(way.replace("&amp;", "&")).status_code == 200, way
        heads = [re.sub(r"<[^>]+>", "", h).rstrip("↕▲▼") for h in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', page)]
        with client.get(url, query_string={"export": "xlsx"}) as response:
            assert response.status_code == 200, url
            exported = sheet_rows(response.data)
        assert header in exported[0] and set(exported[0]) <= set(heads), (url, exported[0], heads)
    admin = WebClient(app)
    admin.login(make.user(Role.ADMIN))
    names = [r[0] for r in sheet_rows(admin.get("/admin/departments?sort=-name&export=xlsx").data)[1:]]
    assert names == sorted(names, reverse=True) and "=1+1局" in names
    assert [r[0] for r in sheet_rows(admin.get("/admin/departments?q=交通&export=xlsx").data)[1:]] == ["杭州市交通运输局"]


def test_the_templates_below_are_every_import(app):
    assert sorted(table_rules().tables) == sorted(KINDS)  # a new import: add it to KINDS


KINDS = ["batch_screening", "survey", "leader_scores", "comments", "unit_costs"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_import_templates_example_row_is_set_aside_and_explained(app, kind):
    """The template's example row (first cell 示例：…) is never read as data, and its 填表说明 sheet says so."""
    choices = {c.name: ["是"] for c in table_rules().tables[kind].columns}
    data = template_xlsx(kind, choices)
    table = read_import(kind, io.BytesIO(data), f"{kind}.xlsx")
    assert table.frame.empty and table.skipped == {2: "模板示例行"}
    book = load_workbook(io.BytesIO(data))
    assert str(book.worksheets[0]["A2"].value).startswith("示例：")
    notes = " ".join(str(c.value) for row in book.worksheets[1].iter_rows() for c in row if c.value)
    assert "模板示例行" in notes and "不会作为数据导入" in notes


def test_the_meetings_page_pages_its_candidates_and_its_meetings_apart(app, make):
    """Two lists on one page: the candidates page by ?cpage=, the meetings list by ?page=; one never moves the other."""
    from budget_eval.meetings.models import Meeting
    from budget_eval.platform.extensions import db
    from tests.web.flow import World

    world = World(app, make)
    for n in range(3):  # three reports through the whole route (the candidates a meeting may take)
        proposal = world.submit(name=f"候选项目{n}")
        world.to_finance_review(proposal)
        for member in world.assign(proposal, [world.finance, *world.experts[:2]]):
            world.declare_and_score(member, "9")
        world.conclude(proposal)
        world.to_reviewed(proposal)
    db.session.add_all(Meeting(title=f"第{n}次常务会议", created_by_id=world.admin.id) for n in range(3))
    db.session.commit()
    app.config["PER_PAGE"] = 2
    admin = world.client(world.admin)
    first = admin.text("/meetings/")
    assert re.search(r'href="/meetings/\?cpage=2" aria-label="第2页"', first)  # the candidates' pager
    assert re.search(r'href="/meetings/\?[^"]*page=2[^"]*" aria-label="第2页"', first)  # the meetings list's
    candidates = re.compile(r"候选项目\d")
    on_first = set(candidates.findall(first))
    assert len(on_first) == 2
    assert set(candidates.findall(admin.text("/meetings/?page=2"))) == on_first  # the meetings' page 2 only
    assert set(candidates.findall(admin.text("/meetings/?cpage=2&page=2"))) == {"候选项目0"}  # newest first
