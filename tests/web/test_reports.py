"""Word and Excel output, opened again and checked against the database."""
import io
import re
import shutil
import subprocess
import zipfile
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from sqlalchemy import select

from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.meetings.models import Meeting
from budget_eval.intake.models import Proposal
from tests.tools import require_tool
from tests.web.flow import World

HOSTILE = "R&D <w:p>&amp; “引号” 'x' \"y\" 😀 第一行\n第二行\x0b\x07\x0c" + "长" * 5000


def concluded(world: World, score: str = "8.5", **overrides) -> Proposal:
    proposal = world.submit(**overrides)
    world.to_finance_review(proposal)
    for member in world.assign(proposal, [world.finance, *world.experts[:2]]):
        world.declare_and_score(member, score)
    world.conclude(proposal)
    db.session.refresh(proposal)
    assert proposal.status == "concluded"
    return proposal


def text_of(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def download(client, url) -> bytes:
    with client.get(url) as response:
        assert response.status_code == 200, response.status_code
        return response.data


@pytest.fixture
def world(app, make):
    return World(app, make)


def test_assessment_report_matches_the_database(world):
    proposal = concluded(world)
    round_ = proposal.current_assessment
    data = download(world.client(world.admin), f"/proposals/{proposal.id}/report.docx")
    document = Document(io.BytesIO(data))
    text = text_of(document)
    for heading in ("事前绩效评估报告", "一、评估对象基本情况", "（一）项目背景", "（四）资金构成", "二、评估工作开展情况",
                    "（一）评估依据", "（二）评估方法", "（三）评估程序", "三、评估内容与分析", "（一）立项必要性",
                    "（五）筹资合规性", "四、评估结论", "五、存在的主要问题", "六、意见建议", "七、其他需要说明的事项",
                    "附件：1. 绩效目标申报表", "2. 评分汇总表", "3. 专家评估意见", "4. 专家组及工作组名单",
                    "评估机构（盖章）：杭州市财政局", "评估组负责人（签字）"):
        assert heading in text, heading
    assert f"该项目总分{round_.total}分，等级为“{round_.grade}”，评估结论为：{round_.conclusion_label}" in text
    assert round_.total == Decimal("85.00") and round_.conclusion_label == "调整完善后予以支持"
    assert "城西综合交通枢纽配套道路工程" in text and "杭州市第一人民医院" in text
    assert "其中申请财政资金2.5亿元（25,000.00万元）" in text
    # numbered from the counter of the year the report is issued (its 报告日期), without leading zeros
    issued = (round_.concluded_at + timedelta(hours=8)).year
    assert re.search(rf"报告编号：杭财绩评〔{issued}〕[1-9]\d*号", text)
    assert "（中发〔2018〕34号）" in text  # more than the city's rules as 评估依据
    # 评估程序: exactly the recorded steps, dated, ending with the conclusion
    assert "杭州市第一人民医院提交项目申报材料" in text and "汇总评估组评分，出具评估结论。" in text
    assert "现场调研" not in text and "专家预评估会" not in text  # never recorded, never claimed
    tables = {"|".join(c.text for c in t.rows[0].cells[:2]): t for t in document.tables}
    dimensions = tables["评估维度|分值"]
    assert len(dimensions.rows) == 1 + 5 + 1  # header, five dimensions, total
    assert [r.cells[2].text for r in dimensions.rows[1:6]] == ["17.00"] * 5
    scores = tables["评估维度|指标"]
    assert len(scores.rows) == 1 + 10 + 1
    merges = [row._tr.tc_lst[0].tcPr.vMerge for row in scores.rows[1:11]]
    assert [m.get(qn("w:val")) for m in merges] == ["restart", "continue"] * 5  # one merged cell per dimension
    assert len(tables["一级指标|二级指标"].rows) == 1 + 1  # header and the one target
    assert len(document.inline_shapes) == 1  # the radar chart
    members = [m.user.display_name for m in round_.members]
    assert all(name in text for name in members)
    assert "实施期为2027—2028年" in text


def test_one_year_project_reads_as_one_year(world):
    proposal = concluded(world, **{"end_year": "2027", "fund_years-1-amount": None, "fund_years-1-year": None,
                                   "fund_years-0-amount": "25000"})
    text = text_of(Document(io.BytesIO(download(world.client(world.admin), f"/proposals/{proposal.id}/report.docx"))))
    assert "实施期为2027年" in text and "2027—2027" not in text


def test_report_is_the_same_after_rules_change(world, app, tmp_path):
    proposal = concluded(world)
    admin = world.client(world.admin)
    before = text_of(Document(io.BytesIO(download(admin, f"/proposals/{proposal.id}/report.docx"))))
    rules_dir = tmp_path / "rules"
    shutil.copytree(app.config["RULES_DIR"], rules_dir)
    for name, old, new in (("assessment.yaml", 'min_total: {value: 70,', 'min_total: {value: 86,'),
                           ("indicators_project.yaml", "label: 明确相关性", "label: 相关性（改）"),
                           ("indicators_project.yaml", 'points: {value: 10,', 'points: {value: 12,')):
        path = rules_dir / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    app.config["RULES_DIR"] = rules_dir
    after = text_of(Document(io.BytesIO(download(admin, f"/proposals/{proposal.id}/report.docx"))))
    strip = [line for line in after.splitlines() if "报告日期" not in line]
    assert strip == [line for line in before.splitlines() if "报告日期" not in line]
    assert "调整完善后予以支持" in after and "相关性（改）" not in after


def test_a_sentence_changed_in_the_template_shows_in_the_next_report(world, app, tmp_path):
    proposal = concluded(world)
    templates = tmp_path / "report_templates"
    shutil.copytree(app.config["REPORT_TEMPLATES_DIR"], templates)
    document = Document(templates / "assessment_report.docx")
    paragraph = next(p for p in document.paragraphs if p.text.startswith("评估意见"))
    paragraph.runs[0].text = "财政局评估意见如下（模板已修改）："
    document.save(templates / "assessment_report.docx")
    app.config["REPORT_TEMPLATES_DIR"] = templates
    text = text_of(Document(io.BytesIO(download(world.client(world.admin), f"/proposals/{proposal.id}/report.docx"))))
    assert "财政局评估意见如下（模板已修改）：" in text


def test_hostile_text_renders_as_typed(world):
    proposal = concluded(world, basis_text=HOSTILE, plan_text=HOSTILE, name="R&D <中心> & “项目” 😀")
    data = download(world.client(world.admin), f"/proposals/{proposal.id}/report.docx")
    text = text_of(Document(io.BytesIO(data)))
    assert "R&D <w:p>&amp; “引号” 'x' \"y\" 😀 第一行" in text
    assert "第二行" in text and "长" * 5000 in text
    assert "R&D <中心> & “项目” 😀" in text
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None


def test_reports_convert_to_pdf_in_libreoffice(world, tmp_path):
    require_tool("soffice", "cjk-font")
    soffice = shutil.which("soffice")
    proposal = concluded(world, plan_text=HOSTILE)
    admin = world.client(world.admin)
    files = {"report.docx": download(admin, f"/proposals/{proposal.id}/report.docx")}
    member = proposal.current_assessment.members[0]
    files["opinion.docx"] = download(admin, f"/reviews/{member.id}/opinion.docx")
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), *[str(tmp_path / n) for n in files]],
                   check=True, capture_output=True, timeout=180)
    for name in files:
        pdf = tmp_path / name.replace(".docx", ".pdf")
        assert pdf.exists() and pdf.stat().st_size > 5000, name
        assert pdf.read_bytes().startswith(b"%PDF")


