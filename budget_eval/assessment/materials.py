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


def record_check(proposal: Proposal, changes: dict[int, tuple[str, str, int | None]], user: User) -> int:
    """Store each item's state, note and the attachment it was received as (item id → (state, note, attachment
    id)); returns how many items changed (commits). 已收 needs one of the proposal's files, or an admin's waiver:
    nothing is stored while any row lacks it."""
    lock(proposal)
    if proposal.status != Status.MATERIALS:
        raise WorkflowError("项目已不在材料审查阶段")
    files = {a.id for a in proposal.attachments}
    problems = [f"“{item.label}”标记为已收，须选择对应的附件（部门尚未上传的，标记为缺失或由管理员书面豁免）"
                for item in proposal.materials if item.id in changes and not item.waived
                and changes[item.id][0] == MaterialStatus.RECEIVED and changes[item.id][2] not in files]
    if problems:
        raise WorkflowError("材料审查情况未保存：" + "；".join(problems) + "。")
    changed = 0
    for item in proposal.materials:
        if item.id not in changes:
            continue
        state, note, attachment_id = changes[item.id]
        note = note[:NOTE_LIMIT]
        attachment_id = attachment_id if attachment_id in files else None
        if state not in set(MaterialStatus) or (state, note, attachment_id) == (item.status, item.note,
                                                                                 item.attachment_id):
            continue
        if state != item.status:
            apply(item, MATERIAL, f"mark_{state}", user, {FINANCE}, note=item.label, subject=proposal.name)
        item.note, item.attachment_id, item.updated_by_id, item.updated_at = note, attachment_id, user.id, utcnow()
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
