"""From public comment to rectification through the web: 反馈确认, 回应 with a public commitment, 跟踪督办 to its
check and into next year's 目标考核, the hot-word page, its export and the 社会评价意见报告."""
import io
from datetime import date, timedelta

from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from budget_eval.evaluation import operations as evaluation
from budget_eval.evaluation.domain.comment_lifecycles import COMMITMENT, FEEDBACK, Commitment, Feedback
from budget_eval.evaluation.feedback_models import HotWordIssue, LifecycleEvent, SupervisionItem
from budget_eval.evaluation.models import SurveyResponse
from budget_eval.evaluation.survey_import import import_responses, read_responses
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from tests.web.client import WebClient
from tests.web.test_evaluation import office_client, setup, survey_sheet  # noqa: F401 (fixture)
from tests.web.test_reports import text_of
from tests.web.factories import TESTER
from budget_eval.evaluation import hotword_job, versions

ROWS = [
    ("R1", "市民代表", "杭州市交通运输局", "满意", "地铁早高峰太挤，希望增开班次"),
    ("R2", "企业代表", "杭州市交通运输局", "不满意", "小区垃圾清运不及时"),  # routed wrongly: 城管 answers it
    ("R3", "党代表", "杭州市交通运输局", "基本满意", "地铁早高峰太挤，希望增开班次！"),
    ("R4", "市民代表", "杭州市城市管理局", "满意", "垃圾桶边堆满 R&D <中心>"),
]
FORMULA = '=HYPERLINK("http://x","点此") 垃圾没人收'  # a sheet cannot carry it as text, so it goes in directly


def start(app, setup):
    departments, office, staff = setup
    record = evaluation.open_year(2026, "hangzhou", TESTER)
    import_responses(record, read_responses(io.BytesIO(survey_sheet(ROWS)), "s.xlsx"), evaluation.scheme_of(record).survey, TESTER)
    db.session.add(SurveyResponse(year_id=record.id, respondent="R5", group="市民代表", department_id=departments[1].id,
                                  answer="满意", comment=FORMULA))
    versions.bump(record.id)  # written directly, past every action: raised as every writer of the comments must
    db.session.commit()
    hotword_job.changed(record, TESTER)  # and the hot words computed again, as the import would have
    own = WebClient(app)
    own.login(staff)
    unit = next(u for u in record.units if u.department_id == departments[0].id)
    return record, office_client(app, office), own, unit


def response(text_start: str) -> SurveyResponse:
    return db.session.scalar(select(SurveyResponse).where(SurveyResponse.comment.startswith(text_start)))


def test_feedback_confirmation_reroute_and_merge_before_the_unit_sees_comments(app, setup):
    departments, _, _ = setup
    record, office, own, unit = start(app, setup)
    assert "社会评价意见（0条）" in own.text(f"/evaluation/units/{unit.id}")
    page = office.text("/evaluation/2026/feedback")
    assert "待确认" in page and "小区垃圾清运不及时" in page
    first, wrong, twin = response("地铁早高峰太挤，希望增开班次"), response("小区垃圾"), response("地铁早高峰太挤，希望增开班次！")
    office.post("/evaluation/2026/feedback", {"id": str(first.id), "department": str(departments[0].id)})
    office.post("/evaluation/2026/feedback", {"id": str(wrong.id), "department": str(departments[1].id)})
    office.post("/evaluation/2026/feedback", {"id": str(twin.id), "step": "merge", "target": str(first.id)})
    refused = office.post("/evaluation/2026/feedback", {"id": str(twin.id), "step": "merge", "target": str(first.id)},
                          follow_redirects=True)
    assert refused.status_code == 200 and "不能执行“合并”" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert (first.feedback_status, wrong.feedback_status, twin.feedback_status) == ("confirmed", "confirmed", "merged")
    assert wrong.routed_department_id == departments[1].id and twin.merged_into_id == first.id
    history = db.session.scalars(select(LifecycleEvent).where(LifecycleEvent.kind == "feedback")).all()
    assert {(e.action, e.before, e.after) for e in history} == {
        ("confirm", "pending", "confirmed"), ("reroute", "pending", "confirmed"), ("merge", "pending", "merged")}
    page = own.text(f"/evaluation/units/{unit.id}")
    assert "社会评价意见（1条）" in page and "地铁早高峰太挤" in page  # the merged twin is not shown again and "小区垃圾清运不及时" not in page
    assert own.post("/evaluation/2026/feedback", {"step": "all"}).status_code == 403


