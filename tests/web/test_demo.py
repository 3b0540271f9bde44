"""`flask seed-demo` gives every role something to see."""
from decimal import Decimal

from sqlalchemy import func, select

from budget_eval.demo import PASSWORD
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.meetings.models import MeetingItem
from budget_eval.intake.models import Proposal
from budget_eval.platform.models.user import User
from tests.web.client import WebClient


def test_seed_demo_loads_every_role_and_a_dozen_proposals(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "admin" in result.output and PASSWORD in result.output
    assert {u.role for u in db.session.scalars(select(User))} == set(Role)
    proposals = db.session.scalars(select(Proposal)).all()
    assert len(proposals) >= 16  # demo/data.py's dozen, and what route.py, experts.py, budget.py and public_voice.py add
    assert {p.category for p in proposals} == {"infra", "other", "policy"}
    assert {p.screening_outcome for p in proposals} == {"required", "not_required", "exempt", None}
    again = app.test_cli_runner().invoke(args=["seed-demo"])  # a second run adds nothing
    assert again.exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(Proposal)) == len(proposals)


def test_demo_department_user_submits_a_2_5_yi_project(demo):
    app = demo
    """The acceptance walk-through: a demo department user submits and sees 需要 with its basis."""
    from tests.web.factories import form_post

    client = WebClient(app)
    user = db.session.scalar(select(User).where(User.username == "jiaotong"))
    client.login(user, PASSWORD)
    response = client.post("/proposals/new", form_post(name="钱江新城地下通道工程"))
    page = client.text(response.headers["Location"])
    assert "事前绩效评估范围判定：需要" in page
    assert "达到基建投资项目2亿元的评估门槛" in page


def test_demo_shows_both_meeting_kinds_a_cut_with_its_reason_and_the_project_library(demo):
    app = demo
    from budget_eval.demo.budget import CUT_REASON
    from budget_eval.meetings.models import Meeting

    assert {m.kind_label for m in db.session.scalars(select(Meeting))} == {"市政府常务会议", "市长办公会议"}
    approved = db.session.scalars(select(MeetingItem).where(MeetingItem.cut_reason != "")).one()
    assert approved.cut_reason == CUT_REASON and approved.in_library and approved.library_date is not None
    assert [(y.year, y.requested_wan, y.approved_wan) for y in approved.years] == [
        (2027, Decimal("800.00"), Decimal("800.00")), (2028, Decimal("650.00"), Decimal("600.00"))]
    admin = WebClient(app)
    admin.login(db.session.scalar(select(User).where(User.username == "admin")), PASSWORD)
    page = admin.text(f"/meetings/{approved.meeting_id}")
    for text in ("市政府常务会议", "审核通过后提交市政府常务会议或市长办公会议决策。", CUT_REASON, "已纳入项目库"):
        assert text in page, text
    waiting = db.session.scalars(select(MeetingItem).where(MeetingItem.library.is_(None),
                                                           MeetingItem.decision == "approved")).one()
    assert waiting.meeting.kind_label == "市长办公会议" and "纳入项目库日期" in admin.text(f"/meetings/{waiting.meeting_id}")
    assert db.session.scalars(select(MeetingItem).where(MeetingItem.decision.is_(None))).one()  # the decide form


def test_demo_shows_every_stage(demo):
    app = demo
    statuses = {p.status for p in db.session.scalars(select(Proposal))}
    assert {"draft", "submitted", "not_assessed", "materials", "self_assessment", "finance_review", "concluded",
            "report_review", "reviewed", "decided"} <= statuses


