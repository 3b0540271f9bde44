"""The visibility policy's two parts agree: intake asks a panel member record whether it is cleared
(PanelMember.is_cleared), the assessment part reads the status against the enums."""
from types import SimpleNamespace as N

import pytest

from budget_eval.assessment.domain.states import SheetStatus
from budget_eval.assessment.domain.visibility import is_cleared
from budget_eval.assessment.models import PanelMember
from budget_eval.intake.domain.visibility import can_view_proposal


@pytest.mark.parametrize("status", list(SheetStatus))
def test_the_record_and_the_policy_agree_on_who_is_cleared(status):
    record = N(state=status)  # the property reads the record's state (Stateful); no mapper needed
    assert PanelMember.is_cleared.fget(record) == is_cleared(N(status=status.value))


def test_an_expert_sees_a_proposal_once_cleared_on_one_of_its_rounds():
    expert = N(id=7, role="expert", department_id=None)
    member = N(user_id=7, is_cleared=False)
    proposal = N(department_id=1, department=N(authority_id=None), assessments=[N(members=[member])])
    assert not can_view_proposal(expert, proposal)
    member.is_cleared = True
    assert can_view_proposal(expert, proposal)