def test_unit_answers_with_a_public_commitment_and_the_office_verifies(app, setup):
    record, office, own, unit = start(app, setup)
    office.post("/evaluation/2026/feedback", {"step": "all"})
    own.post(f"/evaluation/units/{unit.id}", {"step": "rectification", "topic": "地铁", "response": "高峰运力不足属实",
                                               "measures": "早高峰增开20列次", "deadline": "2027-06-30", "public": "yes"})
    own.post(f"/evaluation/units/{unit.id}", {"step": "rectification", "topic": "地铁换乘", "response": "研究中",
                                               "measures": "优化换乘标识", "deadline": str(date.today() - timedelta(days=1))})
    twice = own.post(f"/evaluation/units/{unit.id}", {"step": "rectification", "topic": "地铁", "response": "高峰运力不足属实",
                                                       "measures": "早高峰增开20列次", "deadline": "2027-06-30",
                                                       "public": "yes"}, follow_redirects=True)
    assert "已提交过相同的整改承诺" in twice.get_data(as_text=True)  # a double click adds nothing
    db.session.refresh(unit)
    public, internal = unit.rectifications
    assert public.public and not internal.public and public.status == Commitment.COMMITTED
    page = own.text(f"/evaluation/units/{unit.id}")
    assert "向社会公开承诺" in page and "（已逾期）" in page and "报告完成" in page
    assert "（已逾期）" in office.text(f"/evaluation/units/{unit.id}")  # flagged on both sides
    # the office cannot verify before the unit reports it done; the unit cannot verify at all
    office.post(f"/evaluation/units/{unit.id}", {"step": "commitment", "id": str(public.id), "action": "verify"})
    own.post(f"/evaluation/units/{unit.id}", {"step": "commitment", "id": str(public.id), "action": "report_done"})
    own.post(f"/evaluation/units/{unit.id}", {"step": "commitment", "id": str(public.id), "action": "verify"})
    db.session.refresh(public)
    assert public.status == Commitment.DONE
    office.post(f"/evaluation/units/{unit.id}", {"step": "commitment", "id": str(public.id), "action": "verify"})
    db.session.refresh(public)
    assert public.status == Commitment.VERIFIED
    assert COMMITMENT.actions(public.status, Role.DEPARTMENT) == [] and FEEDBACK.actions(Feedback.PENDING, Role.DEPARTMENT) == []
    report = Document(io.BytesIO(office.get("/evaluation/2026/feedback-report.docx").data))
    text = text_of(report)
    assert "早高峰增开20列次" in text and "公开" in text and "已核实" in text


