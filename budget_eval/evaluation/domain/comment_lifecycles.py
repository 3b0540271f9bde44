"""The lifecycles from a public comment to rectification, each a declared table (state × action × role → next).

反馈确认: the office confirms each comment's routing before the unit sees it (or re-routes or merges it).
整改承诺: a unit's answer (回应) with a rectification target, public or internal; the office verifies it.
跟踪督办: an item the office picks, with a lead unit and supporting units, checked by a date.
Pure code: no Flask, no ORM. Templates ask `actions(state, role)`; they never compare status strings.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from budget_eval.platform.domain.roles import Role

OFFICE, DEPT = Role.EVAL_OFFICE, Role.DEPARTMENT


class LifecycleError(ValueError):
    """An action that this state does not allow for this role; the message is Chinese."""


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


@dataclass(frozen=True)
class Lifecycle:
    name: str
    states: type[StrEnum]
    initial: StrEnum
    table: dict[tuple[StrEnum, str, Role], StrEnum]

    def next(self, state: str, action: str, role: Role) -> StrEnum:
        found = self.table.get((self.states(state), action, role))
        if found is None:
            raise LifecycleError(f"{self.name}：当前状态“{label(state)}”下不能{ACTION_LABELS.get(action, action)}")
        return found

    def actions(self, state: str, role: Role) -> list[str]:
        current = self.states(state)
        return [a for (s, a, r) in self.table if s is current and r is role]


def label(state: str) -> str:
    for enum in (Feedback, Commitment, Supervision):
        if state in enum._value2member_map_:
            return LABELS[enum(state)]
    return state


FEEDBACK = Lifecycle("反馈确认", Feedback, Feedback.PENDING, {
    (Feedback.PENDING, "confirm", OFFICE): Feedback.CONFIRMED,
    (Feedback.PENDING, "reroute", OFFICE): Feedback.CONFIRMED,
    (Feedback.PENDING, "merge", OFFICE): Feedback.MERGED,
    (Feedback.CONFIRMED, "reopen", OFFICE): Feedback.PENDING,
})
COMMITMENT = Lifecycle("整改承诺", Commitment, Commitment.COMMITTED, {
    (Commitment.COMMITTED, "report_done", DEPT): Commitment.DONE,
    (Commitment.DONE, "verify", OFFICE): Commitment.VERIFIED,
    (Commitment.DONE, "return", OFFICE): Commitment.COMMITTED,
})
SUPERVISION = Lifecycle("跟踪督办", Supervision, Supervision.TRACKING, {
    (Supervision.TRACKING, "check", OFFICE): Supervision.CHECKED,
})
OPEN_STATES = {Commitment.COMMITTED, Supervision.TRACKING}


def overdue(state: str, due: date | None, today: date) -> bool:
    """Past its deadline (or check date) and not yet done: flagged to the office and to the unit."""
    return due is not None and due < today and state in OPEN_STATES
