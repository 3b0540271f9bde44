"""A department revising after 调整完善后予以支持 saves its changes from the proposal form; the adjustment is then
submitted with its point-by-point answer (assessment's adjustment page), never by the form alone."""
import pytest

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


def test_the_form_saves_the_revision_and_points_to_the_answer(world):
    proposal = revising(world)
    staff = world.client(world.staff)
    response = staff.post(f"/proposals/{proposal.id}/edit", form_post(plan_text="分两阶段实施"))
    assert response.status_code == 302
    page = staff.text(response.headers["Location"])
    assert "修改已保存" in page and "调整完善说明" in page
    db.session.refresh(proposal)
    assert (proposal.status, len(proposal.assessments), len(proposal.versions)) == ("revising", 1, 1)
    assert proposal.plan_text == "分两阶段实施"
    # the answer names what changed against the assessed version
    assert "实施方案" in staff.text(f"/proposals/{proposal.id}/adjustment")


def test_an_incomplete_revision_is_refused_with_the_edits_kept(world):
    proposal = revising(world)
    staff = world.client(world.staff)
    response = staff.post(f"/proposals/{proposal.id}/edit", form_post(plan_text="分两阶段实施", basis_text=""))
    assert response.status_code == 422
    assert "分两阶段实施" in response.get_data(as_text=True)
    db.session.refresh(proposal)
    assert (proposal.status, proposal.plan_text) == ("revising", "分三阶段实施")
