"""The materials check (材料审查): each item's state as finance staff record it, and admin waivers."""
from __future__ import annotations

from budget_eval.assessment.domain.states import FINANCE, MATERIAL, MaterialStatus
from budget_eval.assessment.models import MaterialItem
from budget_eval.intake.domain.workflow import Status, WorkflowError
from budget_eval.intake.models import Proposal
from budget_eval.intake.actions import record_event
from budget_eval.platform.extensions import db
from budget_eval.platform.lifecycle import apply, lock
from budget_eval.platform.models.types import utcnow
from budget_eval.platform.models.user import User

NOTE_LIMIT = 2000


def record_check(proposal: Proposal, changes: dict[int, tuple[str, str]], user: User) -> int:
    """Store each item's state and note (item id → (state, note)); returns how many items changed (commits)."""
    lock(proposal)
    if proposal.status != Status.MATERIALS:
        raise WorkflowError("项目已不在材料审查阶段")
    changed = 0
    for item in proposal.materials:
        if item.id not in changes:
            continue
        state, note = changes[item.id]
        note = note[:NOTE_LIMIT]
        if state not in set(MaterialStatus) or (state, note) == (item.status, item.note):
            continue
        if state != item.status:
            apply(item, MATERIAL, f"mark_{state}", user, {FINANCE}, note=item.label, subject=proposal.name)
        item.note, item.updated_by_id, item.updated_at = note, user.id, utcnow()
        changed += 1
    db.session.commit()
    return changed


def waive(proposal: Proposal, item: MaterialItem, reason: str, user: User) -> None:
    """An admin waives a required item with a written reason (commits)."""
    if not reason.strip():
        raise WorkflowError("豁免材料须填写书面理由。")
    lock(item)
    if item.waived:
        raise WorkflowError(f"“{item.label}”已豁免")
    item.waived, item.waive_reason, item.updated_by_id, item.updated_at = True, reason.strip(), user.id, utcnow()
    record_event(proposal, user, "豁免材料", note=f"{item.label}：{reason.strip()}")
    db.session.commit()
