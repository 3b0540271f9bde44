"""Issue 19, points 4 and 6: meetings of a kind from rules/ (name and art. 5's sentence stored and printed), the
decision with per-year amounts beside the requested and recommended ones (nothing pre-selected, a cut needs its
reason, errors in Chinese on their field with everything typed kept), 纳入项目库, and the budget export that reads
back through the project's own table reader."""
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from budget_eval.intake.models import Proposal
from budget_eval.meetings.budget_export import read_budget_export
from budget_eval.meetings.models import Meeting, MeetingItem
from budget_eval.platform.extensions import db
from budget_eval.platform.models.audit import AuditEvent
from tests.web.flow import World

ART5 = "审核通过后提交市政府常务会议或市长办公会议决策。"


@pytest.fixture
def world(app, make):
    return World(app, make)


def concluded(world: World, name: str, **overrides) -> Proposal:
    proposal = world.submit(name=name, **overrides)
    world.to_finance_review(proposal)
    for member in world.assign(proposal, [world.finance, *world.experts[:2]]):
        world.declare_and_score(member, "9.5")
    world.conclude(proposal)
    world.to_reviewed(proposal)  # the report passes its two reviews (art. 5) before any meeting
    db.session.refresh(proposal)
    return proposal


def at_meeting(world: World, kind: str, *proposals: Proposal, session: str = "2") -> Meeting:
    admin = world.client(world.admin)
    admin.post("/meetings/", {"kind": kind, "session_no": session, "meeting_date": "2027-03-10", "title": "",
                              "proposal_id": [str(p.id) for p in proposals]})
    return db.session.scalars(select(Meeting).order_by(Meeting.id.desc())).first()


def test_each_meeting_kind_is_stored_with_its_quote_and_printed(world):
    from budget_eval.meetings.pack import pack_context, _rows

    first, second = concluded(world, "项目甲"), concluded(world, "项目乙")
    mayor = at_meeting(world, "mayor", first)
    executive = at_meeting(world, "executive", second, session="5")
    assert (mayor.title, mayor.kind_label, mayor.kind_quote) == ("2027年第2次市长办公会议", "市长办公会议", ART5)
    assert executive.title == "2027年第5次市政府常务会议" and "杭财绩效〔2020〕9号" in executive.kind_source
    admin = world.client(world.admin)
    page = admin.text(f"/meetings/{mayor.id}")
    assert "会议类型：市长办公会议" in page and f"“{ART5}”" in page
    context = pack_context(_rows([first], "given"), mayor.title, mayor)
    assert context["meeting_title"] == "2027年第2次市长办公会议"
    assert f"“{ART5}”本次会议为市长办公会议。" in context["briefing"][0]
    index = admin.text("/meetings/")
    assert 'selected' not in re.search(r'<select id="meeting-kind".*?</select>', index, re.S).group(0)


def test_the_decision_form_preselects_nothing_and_keeps_what_was_typed(world):
    proposal = concluded(world, "项目甲")
    meeting = at_meeting(world, "executive", proposal)
    item = meeting.items[0]
    admin = world.client(world.admin)
    form = re.search(r'<form method="post" action="/meetings/items/\d+/decide".*?</form>',
                     admin.text(f"/meetings/{meeting.id}"), re.S).group(0)
    assert 'type="radio"' in form and "checked" not in form  # no decision chosen in advance
    assert "10,000.00万元" in form and "15,000.00万元" in form  # the request, per year, beside the inputs

    page = admin.post(f"/meetings/items/{item.id}/decide", {"approved-2027": "9000", "cut_reason": "压减前期费",
                                                             "note": "会议意见"}).get_data(as_text=True)
    assert "请选择会议决策：通过、不通过、暂缓" in page
    assert 'value="9000"' in page and "压减前期费" in page and "会议意见" in page

    page = admin.post(f"/meetings/items/{item.id}/decide", {"decision": "approved", "approved-2027": "9000",
                                                             "approved-2028": "16000"}).get_data(as_text=True)
    assert "2028年安排资金不能超过该年申请数15,000.00万元" in page and 'value="16000"' in page
    assert re.search(r'id="decision-\d+-approved" name="decision" value="approved" checked', page)
    assert 'aria-describedby="err-' in page

    page = admin.post(f"/meetings/items/{item.id}/decide", {"decision": "approved", "approved-2027": "9000",
                                                             "approved-2028": "1.5亿元"}).get_data(as_text=True)
    assert "安排资金合计24,000.00万元少于申请数25,000.00万元，请填写核减理由" in page

    page = admin.post(f"/meetings/items/{item.id}/decide", {"decision": "approved", "approved-2027": "abc",
                                                             "approved-2028": ""}).get_data(as_text=True)
    assert "2027年安排资金：“abc”不是有效的金额" in page and "请填写2028年安排资金" not in page

    page = admin.post(f"/meetings/items/{item.id}/decide", {"decision": "deferred", "approved-2027": "9000"}
                      ).get_data(as_text=True)
    assert "会议决策为“暂缓”，不安排资金，请清空2027年金额" in page
    db.session.refresh(item)
    assert item.decision is None and item.years == [] and proposal.status == "meeting"  # nothing half-saved


