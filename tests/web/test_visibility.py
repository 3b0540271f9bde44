"""Blind review across rounds and the report variants, tried as a curious reviewer and department would."""
import io
import zipfile

import pytest
from docx import Document
from sqlalchemy import select

from budget_eval.assessment.models import PanelMember
from budget_eval.intake.models import Proposal
from budget_eval.meetings.models import Meeting
from budget_eval.platform.extensions import db
from tests.web.factories import form_post
from tests.web.flow import World
from tests.web.test_reports import download, text_of

ROUND1 = ("8.13", "8.27", "7.91")  # each indicator; per-reviewer totals 81.30, 82.70, 79.10
TOTALS = ("81.30", "82.70", "79.10")
OPINIONS = ("甲专家认为测算依据偏粗", "乙专家认为绩效目标可量化", "丙专家认为实施方案可行")


@pytest.fixture
def world(app, make):
    return World(app, make)


def round_one(world: World) -> Proposal:
    """Round 1 scored by three named reviewers with distinct totals and opinions, concluded 调整完善."""
    proposal = world.submit()
    world.to_finance_review(proposal)
    members = world.assign(proposal, [world.finance, *world.experts[:2]])
    for member, each, opinion in zip(members, ROUND1, OPINIONS, strict=True):
        world.client(member.user).post(f"/reviews/{member.id}", {"step": "declare", "agree": "yes"})
        assert world.score(member, each, opinion=opinion).status_code == 302
    assert world.conclude(proposal, opinion="第一轮总体意见").status_code == 302
    db.session.refresh(proposal)
    assert proposal.current_assessment.conclusion_label == "调整完善后予以支持"
    return proposal


def newcomer_in_round_two(world: World, proposal: Proposal) -> PanelMember:
    """The department revises and answers; finance orders a new round; the admin adds a fourth reviewer, who
    declares no conflict."""
    staff = world.client(world.staff)
    staff.post(f"/proposals/{proposal.id}/act/start_revision")
    staff.post(f"/proposals/{proposal.id}/edit", form_post(plan_text="改为两阶段实施"))
    staff.post(f"/proposals/{proposal.id}/adjustment",
               {"change-0": "改", "where-0": "实施方案", "change-1": "改", "where-1": "实施方案", "explanation": "已改"})
    world.client(world.admin).post(f"/proposals/{proposal.id}/act/adjustment_new_round", {"reason": "方案变化较大"})
    db.session.refresh(proposal)
    assert proposal.current_assessment.round == 2
    newcomer = world.experts[2]
    world.assign(proposal, [newcomer])
    member = db.session.scalar(select(PanelMember).where(PanelMember.user_id == newcomer.id))
    world.client(newcomer).post(f"/reviews/{member.id}", {"step": "declare", "agree": "yes"})
    db.session.refresh(member)
    assert member.status == "accepted"
    return member


def round_one_secrets(world: World, proposal: Proposal) -> list[str]:
    first = proposal.assessments[0]
    return [str(first.total), *TOTALS, *OPINIONS, "第一轮总体意见", "测算偏粗",
            world.experts[0].display_name, world.experts[1].display_name]