def test_opinion_sheet_per_reviewer(world):
    proposal = concluded(world, score="8")
    members = proposal.current_assessment.members
    own = world.client(members[1].user)
    document = Document(io.BytesIO(download(own, f"/reviews/{members[1].id}/opinion.docx")))
    text = text_of(document)
    assert "事前绩效评估专家评审意见表" in text and members[1].user.display_name in text
    assert "专家（签字）" in text and "依据充分" in text and "同意" in text
    assert "回避与保密承诺" in text and "在系统中签署上述承诺" in text and "□予以支持" in text
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "评估维度")
    assert len(table.rows) == 1 + 10 + 1
    assert table.rows[-1].cells[3].text == "80.00"
    assert own.get(f"/reviews/{members[2].id}/opinion.docx").status_code == 404  # not another reviewer's
    assert world.client(world.admin).get(f"/reviews/{members[2].id}/opinion.docx").status_code == 200


def test_who_may_download_the_report(world, make):
    proposal = concluded(world)
    url = f"/proposals/{proposal.id}/report.docx"
    for user in (world.staff, world.authority_staff, world.finance, world.admin):
        assert world.client(user).get(url).status_code == 200
    assert world.client(make.user(Role.DEPARTMENT)).get(url).status_code == 404
    assert world.client(make.user(Role.EXPERT)).get(url).status_code == 404
    assert world.client(make.user(Role.EVAL_OFFICE)).get(url).status_code == 403  # no proposal page for the office


def test_no_report_before_a_conclusion(world):
    proposal = world.submit()
    response = world.client(world.admin).get(f"/proposals/{proposal.id}/report.docx", follow_redirects=True)
    assert "尚未出具评估结论" in response.get_data(as_text=True)


