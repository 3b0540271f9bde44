"""The assessment feature's lifecycles: rounds, score sheets, materials items and the self-assessment."""
from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from budget_eval.platform.domain.lifecycle import Lifecycle, step

# capacities (who acts) in these tables
FINANCE, ADMIN, REVIEWER, DEPARTMENT, AUTHORITY = "finance", "admin", "reviewer", "department", "authority"


class RoundStatus(StrEnum):
    OPEN = "open"
    CONCLUDED = "concluded"


ROUND = Lifecycle("assessment_round", "评估轮次", RoundStatus,
                  {RoundStatus.OPEN: "评估中", RoundStatus.CONCLUDED: "已出结论"},
                  [step("conclude", "出具评估结论", {RoundStatus.OPEN}, RoundStatus.CONCLUDED, {ADMIN})])


class SheetStatus(StrEnum):
    ASSIGNED = "assigned"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    SUBMITTED = "submitted"
    REPLACED = "replaced"  # an admin replaced this reviewer before they submitted (with a reason)


SHEET = Lifecycle("score_sheet", "评分表", SheetStatus, {
    SheetStatus.ASSIGNED: "待签署承诺", SheetStatus.ACCEPTED: "评分中", SheetStatus.DECLINED: "已回避",
    SheetStatus.SUBMITTED: "已提交", SheetStatus.REPLACED: "已更换"}, [
    # signing the 回避与保密承诺 (rules/experts.yaml): only then do the materials open
    step("declare", "签署回避与保密承诺", {SheetStatus.ASSIGNED}, SheetStatus.ACCEPTED, {REVIEWER}),
    step("decline", "回避", {SheetStatus.ASSIGNED, SheetStatus.ACCEPTED}, SheetStatus.DECLINED, {REVIEWER},
         needs_reason=True),
    step("submit", "提交评分", {SheetStatus.ACCEPTED}, SheetStatus.SUBMITTED, {REVIEWER}),
    step("reopen", "重新打开评分", {SheetStatus.SUBMITTED}, SheetStatus.ACCEPTED, {ADMIN}, needs_reason=True),
    step("replace", "更换评审人", {SheetStatus.ASSIGNED, SheetStatus.ACCEPTED}, SheetStatus.REPLACED, {ADMIN},
         needs_reason=True),
], audit_kind="score")
# reviewers who signed the 回避与保密承诺 (they may see the materials)
CLEARED = frozenset({SheetStatus.ACCEPTED, SheetStatus.SUBMITTED})
WAITING = frozenset({SheetStatus.ASSIGNED, SheetStatus.ACCEPTED})
# no longer on the panel: they do not re-score a later round and do not count towards an expert's yearly load
OFF_PANEL = frozenset({SheetStatus.DECLINED, SheetStatus.REPLACED})


def seat_counts(by_status: Mapping[str, int]) -> dict[str, int]:
    """A round's seats by state (stored on the round: the 工作台 finds rounds with nobody seated, or with every sheet
    in, without reading the seats): from how many seats are in each stored state."""
    counts = {SheetStatus(status): n for status, n in by_status.items()}
    return {"seats_seated": sum(n for s, n in counts.items() if s not in OFF_PANEL),
            "seats_waiting": sum(n for s, n in counts.items() if s in WAITING),
            "seats_submitted": counts.get(SheetStatus.SUBMITTED, 0)}


class MaterialStatus(StrEnum):
    PENDING = "pending"
    RECEIVED = "received"
    MISSING = "missing"
    INVALID = "invalid"


MATERIAL_LABELS = {MaterialStatus.PENDING: "待审查", MaterialStatus.RECEIVED: "已收",
                   MaterialStatus.MISSING: "缺失", MaterialStatus.INVALID: "不合格"}
MATERIAL = Lifecycle("material_item", "申报材料", MaterialStatus, MATERIAL_LABELS, [
    step(f"mark_{target.value}", f"标记为{MATERIAL_LABELS[target]}", set(MaterialStatus) - {target}, target,
         {FINANCE})
    for target in MaterialStatus
])


class SelfStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


SELF_ASSESSMENT = Lifecycle("self_assessment", "部门自评", SelfStatus, {
    SelfStatus.DRAFT: "填写中", SelfStatus.SUBMITTED: "已提交", SelfStatus.APPROVED: "审核通过",
    SelfStatus.RETURNED: "退回修改"}, [
    step("submit", "提交自评", {SelfStatus.DRAFT, SelfStatus.RETURNED}, SelfStatus.SUBMITTED, {DEPARTMENT}),
    step("approve", "审核通过", {SelfStatus.SUBMITTED}, SelfStatus.APPROVED, {AUTHORITY}),
    step("return", "退回修改", {SelfStatus.SUBMITTED}, SelfStatus.RETURNED, {AUTHORITY}, needs_reason=True),
])
# a self-assessment the report may quote
SETTLED_SELF = frozenset({SelfStatus.SUBMITTED, SelfStatus.APPROVED})


# the predicates of the 工作台's partial indexes on assessment (assessment/models.py; the worklist's queries say the same)
OPEN_ROUND_SQL = f"status = '{RoundStatus.OPEN.value}'"
UNSEATED = f"{OPEN_ROUND_SQL} AND seats_seated = 0"
SHEETS_IN = f"{OPEN_ROUND_SQL} AND seats_waiting = 0 AND seats_submitted > 0"