def test_demo_walkthrough_from_submission_to_meeting(demo):
    app = demo
    """The issue's acceptance with the demo accounts: submit, materials, three reviewers, 调整完善, resubmit,
    re-score, meeting, approved — through the web, with the full history on the project page."""
    from tests.web.factories import form_post
    from tests.web.flow import KEYS, received


    def client(username):
        web = WebClient(app)
        web.login(db.session.scalar(select(User).where(User.username == username)), PASSWORD)
        return web

    staff, finance, admin = client("jiaotong"), client("reviewer1"), client("admin")
    staff.post("/proposals/new", form_post(name="钱江新城地下通道工程"))
    proposal = db.session.scalar(select(Proposal).where(Proposal.name == "钱江新城地下通道工程"))
    finance.post(f"/proposals/{proposal.id}/act/accept")
    finance.post(f"/proposals/{proposal.id}/assessor", {"kind": "finance"})
    db.session.refresh(proposal)
    finance.post(f"/proposals/{proposal.id}/materials", received(proposal))
    finance.post(f"/proposals/{proposal.id}/act/materials_complete")
    data = {f"score-{k}": "8" for k in KEYS} | {"action": "submit"}
    for code in ("necessity", "economy", "targets", "plan", "funding"):
        data |= {f"facts-{code}": "情况", f"problems-{code}": "问题", f"judgement-{code}": "结论"}
    staff.post(f"/proposals/{proposal.id}/self-assessment", data)
    db.session.refresh(proposal)
    assert proposal.status == "finance_review"  # 交通运输局 has no authority above it
    # the panel is drawn from the demo's expert pool; the finance reviewer joins by hand, with the reason on record
    admin.post(f"/proposals/{proposal.id}/assessment/draw", {"specialty": "transport", "size": "3"})
    finance_reviewer = db.session.scalar(select(User).where(User.username == "reviewer2"))
    admin.post(f"/proposals/{proposal.id}/assessment/panel",
               {"user_id": [str(finance_reviewer.id)], "reason": "财政评审人员参加评审"})
    db.session.refresh(proposal)
    drawn = {m.user.username for m in proposal.current_assessment.members}
    assert len(drawn) == 4 and "reviewer2" in drawn
    assert not drawn & {"expert9", "expert10"}  # declared relation with, and employed by, 交通运输局

    def score_all(each):
        db.session.refresh(proposal)
        for member in proposal.current_assessment.members:
            reviewer = client(member.user.username)
            reviewer.post(f"/reviews/{member.id}", {"step": "declare", "agree": "yes"})
            sheet = {f"score-{k}": each for k in KEYS} | {f"comment-{k}": "理由" for k in KEYS}
            reviewer.post(f"/reviews/{member.id}", sheet | {"opinion": "意见", "step": "submit"})
        admin.post(f"/proposals/{proposal.id}/assessment/conclude", {"opinion": "评估意见"})
        db.session.refresh(proposal)
        return proposal.current_assessment.conclusion_label

    assert score_all("8") == "调整完善后予以支持"
    staff.post(f"/proposals/{proposal.id}/act/start_revision")
    staff.post(f"/proposals/{proposal.id}/edit", form_post(name="钱江新城地下通道工程", budget_text="按定额测算，附分项测算表"))
    staff.post(f"/proposals/{proposal.id}/adjustment", {"change-0": "补充分项测算", "where-0": "预算测算依据",
                                                        "explanation": "按评估意见细化预算测算"})
    finance.post(f"/proposals/{proposal.id}/act/confirm_adjustment", {"reason": "已按意见调整"})
    finance.post(f"/proposals/{proposal.id}/act/finance_pass", {"reason": "报告依据充分"})  # no sector authority
    admin.post("/meetings/", {"kind": "executive", "title": "2027年第2次市政府常务会议", "proposal_id": str(proposal.id)})
    item = db.session.scalar(select(MeetingItem).where(MeetingItem.proposal_id == proposal.id))
    admin.post(f"/meetings/items/{item.id}/decide", {"decision": "approved", "approved-2027": "1亿元",
                                                      "approved-2028": "15000"})
    page = staff.text(f"/proposals/{proposal.id}")
    for text in ("会议决策", "第1轮财政评估结论", "提交调整完善情况", "确认调整到位", "财政局审核通过", "记录会议决策",
                 "2.5亿元（25,000.00万元）"):
        assert text in page, text


