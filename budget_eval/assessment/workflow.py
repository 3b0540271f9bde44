"""Workflow actions on a proposal: the state machine's check, each action's conditions and effects, history."""
from __future__ import annotations

from budget_eval.intake.domain.intake import submission_problems
from budget_eval.platform.domain.roles import FINANCE_ROLES, Role
from budget_eval.intake.domain.screening import Outcome
from budget_eval.intake.domain.workflow import Actor, PROPOSAL, Status, Transition, WorkflowError
from budget_eval.platform.lifecycle import apply, lock
from budget_eval.assessment.domain.states import AUTHORITY, DEPARTMENT, MaterialStatus, SELF_ASSESSMENT
from budget_eval.platform.extensions import db
from budget_eval.assessment.models import MaterialItem, ProposalVersion, SelfAssessment
from budget_eval.intake.models import Proposal, ProposalEvent
from budget_eval.platform.models.user import User
from budget_eval.platform.models.types import utcnow
from budget_eval.assessment import panels as assessment, self_assessment
from budget_eval.platform.audit import audit
from budget_eval.platform.rules import counted_sources, intake_rules, materials_checklist, screening_rules


def actors_for(user: User, proposal: Proposal) -> set[Actor]:
    """The capacities in which this user stands towards this proposal."""
    actors = set()
    role = user.role_enum
    if role is Role.DEPARTMENT and user.department_id is not None:
        if user.department_id == proposal.department_id:
            actors.add(Actor.DEPARTMENT)
        if proposal.department.authority_id == user.department_id:
            actors.add(Actor.AUTHORITY)
    if role in FINANCE_ROLES:
        actors.add(Actor.FINANCE)
    if role is Role.ADMIN:
        actors.add(Actor.ADMIN)
    return actors


def transition(proposal: Proposal, action: str, user: User, *, reason: str = "", note: str = "") -> Transition:
    """Move the proposal if its lifecycle allows it now (row locked), with history and audit (not committed)."""

    def history(step, before, text):
        proposal.events.append(ProposalEvent(user_id=user.id, action=step.label, from_status=before.value,
                                             to_status=step.target.value, note=text))

    return apply(proposal, PROPOSAL, action, user, actors_for(user, proposal), reason=reason, note=note,
                 subject=proposal.name, history=history)


def record_event(proposal: Proposal, user: User, action: str, *, from_status=None, to_status=None, note="") -> None:
    proposal.events.append(
        ProposalEvent(user_id=user.id, action=action, from_status=from_status, to_status=to_status, note=note)
    )
    change = f"（{Status(from_status).label if from_status else ''}→{Status(to_status).label}）" if to_status else ""
    audit("state", proposal.name, f"{PROPOSAL.noun}：{action}{change}{'：' + note if note else ''}", user)


def add_version(proposal: Proposal, user: User, snapshot: dict) -> ProposalVersion:
    version = ProposalVersion(number=len(proposal.versions) + 1, snapshot=snapshot, created_by_id=user.id)
    proposal.versions.append(version)
    return version


def perform(proposal: Proposal, action: str, user: User, reason: str = "") -> str:
    """Carry out a workflow action from the proposal page; returns the message to show. Commits."""
    handler = _HANDLERS.get(action)
    if handler is None:
        raise WorkflowError("该操作不能在此执行")
    lock(proposal)
    message = handler(proposal, user, reason)
    db.session.commit()
    return message


def _accept(proposal: Proposal, user: User, reason: str) -> str:
    if proposal.screening_outcome != Outcome.REQUIRED:
        raise WorkflowError("该项目经筛查不需要开展事前绩效评估，无需受理")
    transition(proposal, "accept", user, reason=reason)
    for position, spec in enumerate(materials_checklist(proposal.category)):
        proposal.materials.append(MaterialItem(position=position, code=spec.code, label=spec.label,
                                               required=spec.required))
    return "已受理，请逐项审查申报材料。"


def _materials_complete(proposal: Proposal, user: User, reason: str) -> str:
    missing = [m.label for m in proposal.materials if m.required and not (m.status == MaterialStatus.RECEIVED or m.waived)]
    if missing:
        raise WorkflowError("以下必备材料尚未收齐（或经管理员豁免）：" + "、".join(missing))
    transition(proposal, "materials_complete", user, reason=reason)
    self_assessment.start(proposal)
    return "材料审查完成，已通知部门开展自评。"


def _submit_self(proposal: Proposal, user: User, reason: str) -> str:
    record = proposal.self_assessment
    problems = self_assessment.problems(record) if record else ["尚未开始自评"]
    if problems:
        raise WorkflowError("自评尚未完成：" + "；".join(problems))
    direct = proposal.department.authority_id is None  # a bureau with no authority above it goes to finance
    transition(proposal, "submit_self_direct" if direct else "submit_self", user, reason=reason)
    self_step(record, "submit", user, {DEPARTMENT}, proposal)
    record.submitted_at = utcnow()
    if direct:
        assessment.open_round(proposal, user)
        return "自评已提交财政局评估。"
    return "自评已提交主管部门审核。"


def _authority_approve(proposal: Proposal, user: User, reason: str) -> str:
    transition(proposal, "authority_approve", user, reason=reason)
    _review_self(proposal, user, "approve", reason)
    assessment.open_round(proposal, user)
    return "已审核通过，报财政局评估。"


def _authority_return(proposal: Proposal, user: User, reason: str) -> str:
    transition(proposal, "authority_return", user, reason=reason)
    _review_self(proposal, user, "return", reason)
    return "已退回部门修改自评。"


def _review_self(proposal: Proposal, user: User, action: str, note: str) -> None:
    record = proposal.self_assessment
    self_step(record, action, user, {AUTHORITY}, proposal, reason=note)
    record.reviewed_by_id, record.reviewed_at, record.review_note = user.id, utcnow(), note


def self_step(record: SelfAssessment, action: str, user: User, actors: set[str], proposal: Proposal, *,
              reason: str = "") -> None:
    apply(record, SELF_ASSESSMENT, action, user, actors, reason=reason, subject=proposal.name)


def _start_revision(proposal: Proposal, user: User, reason: str) -> str:
    current = proposal.current_assessment
    if current is None or current.conclusion not in assessment.rules_of(current).scoring.revision_conclusions:
        raise WorkflowError("只有结论为调整完善的项目才能调整完善")
    transition(proposal, "start_revision", user, reason=reason)
    return "请修改申报内容，完成后重新提交评估。"


def _resubmit(proposal: Proposal, user: User, reason: str) -> str:
    from budget_eval.intake.operations import snapshot, to_draft

    problems = submission_problems(to_draft(proposal), intake_rules(), counted_sources(screening_rules()))
    if problems:
        raise WorkflowError("申报内容不完整：" + "；".join(message for _, message in problems))
    transition(proposal, "resubmit", user, reason=reason)
    add_version(proposal, user, snapshot(proposal))
    assessment.open_round(proposal, user)
    return "已重新提交，评审组将对新版本重新评分。"


_HANDLERS = {
    "accept": _accept,
    "materials_complete": _materials_complete,
    "submit_self": _submit_self,
    "authority_approve": _authority_approve,
    "authority_return": _authority_return,
    "start_revision": _start_revision,
    "resubmit": _resubmit,
}

# actions taken on their own pages (they need more than a reason), not from the generic action buttons
# (submit_self_direct is chosen by submit_self when the department has no authority)
OWN_PAGE_ACTIONS = {"submit", "submit_self_direct", "conclude", "to_meeting", "decide"}