def test_a_cut_with_its_reason_in_any_unit_and_the_project_library(world):
    proposal = concluded(world, "项目甲")
    meeting = at_meeting(world, "mayor", proposal)
    item = meeting.items[0]
    admin = world.client(world.admin)
    admin.post(f"/meetings/items/{item.id}/decide", {
        "decision": "approved", "approved-2027": "90,000,000元", "approved-2028": "1.5亿元",
        "cut_reason": "2027年前期工作费按评估意见核减", "note": "同意实施"})
    db.session.refresh(item)
    assert [(y.year, y.requested_wan, y.approved_wan) for y in item.years] == [
        (2027, Decimal("10000.00"), Decimal("9000.00")), (2028, Decimal("15000.00"), Decimal("15000.00"))]
    assert item.approved_wan == Decimal("24000.00") and item.cut_reason == "2027年前期工作费按评估意见核减"
    history = db.session.get(Proposal, proposal.id).events[-1].note
    assert "核减1,000.00万元" in history and "2027年9,000.00万元" in history
    page = admin.text(f"/meetings/{meeting.id}")
    assert "核减理由：2027年前期工作费按评估意见核减" in page and "纳入项目库" in page

    early = admin.post(f"/meetings/items/{item.id}/library", {"library_date": "2027-03-01"}, follow_redirects=True)
    assert "纳入项目库日期不能早于会议日期2027-03-10" in early.get_data(as_text=True)
    admin.post(f"/meetings/items/{item.id}/library", {"library_date": "2027-03-20"})
    db.session.refresh(item)
    assert item.in_library and item.library_date == date(2027, 3, 20) and item.library_by_id == world.admin.id
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.detail.like("项目库：纳入项目库%"))) is not None
    again = admin.post(f"/meetings/items/{item.id}/library", {"library_date": "2027-03-21"}, follow_redirects=True)
    assert "已由他人纳入项目库" in again.get_data(as_text=True)
    staff = world.client(world.staff)
    assert "已纳入项目库（2027-03-20）" in staff.text(f"/proposals/{proposal.id}")


def test_only_an_approved_project_enters_the_library(world):
    proposal = concluded(world, "项目甲")
    meeting = at_meeting(world, "executive", proposal)
    item = meeting.items[0]
    admin = world.client(world.admin)
    admin.post(f"/meetings/items/{item.id}/decide", {"decision": "rejected"})
    page = admin.post(f"/meetings/items/{item.id}/library", {"library_date": "2027-03-20"}, follow_redirects=True)
    assert "只有会议通过的项目可以纳入项目库" in page.get_data(as_text=True)
    db.session.refresh(item)
    assert not item.in_library and item.years == [] and item.approved_wan is None


def test_the_meetings_list_counts_each_meetings_projects_and_decisions(world):
    """The list counts them in SQL (the meeting's items are not loaded for it)."""
    first, second = concluded(world, "项目甲"), concluded(world, "项目乙")
    meeting = at_meeting(world, "executive", first, second)
    admin = world.client(world.admin)
    admin.post(f"/meetings/items/{meeting.items[0].id}/decide", {"decision": "rejected"})
    row = re.search(rf'meetings/{meeting.id}">[^<]+</a>.*?</tr>', admin.text("/meetings/"), re.S).group(0)
    assert re.findall(r'<td class="num">(\d+)</td>', row) == ["2", "1"]