def test_demo_admin_downloads_a_report_that_libreoffice_opens(demo, tmp_path):
    app = demo
    """Issue acceptance: every section, the real scores and a radar chart, and LibreOffice converts it."""
    import io
    import shutil
    import subprocess

    from docx import Document

    from tests.tools import require_tool
    from tests.web.test_reports import text_of

    admin = WebClient(app)
    admin.login(db.session.scalar(select(User).where(User.username == "admin")), PASSWORD)
    proposal = db.session.scalar(select(Proposal).where(Proposal.name == "城西综合交通枢纽配套道路工程"))
    with admin.get(f"/proposals/{proposal.id}/report.docx") as response:
        data = response.data
    document = Document(io.BytesIO(data))
    text = text_of(document)
    round_ = proposal.current_assessment
    for section in ("一、评估对象基本情况", "二、评估工作开展情况", "三、评估内容与分析", "四、评估结论", "五、存在的主要问题",
                    "六、意见建议", "七、其他需要说明的事项"):
        assert section in text
    assert "实施期为2027—2029年" in text and "浙江大学公共管理学院" in text and "教授" in text
    assert f"总分{round_.total}分" in text and round_.conclusion_label in text
    assert len(document.inline_shapes) == 1
    require_tool("soffice")
    soffice = shutil.which("soffice")
    (tmp_path / "report.docx").write_bytes(data)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(tmp_path / "report.docx")], check=True, capture_output=True,
                   timeout=180)
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")


def test_demo_evaluation_office_walkthrough(demo):
    app = demo
    """Issue acceptance: import a survey, see satisfaction and points, ranking and grades under both schemes,
    and the city's ten hot words."""
    import io

    import pandas as pd

    office = WebClient(app)
    office.login(db.session.scalar(select(User).where(User.username == "kpb")), PASSWORD)
    rows = [(f"NEW{i}", "市民代表", "杭州市交通运输局", "满意", "地铁换乘方便了") for i in range(20)]
    rows.append(("NEW0", "市民代表", "杭州市交通运输局", "满意", "重复的一行"))
    sheet = io.BytesIO()
    pd.DataFrame(rows, columns=["受访者编号", "受访者类别", "被评单位", "评价", "意见建议"]).to_excel(sheet, index=False)
    response = office.post("/evaluation/2026/survey", {"file": (io.BytesIO(sheet.getvalue()), "补充问卷.xlsx")},
                           content_type="multipart/form-data")
    _, result = office.job(response)  # a background job, run at once under TESTING
    assert len(pd.read_excel(io.BytesIO(result), engine="calamine")) == 1
    page = office.text("/evaluation/2026/")
    assert "满意率" in page and "社会评价（50）" in page and "优秀" in page and "市直单位" in page and "双管单位" in page
    haidian = office.text("/evaluation/2026/?scheme=haidian")
    assert "服务效果（30）" in haidian and any(g in haidian for g in ("达标先进", "基本达标"))
    hot = office.text("/evaluation/2026/hotwords")
    assert "全市十大热词" in hot and "<svg" in hot and "表扬（单独统计）" in hot
    assert not any(f"<strong>{w}</strong>" in hot for w in ("努力", "总体", "希望", "建议", "反映", "问题", "加强"))


def test_demo_has_an_expert_pool_and_a_drawn_panel_with_signed_pledges(demo):
    app = demo
    from budget_eval.assessment import draws
    from budget_eval.assessment.models import Expert, PanelDraw
    from budget_eval.demo.experts import AWAITING_DRAW, DRAWN_FOR

    experts = db.session.scalars(select(Expert)).all()
    assert len(experts) >= 10 and all(e.specialties for e in experts)
    assert any(e.avoid_department_ids for e in experts) and any(e.avoid_organisations for e in experts)
    assert any(not e.active for e in experts)
    proposal = db.session.scalar(select(Proposal).where(Proposal.name == DRAWN_FOR))
    record = db.session.scalar(select(PanelDraw).where(PanelDraw.assessment_id == proposal.current_assessment.id))
    assert record.kind == "draw" and len(record.chosen) == 3 and record.excluded and draws.replays(record)
    members = proposal.current_assessment.members
    assert {m.expert_id for m in members} == set(record.chosen)
    assert all(m.is_cleared and m.pledge_text and m.declared_at for m in members)
    waiting = db.session.scalar(select(Proposal).where(Proposal.name == AWAITING_DRAW))
    assert waiting.status == "finance_review" and waiting.current_assessment.members == []