def test_meeting_pack_zip(world):
    first = concluded(world, score="9.5", name="项目甲")
    second = concluded(world, score="9.2", name="项目乙", category="other", **{"fund_years-0-amount": "4000", "fund_years-1-amount": "6000",
                                                          "sources-general": "6000", "sources-bond": "4000"})
    world.to_reviewed(first)
    world.to_reviewed(second)
    admin = world.client(world.admin)
    admin.post("/meetings/", {"title": "", "kind": "executive", "session_no": "3", "meeting_date": "2027-03-10",
                              "proposal_id": [str(first.id), str(second.id)], "order": "amount"})
    meeting = db.session.scalar(select(Meeting))
    assert meeting.title == "2027年第3次市政府常务会议" and meeting.kind == "executive" and meeting.session_no == 3
    assert [i.proposal.name for i in meeting.items] == ["项目甲", "项目乙"]  # by amount, largest first
    data = download(admin, f"/meetings/{meeting.id}/pack.zip")
    with zipfile.ZipFile(io.BytesIO(data)) as pack:
        names = pack.namelist()
        assert {"2027年第3次市政府常务会议_会议材料.docx", "2027年第3次市政府常务会议_汇总表.xlsx"} <= set(names)
        document = Document(io.BytesIO(pack.read("2027年第3次市政府常务会议_会议材料.docx")))
        sheet = load_workbook(io.BytesIO(pack.read("2027年第3次市政府常务会议_汇总表.xlsx"))).active
    text = text_of(document)
    for part in ("内部资料", "2027年第3次市政府常务会议", "2027年3月10日", "目　　录", "汇报说明", "事前绩效评估项目汇总表",
                 "1. 项目甲", "2. 项目乙"):
        assert part in text, part
    assert "申请财政资金合计3.5亿元（35,000.00万元）" in text and "予以支持2个" in text
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "序号")
    assert [c.text for c in table.rows[0].cells] == ["序号", "项目名称", "申报单位", "类别", "申请资金（万元）", "评估得分",
                                                      "评估结论", "建议安排资金（万元）", "主要意见"]
    assert len(table.rows) == 1 + 2 + 1
    assert table.rows[-1].cells[4].text == "35,000.00"  # 25,000 + 10,000
    assert [table.rows[1].cells[1].text, table.rows[2].cells[1].text] == ["项目甲", "项目乙"]
    assert text.count("事前绩效评估报告") == 2  # each project's report follows
    landscape = [s for s in document.sections if s.page_width > s.page_height]
    assert len(landscape) == 1  # the summary table
    assert sheet["A2"].value == "序号" and sheet["B3"].value == "项目甲"
    assert sheet["E3"].value + sheet["E4"].value == 35000 and sheet["E3"].number_format == "#,##0.00"
    assert (sheet["E5"].value, sheet["H5"].value) == ("=SUM(E3:E4)", "=SUM(H3:H4)")  # formulas the app writes
    assert sheet["A5"].value == "合计"
    assert "A1:I1" in [str(r) for r in sheet.merged_cells.ranges] and sheet.title == "汇总表"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows == "$1:$2" and sheet["B3"].border.left.style == "thin"
    assert sheet["E2"].value == "申请资金（万元）"
    assert world.client(world.finance).get(f"/meetings/{meeting.id}/pack.zip").status_code == 403


def test_meeting_needs_a_title_or_kind_session_and_date(world):
    proposal = concluded(world, score="9.5")
    world.to_reviewed(proposal)
    admin = world.client(world.admin)
    bad = {"title": "", "kind": "executive", "session_no": "x9", "meeting_date": "2027-03-10",
           "proposal_id": str(proposal.id)}
    page = admin.post("/meetings/", bad).get_data(as_text=True)
    assert "会议届次应为1至999之间的整数" in page and 'value="2027-03-10"' in page  # what was typed stays
    page = admin.post("/meetings/", {**bad, "session_no": ""}).get_data(as_text=True)
    assert "请填写会议名称，或填写届次和会议日期（按会议类型生成名称）" in page
    page = admin.post("/meetings/", {**bad, "session_no": "3", "kind": ""}).get_data(as_text=True)
    assert "请选择会议类型：市政府常务会议或市长办公会议" in page  # nothing chosen for the user
    assert db.session.scalar(select(Meeting)) is None


