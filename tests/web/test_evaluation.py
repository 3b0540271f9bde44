"""The departmental evaluation through the web and the command line."""
import io
import re
from decimal import Decimal

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.evaluation.domain.scheme import SNAPSHOT_VERSION as SCHEME_SNAPSHOT_VERSION
from budget_eval.evaluation.models import EvaluationYear, LeaderScore, ScoreChange, SurveyResponse
from budget_eval.evaluation import operations as evaluation, publication
from budget_eval.platform.models.audit import AuditEvent
from budget_eval.platform.models.notification import Notification
from budget_eval.evaluation.survey_import import import_responses, read_responses
from tests.web.client import WebClient
from tests.web.factories import TESTER


@pytest.fixture
def setup(app, make):
    departments = [make.department(name) for name in ("杭州市交通运输局", "杭州市城市管理局", "杭州市教育局")]
    office = make.user(Role.EVAL_OFFICE)
    staff = make.user(Role.DEPARTMENT, departments[0])
    return departments, office, staff


def survey_sheet(rows) -> bytes:
    table = pd.DataFrame(rows, columns=["受访者编号", "受访者类别", "被评单位", "评价", "意见建议"])
    out = io.BytesIO()
    table.to_excel(out, index=False)
    return out.getvalue()


GOOD = [
    ("R1", "市民代表", "杭州市交通运输局", "满意", "地铁太挤"),
    ("R1", "市民代表", "市城市管理局", "比较满意", "垃圾分类要加强"),
    ("R2", "党代表", "杭州市交通运输局", "不满意", "拥堵严重，地铁换乘不便"),
    ("R2", "党代表", "教育局", "不了解", ""),
    ("R3", "企业代表", "杭州市教育局", "基本满意", None),
]
BAD = [
    ("R4", "市民代表", "不存在局", "满意", ""),
    ("R5", "路人", "杭州市教育局", "满意", ""),
    ("R6", "市民代表", "杭州市教育局", "非常好", ""),
    ("R1", "市民代表", "杭州市交通运输局", "满意", "重复"),
    ("", "市民代表", "杭州市教育局", "满意", ""),
]


def office_client(app, office) -> WebClient:
    client = WebClient(app)
    client.login(office)
    return client


def test_office_opens_a_year_imports_a_survey_and_sees_results(app, setup):
    departments, office, _ = setup
    client = office_client(app, office)
    client.post("/evaluation/", {"year": "2026", "scheme": "hangzhou"})
    record = db.session.scalar(select(EvaluationYear))
    assert record.scheme_code == "hangzhou" and len(record.units) == 3
    response = client.post("/evaluation/2026/survey", {"file": (io.BytesIO(survey_sheet(GOOD + BAD)), "问卷.xlsx")},
                           content_type="multipart/form-data")
    page, result = client.job(response)  # a background job; the rejected rows are its result, with reasons
    assert "已完成" in page and "导入问卷 5 行，拒收 5 行。" in page
    rejected = pd.read_excel(io.BytesIO(result), engine="calamine")
    assert list(rejected["受访者编号"].fillna("")) == ["R4", "R5", "R6", "R1", ""]
    reasons = list(rejected["原因"])
    assert "被评单位“不存在局”不是本年度考评单位" in reasons[0]
    assert "受访者类别“路人”不在考评方案的类别中" in reasons[1]
    assert "评价“非常好”应为" in reasons[2]
    assert "重复评价" in reasons[3]
    assert "受访者编号为空" in reasons[4]
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 5
    assert db.session.scalar(select(func.count()).where(SurveyResponse.comment.is_(None))) == 2  # never "nan"
    page = client.text("/evaluation/2026/")
    assert "市直单位" in page and "社会评价（50）" in page and "杭州市交通运输局" in page
    # the same year seen under the Haidian scheme, for comparison
    assert "达标" in client.text("/evaluation/2026/?scheme=haidian") and "按“海淀区政府绩效管理方案”试算" in \
        client.text("/evaluation/2026/?scheme=haidian")
    hot = client.text("/evaluation/2026/hotwords")
    assert "地铁" in hot and "垃圾分类" in hot and "<svg" in hot


