"""`flask seed-demo` gives every role something to see."""
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
    assert len(proposals) == 13  # twelve, and the metro / congestion project of demo/public_voice.py
    assert {p.category for p in proposals} == {"infra", "other", "policy"}
    assert {p.screening_outcome for p in proposals} == {"required", "not_required", "exempt", None}
    again = app.test_cli_runner().invoke(args=["seed-demo"])  # a second run adds nothing
    assert again.exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(Proposal)) == 13


def test_demo_department_user_submits_a_2_5_yi_project(app):
    """The acceptance walk-through: a demo department user submits and sees 需要 with its basis."""
    from tests.web.factories import form_post

    app.test_cli_runner().invoke(args=["seed-demo"])
    client = WebClient(app)
    user = db.session.scalar(select(User).where(User.username == "jiaotong"))
    client.login(user, PASSWORD)
    response = client.post("/proposals/new", form_post(name="钱江新城地下通道工程"))
    page = client.text(response.headers["Location"])
    assert "事前绩效评估范围判定：需要" in page
    assert "达到基建投资项目2亿元的评估门槛" in page


def test_demo_shows_every_stage(app):
    app.test_cli_runner().invoke(args=["seed-demo"])
    statuses = {p.status for p in db.session.scalars(select(Proposal))}
    assert {"draft", "submitted", "materials", "self_assessment", "finance_review", "concluded", "decided"} <= statuses


def test_demo_walkthrough_from_submission_to_meeting(app):
    """The issue's acceptance with the demo accounts: submit, materials, three reviewers, 调整完善, resubmit,
    re-score, meeting, approved — through the web, with the full history on the project page."""
    from tests.web.factories import form_post
    from tests.web.flow import KEYS

    app.test_cli_runner().invoke(args=["seed-demo"])

    def client(username):
        web = WebClient(app)
        web.login(db.session.scalar(select(User).where(User.username == username)), PASSWORD)
        return web

    staff, finance, admin = client("jiaotong"), client("reviewer1"), client("admin")
    staff.post("/proposals/new", form_post(name="钱江新城地下通道工程"))
    proposal = db.session.scalar(select(Proposal).where(Proposal.name == "钱江新城地下通道工程"))
    finance.post(f"/proposals/{proposal.id}/act/accept")
    db.session.refresh(proposal)
    finance.post(f"/proposals/{proposal.id}/materials", {f"status-{m.id}": "received" for m in proposal.materials})
    finance.post(f"/proposals/{proposal.id}/act/materials_complete")
    data = {f"score-{k}": "8" for k in KEYS} | {"action": "submit"}
    for code in ("necessity", "economy", "targets", "plan", "funding"):
        data |= {f"facts-{code}": "情况", f"problems-{code}": "问题", f"judgement-{code}": "结论"}
    staff.post(f"/proposals/{proposal.id}/self-assessment", data)
    db.session.refresh(proposal)
    assert proposal.status == "finance_review"  # 交通运输局 has no authority above it
    panel = [db.session.scalar(select(User).where(User.username == u)) for u in ("reviewer2", "expert1", "expert3")]
    admin.post(f"/proposals/{proposal.id}/assessment/panel", {"user_id": [str(u.id) for u in panel]})

    def score_all(each):
        db.session.refresh(proposal)
        for member in proposal.current_assessment.members:
            reviewer = client(member.user.username)
            reviewer.post(f"/reviews/{member.id}", {"step": "declare"})
            sheet = {f"score-{k}": each for k in KEYS} | {f"comment-{k}": "理由" for k in KEYS}
            reviewer.post(f"/reviews/{member.id}", sheet | {"opinion": "意见", "step": "submit"})
        admin.post(f"/proposals/{proposal.id}/assessment/conclude", {"opinion": "评估意见"})
        db.session.refresh(proposal)
        return proposal.current_assessment.conclusion_label

    assert score_all("8") == "调整完善后予以支持"
    staff.post(f"/proposals/{proposal.id}/act/start_revision")
    staff.post(f"/proposals/{proposal.id}/act/resubmit")
    assert score_all("9.5") == "予以支持"
    admin.post("/meetings/", {"title": "2027年第2次市政府常务会议", "proposal_id": str(proposal.id)})
    item = db.session.scalar(select(MeetingItem).where(MeetingItem.proposal_id == proposal.id))
    admin.post(f"/meetings/items/{item.id}/decide", {"decision": "approved", "approved_wan": "25000"})
    page = staff.text(f"/proposals/{proposal.id}")
    for text in ("会议决策", "第1轮财政评估结论", "第2轮财政评估结论", "调整完善后重新提交", "记录会议决策", "2.5亿元（25,000.00万元）"):
        assert text in page, text


def test_demo_admin_downloads_a_report_that_libreoffice_opens(app, tmp_path):
    """Issue acceptance: every section, the real scores and a radar chart, and LibreOffice converts it."""
    import io
    import shutil
    import subprocess

    from docx import Document

    from tests.tools import require_tool
    from tests.web.test_reports import text_of

    app.test_cli_runner().invoke(args=["seed-demo"])
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


def test_demo_evaluation_office_walkthrough(app):
    """Issue acceptance: import a survey, see satisfaction and points, ranking and grades under both schemes,
    and the city's ten hot words."""
    import io

    import pandas as pd

    app.test_cli_runner().invoke(args=["seed-demo"])
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
