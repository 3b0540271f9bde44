"""Scoring on evidence (issue 20): 审核要点 with their levels and points on the page before anything is typed,
citations that must resolve, 依据不足 (a 补正 request when the whole panel says so), the dimension analysis,
and a report that prints exactly what was recorded."""
import io
from pathlib import Path

import pytest
from docx import Document

from budget_eval.assessment.panels import rules_of
from budget_eval.demo.evidence_pdf import pdf_document
from budget_eval.intake import attachments
from budget_eval.platform.extensions import db
from tests.tools import require_tool
from tests.web.flow import World

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "i20"
OTHER = {"category": "other", "fund_years-0-amount": "600", "fund_years-1-amount": "600", "sources-general": "1200",
         "sources-bond": None}


@pytest.fixture
def world(app, make):
    return World(app, make)


def in_review(world):
    proposal = world.submit(name="交通信号控制系统升级", **OTHER)
    world.to_finance_review(proposal)
    pdf = pdf_document("可行性研究报告", [["第一章 背景"], ["第二章 方案"], ["第三章 投资估算：信号机单价12万元/台"]])
    study = attachments.store(proposal, io.BytesIO(pdf), "可行性研究报告.pdf", world.staff)
    members = world.assign(proposal, [world.finance, *world.experts[:2]])
    for member in members:
        world.client(member.user).post(f"/reviews/{member.id}", {"step": "declare", "agree": "yes"})
    return proposal, study, members


def sheet(world, member, study, **changes):
    data = world.point_sheet(member, "8")
    for key in [k for k in data if k.endswith("-1-file")]:
        data[key] = str(study.id)
    data |= {"opinion": "同意", "step": "submit"}
    return {k: v for k, v in (data | changes).items() if v is not None}


def test_the_page_shows_points_levels_and_comment_rules_before_typing(world):
    proposal, study, (member, *_) = in_review(world)
    page = world.client(member.user).text(f"/reviews/{member.id}")
    rules = rules_of(member.assessment)
    first = rules.template.audit_points[0]
    assert first.question in page and "审核要点1" in page
    assert "良（4分）" in page and "差（1.5分）" in page and "依据不足（不计分）" in page
    assert "·须填评语" in page and "选择“中”、“差”、“依据不足”须填写评语" in page
    assert "可行性研究报告.pdf" in page and "共3页" in page and "事实依据" in page and "存在问题" in page


def test_citations_resolve_insufficient_and_analysis_reach_the_report(world):
    proposal, study, members = in_review(world)
    rules = rules_of(members[0].assessment)
    cited, unsure = rules.template.audit_points[2].key, rules.template.audit_points[5].key
    client = world.client(members[0].user)
    wrong = sheet(world, members[0], study, **{f"cite-{cited}-1-page": "9"})
    page = client.post(f"/reviews/{members[0].id}", wrong).get_data(as_text=True)
    assert "“可行性研究报告.pdf”共3页，没有第9页" in page
    good = sheet(world, members[0], study, **{
        f"cite-{cited}-1-page": "3", f"cite-{cited}-1-quote": "信号机单价12万元/台",
        f"level-{unsure}": "依据不足", f"cite-{unsure}-1-file": None, f"cite-{unsure}-1-page": None,
        f"comment-{unsure}": "未提供单价询价材料",
        "problems-economy": "信号机单价高于同类项目", "suggestions-economy": "补充三家询价"})
    assert client.post(f"/reviews/{members[0].id}", good).status_code == 302
    db.session.refresh(members[0])
    stored = members[0].ratings[cited]["citations"][0]
    assert (stored["attachment"], stored["page"], stored["quote"]) == (study.id, 3, "信号机单价12万元/台")
    assert members[0].ratings[unsure]["level"] == "依据不足"
    for member in members[1:]:
        assert world.client(member.user).post(f"/reviews/{member.id}", sheet(world, member, study)).status_code == 302
    assert world.conclude(proposal).status_code == 302
    db.session.refresh(proposal)
    assert proposal.status == "concluded"
    result = proposal.current_assessment.result
    assert result["insufficient"] == {unsure: [members[0].user_id]} and result["points"][unsure] is not None
    data = world.client(world.admin).get(f"/proposals/{proposal.id}/report.docx").data
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "report_full.docx").write_bytes(data)  # looked at through LibreOffice (tests/browser)
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "《可行性研究报告.pdf》第3页" in text and "信号机单价12万元/台" in text
    assert "信号机单价高于同类项目" in text and "补充三家询价" in text
    assert "未列出主要问题" not in text and "未提出意见建议" not in text
    assert "依据不足" in text
    for method in ("比较法", "因素分析法", "成本效益分析法"):
        assert method not in text  # nothing recorded, nothing named
    assert "去掉" not in text  # three reviewers: nothing was dropped


def test_every_reviewer_insufficient_is_a_correction_request(world):
    proposal, study, members = in_review(world)
    key = rules_of(members[0].assessment).template.audit_points[0].key
    for member in members:
        data = sheet(world, member, study, **{f"level-{key}": "依据不足", f"cite-{key}-1-file": None,
                                              f"cite-{key}-1-page": None, f"comment-{key}": "缺少规划文件"})
        assert world.client(member.user).post(f"/reviews/{member.id}", data).status_code == 302
    page = world.conclude(proposal, follow_redirects=True).get_data(as_text=True)
    assert "须请申报单位补正材料" in page
    db.session.refresh(proposal)
    assert proposal.status != "concluded"