def test_supervision_item_through_its_check_and_into_next_years_targets(app, setup):
    departments, _, _ = setup
    record, office, own, unit = start(app, setup)
    yesterday = str(date.today() - timedelta(days=1))
    refused = office.post("/evaluation/2026/supervision", {"title": "主城区拥堵治理", "lead": str(departments[0].id),
                                                            "check_date": "明年"}, follow_redirects=True)
    assert "检查日期的格式" in refused.get_data(as_text=True) and not db.session.scalars(select(SupervisionItem)).all()
    office.post("/evaluation/2026/supervision", {
        "title": "主城区拥堵治理", "hot_word": "地铁", "lead": str(departments[0].id),
        "supporting": [str(departments[1].id), str(departments[2].id)], "check_date": yesterday})
    again = office.post("/evaluation/2026/supervision", {"title": "主城区拥堵治理", "lead": str(departments[0].id),
                                                          "check_date": yesterday}, follow_redirects=True)
    assert "已有督办事项" in again.get_data(as_text=True)
    item = db.session.scalar(select(SupervisionItem))
    assert item.lead_id == departments[0].id and len(item.supporters) == 2 and item.status == "tracking"
    assert "（已逾期）" in office.text("/evaluation/2026/supervision")
    assert "（已逾期）" in own.text(f"/evaluation/units/{unit.id}")
    own.post(f"/evaluation/units/{unit.id}", {"step": "supervision_progress", "id": str(item.id), "progress": "信号灯配时已优化"})
    office.post("/evaluation/2026/supervision", {"step": "check", "id": str(item.id), "result": "基本完成",
                                                 "note": "部分路段仍拥堵"})
    db.session.refresh(item)
    assert (item.status, item.result) == ("checked", "基本完成") and "信号灯配时已优化" in item.progress
    page = own.text(f"/evaluation/units/{unit.id}")
    assert "已检查：基本完成" in page and "（已逾期）" not in page
    again = office.post("/evaluation/2026/supervision", {"step": "check", "id": str(item.id), "result": "完成"},
                        follow_redirects=True)
    assert "不能执行“检查并记录结果”" in again.get_data(as_text=True)
    # the result counts in next year's 目标考核, as the scheme declares
    nxt = evaluation.open_year(2027, "hangzhou", TESTER)
    lead = next(u for u in nxt.units if u.department_id == departments[0].id)
    support = next(u for u in nxt.units if u.department_id == departments[1].id)
    assert [(t.weight, t.score) for t in lead.targets] == [(10, 80)]
    assert [(t.weight, t.score) for t in support.targets] == [(5, 80)] and "跟踪督办" in support.targets[0].name


def test_hot_word_page_chart_drill_down_issues_export_and_report(app, setup):
    record, office, own, unit = start(app, setup)
    page = office.text("/evaluation/2026/hotwords")
    assert "<svg" in page and "十大热词柱状图" in page and "cdn" not in page.lower()
    assert "<strong>地铁</strong>" in page and "<strong>垃圾</strong>" in page
    drill = office.text("/evaluation/2026/hotwords/comments?word=地铁")
    assert drill.count("地铁早高峰太挤") == 2
    assert office.get("/evaluation/2026/hotwords/comments?word=不存在").status_code == 404
    assert "杭州市城市管理局" in office.text("/evaluation/2026/hotwords?unit=杭州市城市管理局")
    book = load_workbook(io.BytesIO(office.get("/evaluation/2026/hotwords.xlsx").data))
    cells = [c for row in book.active.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    assert any(isinstance(c.value, str) and c.value.startswith("=HYPERLINK") for c in cells)
    sheet = load_workbook(io.BytesIO(office.get("/evaluation/2026/hotwords/comments?word=垃圾&format=xlsx").data)).active
    assert sheet["C2"].data_type == "s"
    office.post("/evaluation/2026/hotwords/issues", {"step": "keep", "word": "地铁", "unit": ""})
    issue = db.session.scalar(select(HotWordIssue))
    assert issue is not None and issue.word == "地铁"
    office.post("/evaluation/2026/hotwords/issues", {"id": str(issue.id), "label": "早高峰运力不足", "confirmed": "yes"})
    db.session.refresh(issue)
    assert issue.label == "早高峰运力不足" and issue.confirmed
    data = office.get("/evaluation/2026/feedback-report.docx").data
    document = Document(io.BytesIO(data))
    text = text_of(document)
    assert "2026年度综合考评社会评价意见报告" in text and "早高峰运力不足" in text and "R&D <中心>" in text
    assert "市民代表" in text and "杭州市城市管理局" in text
    section = document.sections[0]
    assert (round(section.top_margin.mm), round(section.bottom_margin.mm), round(section.left_margin.mm),
            round(section.right_margin.mm), round(section.page_width.mm)) == (37, 35, 28, 26, 210)
    assert "PAGE" in section.footer._element.xml
    assert own.get("/evaluation/2026/feedback-report.docx").status_code == 403
