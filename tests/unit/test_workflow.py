"""The state machine: every legal transition, and illegal ones refused, per actor."""
import pytest

from budget_eval.intake import signals
from budget_eval.intake.domain.workflow import Actor, available, check, OWN_PAGE_ACTIONS, Status, TRANSITIONS, \
    WorkflowError

LEGAL = [
    ("submit", Status.DRAFT, Actor.DEPARTMENT, Status.SUBMITTED),
    ("accept", Status.SUBMITTED, Actor.FINANCE, Status.MATERIALS),
    ("materials_complete", Status.MATERIALS, Actor.FINANCE, Status.SELF_ASSESSMENT),
    ("submit_self", Status.SELF_ASSESSMENT, Actor.DEPARTMENT, Status.AUTHORITY_REVIEW),
    ("submit_self_direct", Status.SELF_ASSESSMENT, Actor.DEPARTMENT, Status.FINANCE_REVIEW),
    ("authority_approve", Status.AUTHORITY_REVIEW, Actor.AUTHORITY, Status.FINANCE_REVIEW),
    ("authority_return", Status.AUTHORITY_REVIEW, Actor.AUTHORITY, Status.SELF_ASSESSMENT),
    ("conclude", Status.FINANCE_REVIEW, Actor.ADMIN, Status.CONCLUDED),
    ("start_revision", Status.CONCLUDED, Actor.DEPARTMENT, Status.REVISING),
    ("resubmit", Status.REVISING, Actor.DEPARTMENT, Status.FINANCE_REVIEW),
    ("to_meeting", Status.CONCLUDED, Actor.ADMIN, Status.MEETING),
    ("to_meeting", Status.DECIDED, Actor.ADMIN, Status.MEETING),
    ("decide", Status.MEETING, Actor.ADMIN, Status.DECIDED),
]


@pytest.mark.parametrize(("action", "state", "actor", "target"), LEGAL)
def test_legal_transitions(action, state, actor, target):
    assert check(action, state, {actor}, reason="理由").target is target


def test_every_transition_is_listed_above():
    assert {a for a, *_ in LEGAL} == set(TRANSITIONS)


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
@pytest.mark.parametrize("state", list(Status))
@pytest.mark.parametrize("actor", list(Actor))
def test_everything_else_is_refused(action, state, actor):
    legal = any(a == action and s is state and x is actor for a, s, x, _ in LEGAL)
    if legal:
        return
    with pytest.raises(WorkflowError):
        check(action, state, {actor}, reason="理由")


def test_refusals_say_why_in_chinese():
    with pytest.raises(WorkflowError, match="项目当前处于“草稿”阶段，不能执行“出具评估结论”"):
        check("conclude", Status.DRAFT, {Actor.ADMIN})
    with pytest.raises(WorkflowError, match="您无权执行“出具评估结论”"):
        check("conclude", Status.FINANCE_REVIEW, {Actor.FINANCE})
    with pytest.raises(WorkflowError, match="须填写理由"):
        check("authority_return", Status.AUTHORITY_REVIEW, {Actor.AUTHORITY}, reason=" ")


def test_available_actions():
    assert [t.action for t in available(Status.CONCLUDED, {Actor.DEPARTMENT})] == ["start_revision"]
    assert {t.action for t in available(Status.CONCLUDED, {Actor.FINANCE, Actor.ADMIN})} == {"to_meeting"}
    assert available(Status.DECIDED, {Actor.DEPARTMENT, Actor.AUTHORITY}) == []


def test_own_page_actions_are_proposal_actions():
    assert OWN_PAGE_ACTIONS < TRANSITIONS.keys()


def test_resubmitting_needs_its_one_receiver():
    """Intake cannot resubmit on its own: the app factory connects assessment's receiver."""
    with signals.proposal_resubmitted.muted(), pytest.raises(RuntimeError, match="exactly one"):
        signals.resubmit(object(), object())