def test_scores_flow_into_totals_grades_and_publication(app, setup):
    departments, office, staff = setup
    record = evaluation.open_year(2026, "hangzhou", TESTER)
    assert record.scheme_snapshot["schema_version"] == SCHEME_SNAPSHOT_VERSION  # the scheme as opened, stamped
    import_responses(record, read_responses(io.BytesIO(survey_sheet(GOOD)), "s.xlsx"), evaluation.scheme_of(record).survey, TESTER)
    client = office_client(app, office)
    unit = next(u for u in record.units if u.department_id == departments[0].id)
    client.post(f"/evaluation/units/{unit.id}", {"step": "target", "name": "地铁线网建设", "weight": "60"})
    client.post(f"/evaluation/units/{unit.id}", {"step": "target", "name": "公交优先", "weight": "40"})
    db.session.refresh(unit)
    for target, score in zip(unit.targets, ("90", "100"), strict=True):
        client.post(f"/evaluation/units/{unit.id}", {"step": "score", "id": str(target.id), "score": score})
    client.post(f"/evaluation/units/{unit.id}", {"step": "leader", "leader": "市长", "score": "90"})
    client.post(f"/evaluation/units/{unit.id}", {"step": "deduction", "points": "0.5", "reason": "暗访发现窗口脱岗"})
    results = {r.department: r for r in evaluation.compute(record)}
    mine = results[departments[0].id]
    # 目标 94% of 45 = 42.30; 领导 90% of 5 = 4.50; 社会: 市民 100 (w3) and 党代表 0 (w1) → 75 → 37.50; −0.5
    assert mine.components == {"target": Decimal("42.30"), "leadership": Decimal("4.50"), "social": Decimal("37.50")}
    assert mine.total == Decimal("83.80") and mine.rank == 1
    # a department sees only its own unit, and no result before publication
    own = WebClient(app)
    own.login(staff)
    other_unit = next(u for u in record.units if u.department_id == departments[1].id)
    assert own.get(f"/evaluation/units/{other_unit.id}").status_code == 404
    assert "考评结果公布后在此显示" in own.text(f"/evaluation/units/{unit.id}")
    assert own.get("/evaluation/2026/").status_code == 403
    # the other units have no data yet: publishing is refused with the list, then published with a reason recorded
    refused = client.post("/evaluation/2026/publish", {"missing-all": ""})
    assert refused.status_code == 200 and "缺少数据的单位" in refused.text and "请补齐数据或写明原因" in refused.text
    db.session.refresh(record)
    assert record.status == "open"
    client.post("/evaluation/2026/publish", {"missing-all": "测试：其他单位本年度未参加考评"})
    db.session.refresh(record)
    assert record.status == "published" and record.appeal_deadline
    page = own.text(f"/evaluation/units/{unit.id}")
    assert "总分 <strong>83.80</strong>" in page


def test_appeal_changes_scores_with_history_and_reranks(app, setup, make):
    departments, office, staff = setup
    record = evaluation.open_year(2026, "hangzhou", TESTER)
    units = {u.department_id: u for u in record.units}
    for department, rate in zip(departments, ("0.90", "0.85", "0.80"), strict=True):
        units[department.id].manual_rates = {}
        units[department.id].leader_scores.append(LeaderScore(leader="市长", score=Decimal(rate) * 100))
    db.session.commit()
    publication.publish(record, TESTER, {publication.ALL_MISSING: "测试：数据未录入"})
    own = WebClient(app)
    own.login(staff)
    mine = units[departments[0].id]
    assert mine.rank == 1
    own.post(f"/evaluation/units/{mine.id}", {"step": "appeal", "reason": "目标考核漏计一项"})
    db.session.refresh(mine)
    appeal = mine.appeals[0]
    client = office_client(app, office)
    last = units[departments[2].id]
    client.post(f"/evaluation/units/{last.id}", {"step": "decide", "id": str(appeal.id), "upheld": "yes"})  # wrong unit
    # no outcome is chosen in advance: a decision without one is refused on the form, the text kept
    page = client.text(f"/evaluation/units/{mine.id}")
    assert 'name="upheld" value="yes">' in page and 'name="upheld" value="no">' in page  # neither checked
    refused = client.post(f"/evaluation/units/{mine.id}", {"step": "decide", "id": str(appeal.id), "change": "-1",
                                                           "decision": "经核实应扣减"})
    assert refused.status_code == 200 and "请选择申诉是否成立" in refused.text
    assert "经核实应扣减</textarea>" in refused.text and 'value="-1"' in refused.text
    # the preview shows every unit's result before and after, and stores nothing
    preview = client.post(f"/evaluation/units/{mine.id}", {"step": "decide", "id": str(appeal.id), "upheld": "yes",
                                                           "change": "-1", "decision": "经核实应扣减", "preview": "yes"})
    assert "3个单位的结果将改变" in preview.text and "4.50分 第1名" in preview.text and "3.50分 第3名" in preview.text
    assert 'value="yes" checked' in preview.text and "确认处理" in preview.text  # the choice kept
    db.session.refresh(appeal)
    assert appeal.status == "filed" and not db.session.scalars(select(ScoreChange)).all()
    others = [make.user(Role.DEPARTMENT, d) for d in departments[1:]]
    client.post(f"/evaluation/units/{mine.id}", {"step": "decide", "id": str(appeal.id), "upheld": "yes",
                                                 "change": "-1", "decision": "经核实应扣减"})
    db.session.refresh(appeal)
    db.session.refresh(mine)
    db.session.refresh(units[departments[1].id])
    assert appeal.status == "upheld" and appeal.change == Decimal("-1")
    db.session.refresh(last)
    assert mine.total == Decimal("3.50") and mine.rank == 3  # 4.50 − 1, below 4.25 and 4.00
    assert (units[departments[1].id].rank, last.rank) == (1, 2)
    changes = db.session.scalars(select(ScoreChange)).all()
    assert {c.unit_id for c in changes} == {u.id for u in units.values()}
    assert any(c.before.startswith("4.50分 第1名") and c.after.startswith("3.50分 第3名") for c in changes)
    assert all("申诉处理：经核实应扣减" in c.reason and c.by_id == office.id for c in changes)
    # the unit that appealed and every unit whose result moved are told (by the state writer's signal)
    told: dict[int, str] = {}
    for n in db.session.scalars(select(Notification)):  # every notice a user got (no order is implied)
        told[n.user_id] = told.get(n.user_id, "") + n.text + "\n"
    assert "申诉成立" in told[staff.id]
    assert all("因杭州市交通运输局的申诉处理" in told[u.id] for u in others)
    # a second appeal while none is pending is allowed; a department cannot decide appeals
    response = own.post(f"/evaluation/units/{mine.id}", {"step": "decide", "id": str(appeal.id), "upheld": "yes"})
    assert response.status_code == 403


