"""Role and department boundaries, tried by URL as an intruder would."""
import io

import pytest
from sqlalchemy import func, select

from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.intake.models import Attachment, Proposal
from tests.web.factories import form_post

PDF = b"%PDF-1.4\n%test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(make):
    """Two departments with a draft each; the first draft has an attachment."""
    from budget_eval.intake import attachments

    own = make.user(Role.DEPARTMENT, make.department("杭州市交通运输局"))
    other = make.user(Role.DEPARTMENT, make.department("杭州市教育局"))
    mine = make.proposal(own, name="交通局的项目")
    theirs = make.proposal(other, name="教育局的项目")
    attachment = attachments.store(theirs, io.BytesIO(PDF), "可研报告.pdf", other)
    return own, other, mine, theirs, attachment


def test_department_sees_only_its_own_list(client, world):
    own, _, mine, theirs, _ = world
    client.login(own)
    page = client.text("/proposals/")
    assert "交通局的项目" in page and "教育局的项目" not in page
    # a department filter in the query string cannot widen the view
    assert "教育局的项目" not in client.text(f"/proposals/?department={theirs.department_id}")


def test_department_cannot_reach_another_departments_proposal_by_id(client, world):
    own, _, _, theirs, attachment = world
    client.login(own)
    assert client.get(f"/proposals/{theirs.id}").status_code == 404
    assert client.get(f"/proposals/{theirs.id}/edit").status_code == 404
    assert client.post(f"/proposals/{theirs.id}/edit", form_post(name="改掉")).status_code == 404
    assert client.post(f"/proposals/{theirs.id}/attachments",
                       {"file": (io.BytesIO(PDF), "x.pdf")}, content_type="multipart/form-data").status_code == 404
    assert client.get(f"/proposals/attachments/{attachment.id}").status_code == 404
    assert client.post(f"/proposals/attachments/{attachment.id}/delete").status_code == 404
    db.session.refresh(theirs)
    assert theirs.name == "教育局的项目" and theirs.status == "draft"
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 1


def test_unknown_ids_look_the_same_as_forbidden_ones(client, world):
    own, *_ = world
    client.login(own)
    assert client.get("/proposals/999999").status_code == 404


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.ADMIN])
def test_finance_roles_see_every_department_but_cannot_edit(client, make, world, role):
    _, _, mine, theirs, attachment = world
    client.login(make.user(role))
    page = client.text("/proposals/")
    assert "交通局的项目" in page and "教育局的项目" in page
    assert "教育局的项目" in client.text(f"/proposals/{theirs.id}")
    with client.get(f"/proposals/attachments/{attachment.id}") as response:
        assert response.status_code == 200 and response.data == PDF
    assert client.get(f"/proposals/{mine.id}/edit").status_code == 403
    assert client.get("/proposals/new").status_code == 403
    assert client.post("/proposals/new", form_post()).status_code == 403
    assert client.post(f"/proposals/attachments/{attachment.id}/delete").status_code == 403


@pytest.mark.parametrize("role", [Role.EXPERT, Role.EVAL_OFFICE])
def test_experts_and_the_evaluation_office_see_no_proposals_yet(client, make, world, role):
    """Experts will see only what they are assigned (review workflow): an unassigned proposal does not exist for
    them (404). The office works elsewhere: its role may open no proposal page at all (403, whatever the id)."""
    _, _, mine, _, attachment = world
    client.login(make.user(role))
    refused = 404 if role is Role.EXPERT else 403
    assert client.get("/proposals/").status_code == 403
    assert client.get(f"/proposals/{mine.id}").status_code == refused
    assert client.get(f"/proposals/{mine.id + 1000}").status_code == refused  # existing and missing look alike
    assert client.get(f"/proposals/attachments/{attachment.id}").status_code == refused
    assert client.get("/screening/batch").status_code == 403


def test_department_cannot_file_for_another_department(client, world):
    """The department comes from the account, whatever the form says."""
    own, other, *_ = world
    client.login(own)
    client.post("/proposals/new", form_post(name="冒名项目", department_id=str(other.department_id)))
    created = db.session.scalar(select(Proposal).where(Proposal.name == "冒名项目"))
    assert created.department_id == own.department_id