def test_reviewer_joining_in_round_two_sees_nothing_of_round_one_before_submitting(world):
    proposal = round_one(world)
    member = newcomer_in_round_two(world, proposal)
    secrets = round_one_secrets(world, proposal)
    newcomer = world.client(member.user)

    detail = newcomer.text(f"/proposals/{proposal.id}")
    assert proposal.name in detail and "盲评" in detail
    assert [s for s in secrets if s in detail] == []
    task = newcomer.text(f"/reviews/{member.id}")
    assert [s for s in secrets if s in task] == []
    response = newcomer.get(f"/proposals/{proposal.id}/report.docx", follow_redirects=True)
    assert response.mimetype == "text/html" and "请先提交本人本轮评分" in response.get_data(as_text=True)
    for other in proposal.assessments[0].members:
        assert newcomer.get(f"/reviews/{other.id}/opinion.docx").status_code == 404

    # a round-1 reviewer carried into round 2 is blind again until they submit in round 2
    carried = next(m for m in proposal.current_assessment.members if m.user_id == world.experts[0].id)
    again = world.client(world.experts[0])
    page = again.text(f"/proposals/{proposal.id}")
    assert str(proposal.assessments[0].total) not in page and OPINIONS[1] not in page
    assert again.get(f"/proposals/{proposal.id}/report.docx").status_code == 302
    colleague = next(m for m in proposal.assessments[0].members if m.user_id != world.experts[0].id)
    assert again.get(f"/reviews/{colleague.id}/opinion.docx").status_code == 404

    # once they have submitted their own sheet, the earlier round opens to them
    assert world.score(member, "9.1").status_code == 302
    detail = newcomer.text(f"/proposals/{proposal.id}")
    assert str(proposal.assessments[0].total) in detail and "第一轮总体意见" in detail
    report = text_of(Document(io.BytesIO(download(newcomer, f"/proposals/{proposal.id}/report.docx"))))
    assert "第一轮总体意见" in report
    assert world.score(carried, "9.0").status_code == 302
    assert str(proposal.assessments[0].total) in again.text(f"/proposals/{proposal.id}")


def test_department_report_has_the_panel_but_no_names_or_reviewer_totals(world):
    proposal = round_one(world)
    first = proposal.assessments[0]
    names = [m.user.display_name for m in first.members]
    for user in (world.staff, world.authority_staff):
        text = text_of(Document(io.BytesIO(download(world.client(user), f"/proposals/{proposal.id}/report.docx"))))
        assert f"该项目总分{first.total}分" in text and "第一轮总体意见" in text
        assert all(opinion in text for opinion in OPINIONS)  # the panel's opinions, anonymised
        assert [n for n in names if n in text] == []
        assert [t for t in TOTALS if t in text] == []
    full = text_of(Document(io.BytesIO(download(world.client(world.admin), f"/proposals/{proposal.id}/report.docx"))))
    assert all(n in full for n in names) and all(t in full for t in TOTALS)


def test_meeting_pack_reports_have_no_names_or_reviewer_totals(world):
    proposal = world.submit()
    world.to_finance_review(proposal)
    members = world.assign(proposal, [world.finance, *world.experts[:2]])
    for member, each in zip(members, ("9.13", "9.47", "9.71"), strict=True):  # totals 91.30, 94.70, 97.10
        world.declare_and_score(member, each)
    assert world.conclude(proposal).status_code == 302
    names = [m.user.display_name for m in members]
    world.to_reviewed(proposal)
    admin = world.client(world.admin)
    admin.post("/meetings/", {"kind": "executive", "title": "2027年第5次市政府常务会议", "proposal_id": str(proposal.id), "order": "score"})
    meeting = db.session.scalar(select(Meeting))
    with zipfile.ZipFile(io.BytesIO(download(admin, f"/meetings/{meeting.id}/pack.zip"))) as pack:
        for name in pack.namelist():
            if name.endswith(".pdf"):  # LibreOffice's rendering of the .docx checked here
                continue
            with zipfile.ZipFile(io.BytesIO(pack.read(name))) as office:
                xml = "".join(office.read(part).decode("utf-8") for part in office.namelist()
                              if part.endswith(".xml"))
            assert [n for n in names if n in xml] == [], name
            assert [t for t in ("91.30", "94.70", "97.10") if t in xml] == [], name


def test_cli_report_defaults_to_the_department_variant(world, app, tmp_path):
    proposal = round_one(world)
    names = [m.user.display_name for m in proposal.assessments[0].members]
    runner = app.test_cli_runner()
    out = tmp_path / "r.docx"
    assert runner.invoke(args=["report", str(proposal.id), "-o", str(out)]).exit_code == 0
    assert [n for n in names if n in text_of(Document(out))] == []
    assert runner.invoke(args=["report", str(proposal.id), "-o", str(out), "--for", "finance"]).exit_code == 0
    assert all(n in text_of(Document(out)) for n in names)
