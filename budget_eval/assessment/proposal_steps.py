"""Assessment's steps of the proposal lifecycle: each step's conditions and effects, registered with intake's
step registry (intake.actions) by register(), which assessment's init_app calls. The lifecycle writer, history and
versions are intake.actions'."""
from __future__ import annotations

from budget_eval.intake.domain.intake import submission_problems
from budget_eval.intake.domain.screening import Outcome
from budget_eval.intake.domain.workflow import WorkflowError
from budget_eval.platform.lifecycle import apply
from budget_eval.assessment.domain.states import AUTHORITY, DEPARTMENT, MaterialStatus, SELF_ASSESSMENT
from budget_eval.assessment.models import MaterialItem, SelfAssessment
from budget_eval.intake.models import Proposal
from budget_eval.intake.operations import snapshot, to_draft
from budget_eval.intake import actions
from budget_eval.intake.actions import add_version, transition
from budget_eval.platform.models.user import User
from budget_eval.platform.models.types import utcnow
from budget_eval.assessment import panels as assessment, self_assessment
from budget_eval.assessment.rules import materials_checklist
from budget_eval.intake.rules import counted_sources, intake_rules, screening_rules


def _needs_assessment(proposal: Proposal) -> bool:
    """Only an item the screening found in scope (art. 5) is accepted for assessment."""
    return proposal.screening_outcome == Outcome.REQUIRED


def _accept(proposal: Proposal, user: User, reason: str) -> str:
    if not _needs_assessment(proposal):
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
    problems = submission_problems(to_draft(proposal), intake_rules(), counted_sources(screening_rules()))
    if problems:
        raise WorkflowError("申报内容不完整：" + "；".join(message for _, message in problems))
    transition(proposal, "resubmit", user, reason=reason)
    add_version(proposal, user, snapshot(proposal))
    assessment.open_round(proposal, user)
    return "已重新提交，评审组将对新版本重新评分。"


def register() -> None:
    """Add assessment's steps to the proposal page's registry (intake.actions)."""
    actions.register("accept", _accept, offered=_needs_assessment)
    actions.register("materials_complete", _materials_complete)
    actions.register("submit_self", _submit_self)
    actions.register("authority_approve", _authority_approve)
    actions.register("authority_return", _authority_return)
    actions.register("start_revision", _start_revision)
    actions.register("resubmit", _resubmit)
