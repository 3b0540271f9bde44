"""A department resubmits its revised proposal from the proposal form (intake's form, assessment's new round)."""
import pytest

from budget_eval.intake.domain.workflow import WorkflowError
from budget_eval.intake.models import Proposal
from budget_eval.platform.extensions import db
from tests.web.factories import form_post
from tests.web.flow import World


@pytest.fixture
def world(app, make):
    return World(app, make)


def revising(world: World) -> Proposal:
    """Round 1 concluded 调整完善后予以支持, and the department has started revising."""
    proposal = world.submit()
    world.to_finance_review(proposal)
    for member in world.assign(proposal, [world.finance, *world.experts[:2]]):
        assert world.declare_and_score(member, "8").status_code == 302
    assert world.conclude(proposal).status_code == 302
    world.client(world.staff).post(f"/proposals/{proposal.id}/act/start_revision")
    db.session.refresh(proposal)
    assert proposal.status == "revising"
    return proposal


def test_resubmitting_from_the_form_opens_a_new_round(world):
    proposal = revising(world)
    staff = world.client(world.staff)
    response = staff.post(f"/proposals/{proposal.id}/edit", form_post(plan_text="分两阶段实施"))
    assert response.status_code == 302
    page = staff.text(response.headers["Location"])
    assert "已重新提交，评审组将对新版本重新评分。" in page
    db.session.refresh(proposal)
    assert (proposal.status, proposal.current_assessment.round, len(proposal.versions)) == ("finance_review", 2, 2)
    assert proposal.plan_text == "分两阶段实施" and proposal.versions[-1].snapshot["plan_text"] == "分两阶段实施"
    assert proposal.events[-1].action == "调整完善后重新提交"


def test_a_refused_resubmission_keeps_the_edits_and_says_why(world, monkeypatch):
    proposal = revising(world)

    def refuse(proposal, user):
        raise WorkflowError("评估规则暂不可用")

    monkeypatch.setattr("budget_eval.assessment.panels.open_round", refuse)
    staff = world.client(world.staff)
    response = staff.post(f"/proposals/{proposal.id}/edit", form_post(plan_text="分两阶段实施"))
    assert response.status_code == 302
    assert "评估规则暂不可用" in staff.text(response.headers["Location"])
    db.session.refresh(proposal)
    assert (proposal.status, proposal.plan_text, len(proposal.assessments)) == ("revising", "分两阶段实施", 1)
    assert len(proposal.versions) == 1