def test_material_pages_render_for_the_reviewer_only(world, make):
    require_tool("pdftoppm")
    proposal, study, (member, other, _) = in_review(world)
    url = f"/reviews/{member.id}/materials/{study.id}/3.png"
    response = world.client(member.user).get(url)
    assert response.status_code == 200 and response.data.startswith(b"\x89PNG")
    assert world.client(other.user).get(url).status_code == 404  # not their task
    assert world.client(member.user).get(f"/reviews/{member.id}/materials/{study.id}/4.png").status_code == 404


def test_the_materials_page_links_every_uploaded_file(world):
    proposal, study, _ = in_review(world)
    page = world.client(world.finance).text(f"/proposals/{proposal.id}/materials")
    assert f"/attachments/{study.id}" in page and "可行性研究报告.pdf" in page


def test_methods_and_steps_are_recorded_and_printed_as_recorded(world):
    proposal, study, members = in_review(world)
    admin = world.client(world.admin)
    url = f"/proposals/{proposal.id}/assessment/records"
    page = admin.post(url, {"kind": "method", "method": "comparison", "finding": "", "evidence": "x"})
    assert page.status_code == 422 and "请填写运用该方法的发现" in page.get_data(as_text=True)
    assert 'value="x"' in page.get_data(as_text=True)  # what was typed is kept
    assert admin.post(url, {"kind": "method", "method": "comparison", "finding": "信号机单价高于同类项目约15%",
                            "evidence": "可行性研究报告第3页"}).status_code == 302
    assert admin.post(url, {"kind": "step", "step": "site_visit", "date": "2099-01-01"}).status_code == 422
    assert admin.post(url, {"kind": "step", "step": "site_visit", "date": "2026-11-20", "note": "路口实地查看"}
                      ).status_code == 302
    assert admin.post(url, {"kind": "step", "step": "feedback", "date": "2026-11-21"}).status_code == 302
    db.session.refresh(proposal)
    steps = proposal.current_assessment.procedure_steps
    assert admin.post(url, {"kind": "step", "remove": "1", "at": "2000-01-01"}).status_code == 422  # not that one
    assert admin.post(url, {"kind": "step", "remove": "1", "at": steps[1]["at"]}).status_code == 302
    for member in members:
        assert world.client(member.user).post(f"/reviews/{member.id}", sheet(world, member, study)).status_code == 302
    world.conclude(proposal)
    db.session.refresh(proposal)
    assert admin.post(url, {"kind": "step", "step": "feedback", "date": "2026-11-21"}).status_code == 422  # frozen
    data = admin.get(f"/proposals/{proposal.id}/report.docx").data
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "1. 比较法：信号机单价高于同类项目约15%（依据：可行性研究报告第3页）。" in text
    assert "2026年11月20日，现场调研：路口实地查看。" in text
    assert "因素分析法" not in text and "成本效益分析法" not in text


def test_free_number_mode_stays_where_the_rules_say_and_shows_each_levels_range(world):
    proposal = world.submit()  # 基建: rules/assessment.yaml keeps one number per indicator for it
    world.to_finance_review(proposal)
    member = world.assign(proposal, world.experts[:1])[0]
    client = world.client(member.user)
    client.post(f"/reviews/{member.id}", {"step": "declare", "agree": "yes"})
    page = client.text(f"/reviews/{member.id}")
    assert 'name="score-' in page and 'name="level-' not in page
    assert "优（9—10分）" in page and "良（8—8.99分）" in page and "差（低于6分）" in page
    assert "低于8分（“良”档下限）或给满分时必填" in page


def test_the_demo_scores_on_evidence(app):
    """Rated by 要点 with citations on real pages of its PDFs, one 依据不足, methods and steps recorded; the
    supported projects' reports print the problems their analyses name."""
    from sqlalchemy import select

    from budget_eval.assessment import evidence
    from budget_eval.assessment.domain.states import RoundStatus
    from budget_eval.assessment.models import Assessment
    from budget_eval.platform.models.user import User
    from tests.web.client import WebClient

    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    rounds = [r for r in db.session.scalars(select(Assessment).where(Assessment.status == RoundStatus.CONCLUDED))
              if rules_of(r).by_points]
    assert rounds
    files = {a.id: a for r in rounds for a in r.proposal.attachments}
    cited = [c for r in rounds for m in r.members for rating in (m.ratings or {}).values()
             for c in rating.get("citations") or []]
    assert cited and all(1 <= c["page"] <= evidence.page_count(files[c["attachment"]]) for c in cited)
    assert any(r.result["insufficient"] for r in rounds)
    assert all(r.methods_used and r.procedure_steps for r in rounds)
    admin = WebClient(app)
    admin.login(db.session.scalar(select(User).where(User.username == "admin")), "Hz-Demo@2026")
    for round_ in rounds:
        if round_.conclusion != "support":
            continue
        data = admin.get(f"/proposals/{round_.proposal_id}/report.docx").data
        text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
        assert "未列出主要问题" not in text and "中心控制平台软件150万元未附询价或评审依据" in text
        assert "比较法" in text and "因素分析法" not in text
