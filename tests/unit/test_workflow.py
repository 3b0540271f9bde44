"""The state machine: every legal transition, and illegal ones refused, per actor."""
import pytest

from budget_eval.intake import actions
from budget_eval.intake.domain.workflow import Actor, available, check, OWN_PAGE_ACTIONS, Status, TRANSITIONS, \
    WorkflowError

LEGAL = [
    ("submit", Status.DRAFT, Actor.DEPARTMENT, Status.SUBMITTED),
    ("submit", Status.RETURNED, Actor.DEPARTMENT, Status.SUBMITTED),
    # screened 不需要 / 免于评估: the submission closes the item (issue 21, point 5)
    ("submit_not_required", Status.DRAFT, Actor.DEPARTMENT, Status.NOT_ASSESSED),
    ("submit_not_required", Status.RETURNED, Actor.DEPARTMENT, Status.NOT_ASSESSED),
    # 退回补正 of a submission, with reasons
    ("return_submission", Status.SUBMITTED, Actor.ADMIN, Status.RETURNED),
    ("return_submission", Status.MATERIALS, Actor.ADMIN, Status.RETURNED),
    ("accept", Status.SUBMITTED, Actor.FINANCE, Status.MATERIALS),
    ("materials_complete", Status.MATERIALS, Actor.FINANCE, Status.SELF_ASSESSMENT),
    ("submit_self", Status.SELF_ASSESSMENT, Actor.DEPARTMENT, Status.AUTHORITY_REVIEW),
    ("submit_self", Status.SELF_ASSESSMENT, Actor.ASSESSOR, Status.AUTHORITY_REVIEW),
    ("submit_self_direct", Status.SELF_ASSESSMENT, Actor.DEPARTMENT, Status.FINANCE_REVIEW),
    ("submit_self_direct", Status.SELF_ASSESSMENT, Actor.ASSESSOR, Status.FINANCE_REVIEW),
    ("authority_approve", Status.AUTHORITY_REVIEW, Actor.AUTHORITY, Status.FINANCE_REVIEW),
    ("authority_return", Status.AUTHORITY_REVIEW, Actor.AUTHORITY, Status.SELF_ASSESSMENT),
    ("conclude", Status.FINANCE_REVIEW, Actor.ADMIN, Status.CONCLUDED),
    # art. 5: the report to the sector authority and finance, each reviewing it apart; either returns it
    ("send_review", Status.CONCLUDED, Actor.DEPARTMENT, Status.REPORT_REVIEW),
    ("send_review_finance", Status.CONCLUDED, Actor.DEPARTMENT, Status.REPORT_REVIEW),
    ("sector_pass", Status.REPORT_REVIEW, Actor.SECTOR, Status.REPORT_REVIEW),
    ("sector_return", Status.REPORT_REVIEW, Actor.SECTOR, Status.CORRECTING),
    ("finance_pass", Status.REPORT_REVIEW, Actor.FINANCE, Status.REPORT_REVIEW),
    ("finance_return", Status.REPORT_REVIEW, Actor.FINANCE, Status.CORRECTING),
    ("reviews_complete", Status.REPORT_REVIEW, Actor.SECTOR, Status.REVIEWED),
    ("reviews_complete", Status.REPORT_REVIEW, Actor.FINANCE, Status.REVIEWED),
    ("resend_review", Status.CORRECTING, Actor.DEPARTMENT, Status.REPORT_REVIEW),
    # 调整完善后予以支持: an adjustment that ends with finance's confirmation (or a new round finance orders)
    ("start_revision", Status.CONCLUDED, Actor.DEPARTMENT, Status.REVISING),
    ("resubmit", Status.REVISING, Actor.DEPARTMENT, Status.ADJUSTED),
    ("confirm_adjustment", Status.ADJUSTED, Actor.FINANCE, Status.REPORT_REVIEW),
    ("return_adjustment", Status.ADJUSTED, Actor.FINANCE, Status.REVISING),
    ("adjustment_new_round", Status.ADJUSTED, Actor.ADMIN, Status.FINANCE_REVIEW),
    ("to_meeting", Status.REVIEWED, Actor.ADMIN, Status.MEETING),
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
    assert [t.action for t in available(Status.CONCLUDED, {Actor.DEPARTMENT})] == \
        ["send_review", "send_review_finance", "start_revision"]
    assert available(Status.CONCLUDED, {Actor.FINANCE, Actor.ADMIN}) == []  # a meeting takes only reviewed reports
    assert {t.action for t in available(Status.REVIEWED, {Actor.FINANCE, Actor.ADMIN})} == {"to_meeting"}
    assert available(Status.DECIDED, {Actor.DEPARTMENT, Actor.AUTHORITY, Actor.SECTOR}) == []


def test_reviewers_of_the_report():
    """Art. 5: the sector authority and finance; finance alone where no sector authority is named."""
    from budget_eval.intake.domain.workflow import pending_reviewers, required_reviewers
    assert required_reviewers(True) == ("sector", "finance")
    assert required_reviewers(False) == ("finance",)
    assert pending_reviewers(True, {"finance"}) == ["sector"]
    assert pending_reviewers(False, {"finance"}) == []


def test_own_page_actions_are_proposal_actions():
    assert OWN_PAGE_ACTIONS < TRANSITIONS.keys()


def test_the_step_registry_takes_only_page_steps_each_with_one_handler():
    """proposals.act runs only registered steps; a step is a row of the table, not one taken on its own page."""
    def handler(proposal, user, reason):
        return ""

    with pytest.raises(ValueError, match="not a step"):
        actions.register("no_such_step", handler)
    with pytest.raises(ValueError, match="not a step"):
        actions.register("conclude", handler)  # its own page (assessment's conclusion form)
    saved = actions._STEPS.pop("accept", None)  # assessment's, when an app was built in this process
    try:
        actions.register("accept", handler)
        actions.register("accept", handler)  # the same again (each app the tests build): fine
        with pytest.raises(ValueError, match="already handled"):
            actions.register("accept", lambda proposal, user, reason: "")
    finally:
        actions._STEPS.pop("accept")
        if saved is not None:
            actions._STEPS["accept"] = saved


def test_nothing_leaves_the_final_state_and_the_bar_shows_only_this_items_road():
    """无需评估 is final; the bar: 草稿 → 已提交 → 无需评估 for an item screened out, 主管部门审核 only under a parent
    unit, 调整完善 once taken; a 草稿 is current at 草稿, never at 已提交 (issue 21, point 5)."""
    from budget_eval.intake.domain.workflow import FINAL, stages

    assert all(available(state, set(Actor)) == [] for state in FINAL)
    assert stages(Status.NOT_ASSESSED, needs_assessment=False) == [
        ("草稿", "done"), ("已提交", "done"), ("无需评估", "current")]
    draft = stages(Status.DRAFT)
    assert draft[0] == ("草稿", "current") and all(p == "todo" for _, p in draft[1:])
    assert ("调整完善", "todo") not in draft and ("主管部门审核", "todo") in draft
    direct = [label for label, _ in stages(Status.FINANCE_REVIEW, needs_assessment=True, parent_review=False)]
    assert "主管部门审核" not in direct and "调整完善" not in direct
    revising = stages(Status.ADJUSTED, needs_assessment=True, parent_review=False, revised=True)
    assert ("调整待确认", "current") in revising and ("已出结论", "done") in revising
    assert stages(Status.RETURNED)[0] == ("申报退回补正", "current")
