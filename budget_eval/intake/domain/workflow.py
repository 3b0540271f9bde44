"""The proposal workflow as an explicit state machine (art. 5: assessment → authority and finance review →
executive meeting). Views and services ask this module whether an action is legal; nothing else decides.
"""
from __future__ import annotations

from enum import StrEnum

from budget_eval.platform.domain.lifecycle import Lifecycle, Step, step, TransitionError


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    MATERIALS = "materials"
    SELF_ASSESSMENT = "self_assessment"
    AUTHORITY_REVIEW = "authority_review"
    FINANCE_REVIEW = "finance_review"
    CONCLUDED = "concluded"
    REVISING = "revising"
    MEETING = "meeting"
    DECIDED = "decided"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.DRAFT: "草稿",
    Status.SUBMITTED: "已提交",
    Status.MATERIALS: "材料审查",
    Status.SELF_ASSESSMENT: "部门自评",
    Status.AUTHORITY_REVIEW: "主管部门审核",
    Status.FINANCE_REVIEW: "财政评估",
    Status.CONCLUDED: "已出结论",
    Status.REVISING: "调整完善",
    Status.MEETING: "提交会议",
    Status.DECIDED: "会议决策",
}

# who acts next in each state, as shown on the proposal page
NEXT_ACTOR = {
    Status.DRAFT: "申报部门填写并提交",
    Status.SUBMITTED: "财政局受理（无需评估的项目到此为止）",
    Status.MATERIALS: "财政局审查申报材料",
    Status.SELF_ASSESSMENT: "申报部门开展自评",
    Status.AUTHORITY_REVIEW: "主管部门审核自评",
    Status.FINANCE_REVIEW: "评审组评分，财政管理员出具结论",
    Status.CONCLUDED: "财政管理员提交会议，或申报部门调整完善",
    Status.REVISING: "申报部门调整完善后重新提交",
    Status.MEETING: "等待会议决策",
    Status.DECIDED: "流程结束（暂缓的项目可提交以后的会议）",
}

# The workflow bar on the proposal page: its stages, and the stage a state not on the bar is shown at.
STAGES = (Status.SUBMITTED, Status.MATERIALS, Status.SELF_ASSESSMENT, Status.AUTHORITY_REVIEW, Status.FINANCE_REVIEW,
          Status.CONCLUDED, Status.MEETING, Status.DECIDED)
SHOWN_AT = {Status.DRAFT: Status.SUBMITTED, Status.REVISING: Status.CONCLUDED}


def stages(state: Status) -> list[tuple[str, bool]]:
    """(label, current) for each stage of the workflow bar."""
    at = SHOWN_AT.get(state, state)
    return [(STATUS_LABELS[stage], stage is at) for stage in STAGES]


# States in which the department may edit its proposal.
EDITABLE = frozenset({Status.DRAFT, Status.REVISING})


class Actor(StrEnum):
    DEPARTMENT = "department"  # staff of the submitting department
    AUTHORITY = "authority"  # staff of the department's authority (主管部门)
    FINANCE = "finance"  # finance reviewers and admins
    ADMIN = "admin"  # finance admins only


def _t(action: str, label: str, sources: set[Status], target: Status, actors: set[Actor],
       needs_reason: bool = False) -> Step:
    return step(action, label, sources, target, actors, needs_reason)


TRANSITIONS = {
    t.action: t
    for t in (
        _t("submit", "提交", {Status.DRAFT}, Status.SUBMITTED, {Actor.DEPARTMENT}),
        _t("accept", "受理，开始材料审查", {Status.SUBMITTED}, Status.MATERIALS, {Actor.FINANCE}),
        _t("materials_complete", "材料齐全，转部门自评", {Status.MATERIALS}, Status.SELF_ASSESSMENT, {Actor.FINANCE}),
        _t("submit_self", "提交自评，报主管部门审核", {Status.SELF_ASSESSMENT}, Status.AUTHORITY_REVIEW, {Actor.DEPARTMENT}),
        _t("submit_self_direct", "提交自评，报财政局评估", {Status.SELF_ASSESSMENT}, Status.FINANCE_REVIEW,
           {Actor.DEPARTMENT}),
        _t("authority_approve", "审核通过，报财政局评估", {Status.AUTHORITY_REVIEW}, Status.FINANCE_REVIEW,
           {Actor.AUTHORITY}),
        _t("authority_return", "退回部门修改自评", {Status.AUTHORITY_REVIEW}, Status.SELF_ASSESSMENT,
           {Actor.AUTHORITY}, needs_reason=True),
        _t("conclude", "出具评估结论", {Status.FINANCE_REVIEW}, Status.CONCLUDED, {Actor.ADMIN}),
        _t("start_revision", "开始调整完善", {Status.CONCLUDED}, Status.REVISING, {Actor.DEPARTMENT}),
        _t("resubmit", "调整完善后重新提交", {Status.REVISING}, Status.FINANCE_REVIEW, {Actor.DEPARTMENT}),
        # a project the meeting deferred (暂缓) can go before a later meeting
        _t("to_meeting", "提交会议", {Status.CONCLUDED, Status.DECIDED}, Status.MEETING, {Actor.ADMIN}),
        _t("decide", "记录会议决策", {Status.MEETING}, Status.DECIDED, {Actor.ADMIN}),
    )
}

# actions taken on their own pages (they need more than a reason), not from the proposal page's action buttons
# (submit_self_direct is chosen by submit_self when the department has no authority)
OWN_PAGE_ACTIONS = frozenset({"submit", "submit_self_direct", "conclude", "to_meeting", "decide"})


PROPOSAL = Lifecycle("proposal", "项目", Status, STATUS_LABELS, TRANSITIONS.values())

WorkflowError = TransitionError
Transition = Step


def check(action: str, state: Status, actors: set[Actor], reason: str = "") -> Step:
    """Return the transition if `actors` may take `action` in `state`; raise WorkflowError otherwise."""
    return PROPOSAL.check(action, state, actors, reason)


def available(state: Status, actors: set[Actor]) -> list[Step]:
    """Actions these actors may take in this state (before service-level conditions)."""
    return PROPOSAL.available(state, actors)
