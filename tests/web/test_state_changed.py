"""The one status writer sends platform.signals.state_changed once per write, and nothing when it refuses."""
import pytest

from budget_eval.evaluation.domain.states import YEAR
from budget_eval.evaluation.operations import open_year
from budget_eval.intake.domain.workflow import PROPOSAL, Status
from budget_eval.platform.extensions import db
from budget_eval.platform.signals import state_changed
from tests.web.flow import World
from tests.web.factories import TESTER


@pytest.fixture
def world(app, make):
    return World(app, make)


def test_a_transition_sends_state_changed_once_and_a_refused_one_nothing(world):
    proposal = world.submit()
    sent = []

    def receiver(sender, **kwargs):  # the request's session is gone afterwards: read the ids now
        sent.append((sender, kwargs | {"row": kwargs["row"].id, "user": kwargs["user"].id}))

    finance = world.client(world.finance)
    with state_changed.connected_to(receiver):
        finance.post(f"/proposals/{proposal.id}/act/accept")
        moves = [(sender, kw) for sender, kw in sent if sender is PROPOSAL]
        assert len(moves) == 1
        lifecycle, data = moves[0]
        assert data["action"] == data["step"].action == "accept"
        assert (data["before"], data["after"]) == (Status.SUBMITTED, Status.MATERIALS)
        assert (data["row"], data["user"]) == (proposal.id, world.finance.id)

        sent.clear()
        finance.post(f"/proposals/{proposal.id}/act/accept")  # already accepted: refused
        world.client(world.staff).post(f"/proposals/{proposal.id}/act/start_revision")  # not now: refused
    db.session.refresh(proposal)
    assert proposal.status == Status.MATERIALS and sent == []


def test_a_creation_sends_state_changed_with_no_state_before(app):
    sent = []
    with state_changed.connected_to(lambda sender, **kw: sent.append((sender, kw))):
        record = open_year(2026, "hangzhou", TESTER)
    created = [(sender, kw) for sender, kw in sent if kw["row"] is record]
    assert [(sender, kw["action"], kw["step"], kw["before"], kw["after"], kw["user"]) for sender, kw in created] == \
        [(YEAR, "create", None, None, YEAR.state(record.status), TESTER)]
