"""The lifecycles from a public comment to rectification, each a declared table (state × action × role → next).

反馈确认: the office confirms each comment's routing before the unit sees it (or re-routes or merges it).
整改承诺: a unit's answer (回应) with a rectification target, public or internal; the office verifies it.
跟踪督办: an item the office picks, with a lead unit and supporting units, checked by a date.
Pure code: no Flask, no ORM. Templates ask `actions(state, role)`; they never compare status strings.
"""
from __future__ import annotations

from datetime import date
from enum import StrEnum

from budget_eval.platform.domain.lifecycle import Lifecycle, TransitionError, step
from budget_eval.platform.domain.roles import Role

OFFICE, DEPT = Role.EVAL_OFFICE.value, Role.DEPARTMENT.value
LifecycleError = TransitionError  # the name the views catch


class Feedback(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    MERGED = "merged"


class Commitment(StrEnum):
    COMMITTED = "committed"
    DONE = "done"
    VERIFIED = "verified"


class Supervision(StrEnum):
    TRACKING = "tracking"
    CHECKED = "checked"


LABELS = {
    Feedback.PENDING: "待确认", Feedback.CONFIRMED: "已确认", Feedback.MERGED: "已合并",
    Commitment.COMMITTED: "整改中", Commitment.DONE: "已报完成", Commitment.VERIFIED: "已核实",
    Supervision.TRACKING: "督办中", Supervision.CHECKED: "已检查",
}
ACTION_LABELS = {
    "confirm": "确认", "reroute": "改派并确认", "merge": "合并", "reopen": "撤回确认",
    "report_done": "报告完成", "verify": "核实完成", "return": "退回整改",
    "check": "检查并记录结果",
}


def label(state: str) -> str:
    for enum in (Feedback, Commitment, Supervision):
        if state in enum._value2member_map_:
            return LABELS[enum(state)]
    return state


FEEDBACK = Lifecycle("feedback", "公众意见", Feedback, {k: v for k, v in LABELS.items() if k in Feedback}, [
    step("confirm", ACTION_LABELS["confirm"], [Feedback.PENDING], Feedback.CONFIRMED, [OFFICE]),
    step("reroute", ACTION_LABELS["reroute"], [Feedback.PENDING], Feedback.CONFIRMED, [OFFICE]),
    step("merge", ACTION_LABELS["merge"], [Feedback.PENDING], Feedback.MERGED, [OFFICE]),
    step("reopen", ACTION_LABELS["reopen"], [Feedback.CONFIRMED], Feedback.PENDING, [OFFICE]),
], column="feedback_status", audit_kind="feedback")
COMMITMENT = Lifecycle("commitment", "整改承诺", Commitment, {k: v for k, v in LABELS.items() if k in Commitment}, [
    step("report_done", ACTION_LABELS["report_done"], [Commitment.COMMITTED], Commitment.DONE, [DEPT]),
    step("verify", ACTION_LABELS["verify"], [Commitment.DONE], Commitment.VERIFIED, [OFFICE]),
    step("return", ACTION_LABELS["return"], [Commitment.DONE], Commitment.COMMITTED, [OFFICE]),
], audit_kind="commitment")
SUPERVISION = Lifecycle("supervision", "督办事项", Supervision, {k: v for k, v in LABELS.items() if k in Supervision}, [
    step("check", ACTION_LABELS["check"], [Supervision.TRACKING], Supervision.CHECKED, [OFFICE]),
], audit_kind="supervision")
OPEN_STATES = {Commitment.COMMITTED, Supervision.TRACKING}


def overdue(state: str, due: date | None, today: date) -> bool:
    """Past its deadline (or check date) and not yet done: flagged to the office and to the unit."""
    return due is not None and due < today and state in OPEN_STATES