def test_the_budget_export_round_trips_through_the_table_reader(world):
    cut, whole = concluded(world, "项目甲"), concluded(world, "项目乙", **{
        "category": "other", "fund_years-0-amount": "4000", "fund_years-1-amount": "6000",
        "sources-general": "6000", "sources-bond": "4000"})
    refused = concluded(world, "项目丙")
    meeting = at_meeting(world, "executive", cut, whole, refused)
    admin = world.client(world.admin)
    items = {i.proposal.name: i for i in meeting.items}
    admin.post(f"/meetings/items/{items['项目甲'].id}/decide", {
        "decision": "approved", "approved-2027": "9500.5", "approved-2028": "14000", "cut_reason": "核减征迁费"})
    admin.post(f"/meetings/items/{items['项目乙'].id}/decide", {
        "decision": "approved", "approved-2027": "4000", "approved-2028": "6000"})
    admin.post(f"/meetings/items/{items['项目丙'].id}/decide", {"decision": "rejected"})
    admin.post(f"/meetings/items/{items['项目乙'].id}/library", {"library_date": "2027-03-15"})

    response = admin.get(f"/meetings/budget.xlsx?meeting={meeting.id}")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    data = response.data
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["项目清单", "绩效目标"]
    assert [c.value for c in book["项目清单"][1]] == [
        "项目编号", "项目名称", "单位", "类别", "2027年度金额（万元）", "2028年度金额（万元）", "是否开展事前绩效评估",
        "评估结论", "评估得分", "会议决定", "决策会议", "核减理由", "是否纳入项目库", "纳入项目库日期"]

    read = read_budget_export(data, "budget.xlsx")
    by_number = {int(p["number"]): p for p in read.projects}
    for item in db.session.scalars(select(MeetingItem).where(MeetingItem.decision == "approved")):
        row = by_number[item.proposal_id]
        assert row["year_amount"] == {y.year: y.approved_wan for y in item.years}  # the database's, exactly
        assert row["in_library"] == ("是" if item.in_library else "否")
        targets = [(t["level1"], t["level2"], t["target"], t["comparator"], t["value"], t["unit"])
                   for t in read.targets if int(t["number"]) == item.proposal_id]
        assert targets == [(t.level1, t.level2, t.name, t.comparator, t.value, t.unit)
                           for t in sorted(item.proposal.targets, key=lambda t: t.position)]
        assert targets
    assert by_number[cut.id]["cut_reason"] == "核减征迁费" and by_number[cut.id]["decision"] == "通过"
    assert by_number[refused.id]["decision"] == "不通过"
    assert by_number[refused.id]["year_amount"] == {2027: None, 2028: None}
    assert world.client(world.finance).get("/meetings/budget.xlsx").status_code == 403


def test_another_systems_layout_is_a_file_edit(world, app, tmp_path):
    """Columns renamed and reordered in rules/meetings.yaml: the export and its reading follow the file."""
    import shutil

    import yaml

    rules = tmp_path / "rules"
    shutil.copytree(app.config["RULES_DIR"], rules)
    data = yaml.safe_load((rules / "meetings.yaml").read_text(encoding="utf-8"))
    layout = data["budget_export"]["projects"]
    layout["sheet"] = "项目库导入"
    layout["columns"] = [{"header": "项目代码", "field": "number"}, {"header": "{year}年预算数", "field": "year_amount"},
                         {"header": "项目名", "field": "name"}]
    (rules / "meetings.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    app.config["RULES_DIR"] = str(rules)
    proposal = concluded(world, "项目甲")
    meeting = at_meeting(world, "executive", proposal)
    admin = world.client(world.admin)
    admin.post(f"/meetings/items/{meeting.items[0].id}/decide",
               {"decision": "approved", "approved-2027": "10000", "approved-2028": "15000"})
    data = admin.get("/meetings/budget.xlsx").data
    sheet = load_workbook(io.BytesIO(data))["项目库导入"]
    assert [c.value for c in sheet[1]] == ["项目代码", "2027年预算数（万元）", "2028年预算数（万元）", "项目名"]
    read = read_budget_export(data, "x.xlsx")
    assert read.projects[0]["year_amount"] == {2027: Decimal("10000.00"), 2028: Decimal("15000.00")}


def test_the_meeting_page_runs_the_same_queries_for_one_item_or_three(world):
    """Issue 22: the page loads what it shows in a fixed number of queries (no query per item)."""
    from tests.web.test_query_counts import queries

    small = at_meeting(world, "executive", concluded(world, "项目甲"))
    large = at_meeting(world, "mayor", *(concluded(world, f"项目{n}") for n in "乙丙丁"))
    admin = world.client(world.admin)
    item = large.items[0]
    admin.post(f"/meetings/items/{item.id}/decide", {"decision": "approved", "approved-2027": "10000",
                                                      "approved-2028": "15000"})
    admin.post(f"/meetings/items/{small.items[0].id}/decide", {"decision": "approved", "approved-2027": "10000",
                                                                "approved-2028": "15000"})
    admin.text(f"/meetings/{small.id}")  # warm: the rule files' first reading is not the page's
    assert queries(admin, f"/meetings/{large.id}") == queries(admin, f"/meetings/{small.id}")
