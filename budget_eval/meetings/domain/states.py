"""A meeting item's lifecycles: put before the meeting, then decided 通过, 不通过 or 暂缓; and, once approved,
纳入项目库 (the project enters the budget system's project library)."""
from __future__ import annotations

from enum import StrEnum

from budget_eval.platform.domain.lifecycle import Lifecycle, step


class Decision(StrEnum):
    PENDING = "pending"  # stored as NULL: no decision yet
    APPROVED = "approved"
    REJECTED = "rejected"
    DEFERRED = "deferred"


DECISION_LABELS = {Decision.PENDING: "待决策", Decision.APPROVED: "通过", Decision.REJECTED: "不通过",
                   Decision.DEFERRED: "暂缓"}
MEETING_ITEM = Lifecycle("meeting_item", "会议事项", Decision, DECISION_LABELS, [
    step(target.value, f"会议决策：{DECISION_LABELS[target]}", {Decision.PENDING}, target, {"admin"})
    for target in (Decision.APPROVED, Decision.REJECTED, Decision.DEFERRED)
], column="decision", null_state=Decision.PENDING)


class Library(StrEnum):
    OUTSIDE = "outside"  # stored as NULL: not (yet) in the project library
    INCLUDED = "included"


LIBRARY_LABELS = {Library.OUTSIDE: "未纳入项目库", Library.INCLUDED: "已纳入项目库"}
# Only an approved item may be included: meetings.operations.include checks the decision before this step.
PROJECT_LIBRARY = Lifecycle("project_library", "项目库", Library, LIBRARY_LABELS, [
    step("include", "纳入项目库", {Library.OUTSIDE}, Library.INCLUDED, {"admin"}),
], column="library", null_state=Library.OUTSIDE)