def test_department_responds_and_the_office_tracks(app, setup):
    departments, office, staff = setup
    record = evaluation.open_year(2026, "hangzhou", TESTER)
    unit = next(u for u in record.units if u.department_id == departments[0].id)
    own = WebClient(app)
    own.login(staff)
    import_responses(record, read_responses(io.BytesIO(survey_sheet(GOOD)), "s.xlsx"), evaluation.scheme_of(record).survey, TESTER)
    assert "社会评价意见（0条）" in own.text(f"/evaluation/units/{unit.id}")  # not before 反馈确认
    client = office_client(app, office)
    client.post("/evaluation/2026/feedback", {"step": "all"})
    page = own.text(f"/evaluation/units/{unit.id}")
    assert "社会评价意见（2条）" in page and "拥堵严重，地铁换乘不便" in page and "<strong>地铁</strong>（2）" in page
    with own.get(f"/evaluation/units/{unit.id}/comments.xlsx") as response:
        assert list(pd.read_excel(io.BytesIO(response.data), engine="calamine")["意见建议"]) == [
            "地铁太挤", "拥堵严重，地铁换乘不便"]
    own.post(f"/evaluation/units/{unit.id}", {"step": "rectification", "topic": "地铁", "response": "已研究",
                                               "measures": "增开高峰班次", "deadline": "2027-06-30"})
    own.post(f"/evaluation/units/{unit.id}", {"step": "innovation", "title": "城市大脑交通应用", "claimed": "2"})
    db.session.refresh(unit)
    item = unit.rectifications[0]
    own.post(f"/evaluation/units/{unit.id}", {"step": "commitment", "id": str(item.id), "action": "report_done"})
    client.post(f"/evaluation/units/{unit.id}", {"step": "commitment", "id": str(item.id), "action": "verify"})
    client.post(f"/evaluation/units/{unit.id}", {"step": "verify", "id": str(unit.innovations[0].id), "verified": "5"})
    db.session.refresh(unit)
    assert unit.rectifications[0].status == "verified"
    assert unit.innovations[0].status == "declared"  # 5 is above the 2 points claimed: refused
    client.post(f"/evaluation/units/{unit.id}", {"step": "verify", "id": str(unit.innovations[0].id), "verified": "1.5"})
    db.session.refresh(unit)
    assert unit.innovations[0].verified == Decimal("1.5")