def test_cli_report_and_meeting_pack(world, app, tmp_path):
    proposal = concluded(world, score="9.5")
    world.to_reviewed(proposal)  # the report passes its two reviews (art. 5) before any meeting
    runner = app.test_cli_runner()
    out = tmp_path / "r.docx"
    assert runner.invoke(args=["report", str(proposal.id), "-o", str(out)]).exit_code == 0
    assert "四、评估结论" in text_of(Document(out))
    pack = tmp_path / "p.zip"
    result = runner.invoke(args=["meeting-pack", str(proposal.id), "-o", str(pack), "--title", "专题会议", "--no-pdf"])
    assert result.exit_code == 0, result.output
    assert sorted(zipfile.ZipFile(pack).namelist()) == ["专题会议_会议材料.docx", "专题会议_汇总表.xlsx"]
    bad = runner.invoke(args=["report", "99999", "-o", str(out)])
    assert bad.exit_code != 0 and "没有编号为 99999 的项目" in bad.output


def test_cli_meeting_pack_refuses_what_the_meeting_may_not_take(world, app, tmp_path):
    """A 调整完善后予以支持 project answers the opinions and its report passes its reviews before any meeting."""
    proposal = concluded(world, score="8")
    assert proposal.current_assessment.conclusion_label == "调整完善后予以支持"
    pack = tmp_path / "p.zip"
    result = app.test_cli_runner().invoke(args=["meeting-pack", str(proposal.id), "-o", str(pack), "--title", "专题会议",
                                                    "--no-pdf"])
    assert result.exit_code != 0 and "不能提交会议审议" in result.output and not pack.exists()


def test_report_context_cites_the_source_of_each_threshold_it_applies(world):
    from budget_eval.assessment.documents.context import report_context
    from budget_eval.assessment.documents.build import stored_report
    from budget_eval.assessment.panels import rules_of

    proposal = concluded(world)
    round_ = proposal.current_assessment
    rules = rules_of(round_)
    labels, settings = stored_report(rules, proposal.category)
    context, _ = report_context(proposal, round_, rules, settings, labels)
    rows = context["threshold_sources"]
    assert rows[0]["what"] == "事前绩效评估范围：基建投资项目金额门槛（万元）" and rows[0]["value"] == "20000"
    assert rows[0]["status"] == "法定" and "第五条" in rows[0]["source"]
    cut_offs = [r for r in rows if r["what"].startswith("结论分数线")]
    assert [r["value"] for r in cut_offs] == ["90", "70", "0"]
    # no public text gives ex-ante cut-offs: the bureau's own choice, said so (issue 23)
    assert all(r["status"] == "本局自定" and "尚未找到" in r["source"] for r in cut_offs)
    gates = [r for r in rows if r["what"].startswith("否决性门槛")]
    assert gates and all(r["status"] == "本局自定" for r in gates)
    assert [t["value"] for t in context["project"]["targets"]] == ["≥12.5"]


def test_a_report_is_rendered_once_then_served_from_the_cache(world, monkeypatch, tmp_path):
    """Issue 22, point 6: a stored round's report is rendered once (keyed by round, rules version, template
    version, audience and the data that may still change) and read back from the document cache afterwards."""
    from budget_eval.assessment.documents import build

    proposal = concluded(world)
    renders = []
    real = build._assessment_report
    monkeypatch.setattr(build, "_assessment_report", lambda p, a: renders.append(a) or real(p, a))
    client = world.client(world.admin)
    url = f"/proposals/{proposal.id}/report.docx"
    first, second = download(client, url), download(client, url)
    assert first == second and len(renders) == 1
    proposal = db.session.get(Proposal, proposal.id)
    proposal.name = proposal.name + "（更名）"  # the proposal changed: a new key, rendered again
    db.session.commit()
    assert download(client, url) and len(renders) == 2
    assert download(client, url) and len(renders) == 2


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_meeting_page_makes_the_pack_as_a_background_job(world):
    """The meeting page's button starts the pack as a job (reports and PDF in the worker); its page offers the .zip."""
    first = concluded(world, score="9.5", name="项目甲")
    world.to_reviewed(first)
    admin = world.client(world.admin)
    admin.post("/meetings/", {"title": "", "kind": "executive", "session_no": "3", "meeting_date": "2027-03-10",
                              "proposal_id": [str(first.id)], "order": "amount"})
    meeting = db.session.scalar(select(Meeting))
    assert "生成会议材料" in admin.text(f"/meetings/{meeting.id}")
    page, data = admin.job(admin.post(f"/meetings/{meeting.id}/pack", {}))  # immediate in tests
    assert "已完成" in page and "会议材料已生成：1 个项目" in page and "下载2027年第3次市政府常务会议_会议材料.zip" in page
    with zipfile.ZipFile(io.BytesIO(data)) as pack:
        assert "2027年第3次市政府常务会议_会议材料.docx" in pack.namelist()
    assert world.client(world.finance).post(f"/meetings/{meeting.id}/pack", {}).status_code == 403
