"""`flask seed-demo` gives every role something to see."""
from sqlalchemy import func, select

from budget_eval.demo import PASSWORD
from budget_eval.domain.roles import Role
from budget_eval.extensions import db
from budget_eval.models import Proposal, User
from tests.web.client import WebClient


def test_seed_demo_loads_every_role_and_a_dozen_proposals(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "admin" in result.output and PASSWORD in result.output
    assert {u.role for u in db.session.scalars(select(User))} == set(Role)
    proposals = db.session.scalars(select(Proposal)).all()
    assert len(proposals) == 12
    assert {p.category for p in proposals} == {"infra", "other", "policy"}
    assert {p.screening_outcome for p in proposals} == {"required", "not_required", "exempt", None}
    again = app.test_cli_runner().invoke(args=["seed-demo"])  # a second run adds nothing
    assert again.exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(Proposal)) == 12


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
    assert "达到2亿元的评估门槛" in page