def test_roles_cannot_cross_into_the_evaluation(app, setup, make):
    _, _, staff = setup
    evaluation.open_year(2026, "hangzhou", TESTER)
    for role in (Role.REVIEWER, Role.ADMIN, Role.EXPERT):
        client = WebClient(app)
        client.login(make.user(role))
        assert client.get("/evaluation/").status_code == 403
        assert client.get("/evaluation/2026/").status_code == 403
    own = WebClient(app)
    own.login(staff)
    assert own.post("/evaluation/2026/publish").status_code == 403
    assert own.post("/evaluation/", {"year": "2027", "scheme": "hangzhou"}).status_code == 403


def test_cli_survey_import_and_hotwords(app, setup, tmp_path):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["evaluation", "open", "2026", "--scheme", "haidian"]).exit_code == 0
    source = tmp_path / "问卷.xlsx"
    rows = [(r, "群众" if g == "市民代表" else "区领导", d, a, c) for r, g, d, a, c in GOOD] + BAD[:1]
    source.write_bytes(survey_sheet(rows))
    result = runner.invoke(args=["survey", "import", str(source), "--year", "2026"])
    assert result.exit_code == 0, result.output
    assert "导入 5 行，拒收 1 行" in result.output
    rejected = pd.read_excel(tmp_path / "问卷_拒收.xlsx", engine="calamine")
    assert list(rejected["受访者编号"]) == ["R4"] and "不是本年度考评单位" in rejected["原因"][0]
    out = tmp_path / "热词.xlsx"
    result = runner.invoke(args=["hotwords", "--year", "2026", "--top", "3", "-o", str(out)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).active
    assert [c.value for c in sheet[1]][:4] == ["排名", "热词", "提出人数", "意见条数"]
    assert sheet["B2"].value == "地铁" and sheet["C2"].value == 2
    result = runner.invoke(args=["hotwords", "--from-file", str(source), "--department", "市城市管理局", "-o", str(out)])
    assert result.exit_code == 0 and "垃圾分类" in result.output
    assert runner.invoke(args=["hotwords", "-o", str(out)]).exit_code != 0


def test_published_notice_as_word_and_excel(app, setup):
    from docx import Document

    from tests.web.test_reports import text_of

    departments, office, _ = setup
    record = evaluation.open_year(2026, "hangzhou", TESTER)
    import_responses(record, read_responses(io.BytesIO(survey_sheet(GOOD)), "s.xlsx"), evaluation.scheme_of(record).survey, TESTER)
    client = office_client(app, office)
    assert "结果公布后才能生成通报" in client.post("/evaluation/2026/notice-job", {}, follow_redirects=True).get_data(True)
    publication.publish(record, TESTER, {publication.ALL_MISSING: "测试：数据未录入"})
    page, data = client.job(client.post("/evaluation/2026/notice-job", {}))  # a job: LibreOffice lays it out
    assert "已完成" in page and "下载2026年度部门综合考评结果通报.docx" in page
    text = text_of(Document(io.BytesIO(data)))
    assert "关于2026年度部门综合考评结果的通报" in text and "市直单位（3个单位）" in text
    assert re.search(r"杭考评办〔\d{4}〕1号", text)
    number = db.session.scalar(select(AuditEvent).where(AuditEvent.detail.startswith("结果通报编号")))
    assert number.username == office.username  # numbered in the name of who asked for it, not the worker's
    assert "请点击本页的“生成结果通报（Word）”" in client.get("/evaluation/2026/notice.docx",
                                                          follow_redirects=True).get_data(True)
    assert "杭州市交通运输局" in text and "地铁" in text and "杭州市综合考评委员会办公室" in text
    with client.get("/evaluation/2026/notice.xlsx") as response:
        sheet = load_workbook(io.BytesIO(response.data)).active
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["组别", "排名", "单位"] and "社会评价" in header and "总分" in header
    assert sheet.max_row == 1 + 3


def test_progress_evidence_and_leader_import(app, setup):
    departments, office, staff = setup
    record = evaluation.open_year(2026, "hangzhou", TESTER)
    unit = next(u for u in record.units if u.department_id == departments[0].id)
    client = office_client(app, office)
    client.post(f"/evaluation/units/{unit.id}", {"step": "target", "name": "地铁线网建设", "weight": "100"})
    db.session.refresh(unit)
    own = WebClient(app)
    own.login(staff)
    own.post(f"/evaluation/units/{unit.id}", {"step": "progress", "id": str(unit.targets[0].id), "progress": "完成70%",
                                               "evidence": (io.BytesIO(b"%PDF-1.4 proof"), "进度报表.pdf")},
             content_type="multipart/form-data")
    db.session.refresh(unit)
    evidence = unit.targets[0].evidence[0]
    assert "完成70%" in unit.targets[0].progress and evidence.filename == "进度报表.pdf"
    with client.get(f"/evaluation/evidence/{evidence.id}") as response:
        assert response.data == b"%PDF-1.4 proof"
    sheet = io.BytesIO()
    pd.DataFrame([("杭州市交通运输局", "市长", "92"), ("市城市管理局", "副市长", "88.5"), ("不存在局", "市长", "90"),
                  ("杭州市教育局", "", "80"), ("杭州市教育局", "市长", "120")],
                 columns=["被评单位", "领导", "得分"]).to_excel(sheet, index=False)
    response = client.post("/evaluation/2026/leaders", {"file": (io.BytesIO(sheet.getvalue()), "领导评分.xlsx")},
                           content_type="multipart/form-data")
    page, data = client.job(response)  # the job's page says what happened, the rejected rows are its file
    assert "共读取 5 行：导入领导评分 2 行，拒收 3 行" in page
    rejected = pd.read_excel(io.BytesIO(data), engine="calamine")
    assert list(rejected["原因"]) == ["被评单位“不存在局”不是本年度考评单位", "请填写领导", "得分“120”应为0至100的数字"]
    db.session.refresh(unit)
    assert [(s.leader, s.score) for s in unit.leader_scores] == [("市长", Decimal("92.00"))]


def test_publishing_checks_the_data_and_a_published_year_is_withdrawn_and_corrected(app, setup, make):
    """Issue 21 point 3: an incomplete year is refused with the list of what is missing (reasons typed are kept);
    a published year is withdrawn with a reason the departments see, then published again as a correction."""
    departments, office, staff = setup
    record = evaluation.open_year(2026, "hangzhou", TESTER)
    client = office_client(app, office)
    page = client.text("/evaluation/2026/")
    assert "缺少数据的单位（9项）" in page and "目标考核" in page and "没有领导评分" in page
    unit = next(u for u in record.units if u.department_id == departments[0].id)
    field = f"missing-{unit.id}-target"
    refused = client.post("/evaluation/2026/publish", {field: "该局本年度未签订责任书"})
    assert refused.status_code == 200 and refused.text.count("请补齐数据或写明原因") == 8
    assert 'value="该局本年度未签订责任书"' in refused.text  # the reason typed is kept
    db.session.refresh(record)
    assert record.status == "open"
    client.post("/evaluation/2026/publish", {field: "该局本年度未签订责任书", "missing-all": "测试：数据未录入"})
    db.session.refresh(record)
    db.session.refresh(unit)
    assert record.status == "published" and unit.missing_reasons["target"] == "该局本年度未签订责任书"
    own = WebClient(app)
    own.login(staff)
    # withdrawal needs its reason; then the department sees the reason, not the results
    assert "请写明撤回理由" in client.post("/evaluation/2026/publish", {"step": "withdraw", "reason": " "}).text
    client.post("/evaluation/2026/publish", {"step": "withdraw", "reason": "目标考核数据漏录，更正后重新公布"})
    db.session.refresh(record)
    assert record.status == "open" and record.is_withdrawn
    page = own.text(f"/evaluation/units/{unit.id}")
    assert "本年度考评结果已撤回" in page and "目标考核数据漏录，更正后重新公布" in page and "总分 <strong>" not in page
    assert "已撤回，更正中" in own.text("/evaluation/mine")
    assert any("已撤回" in n.text for n in db.session.scalars(select(Notification).where(Notification.user_id == staff.id)))
    # publishing again is a correction: its reason is required, and the changed units get the change on record
    client.post(f"/evaluation/units/{unit.id}", {"step": "leader", "leader": "市长", "score": "95"})
    refused = client.post("/evaluation/2026/publish", {"missing-all": "测试：数据未录入"})
    assert "请写明更正理由" in refused.text
    client.post("/evaluation/2026/publish", {"missing-all": "测试：数据未录入", "correction": "补录领导评分"})
    db.session.refresh(record)
    assert record.status == "published"
    changes = db.session.scalars(select(ScoreChange).where(ScoreChange.unit_id == unit.id)).all()
    assert changes and "更正：补录领导评分" in changes[-1].reason
    page = own.text(f"/evaluation/units/{unit.id}")
    assert "更正后重新公布。理由：补录领导评分" in page and "总分 <strong>" in page
    assert any("已更正" in n.text for n in db.session.scalars(select(Notification).where(Notification.user_id == staff.id)))
