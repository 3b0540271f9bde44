"""Assessment's steps of the proposal lifecycle: each step's conditions and effects, registered with intake's
step registry (intake.actions) by register(), which assessment's init_app calls. The lifecycle writer, history and
versions are intake.actions'."""
from __future__ import annotations

from budget_eval.intake.domain.screening import Outcome
from budget_eval.intake.domain.workflow import WorkflowError
from budget_eval.platform.lifecycle import apply
from budget_eval.assessment.domain.states import AUTHORITY, DEPARTMENT, MaterialStatus, SELF_ASSESSMENT
from budget_eval.assessment.models import MaterialItem, SelfAssessment
from budget_eval.intake.models import Proposal
from budget_eval.intake import actions
from budget_eval.intake.actions import transition
from budget_eval.platform.models.user import User
from budget_eval.platform.models.types import utcnow
from budget_eval.assessment import panels as assessment, route_steps, self_assessment
from budget_eval.assessment.rules import materials_checklist


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
    if proposal.assessor_kind is None:
        raise WorkflowError("请先在材料审查页确定评估主体（部门自行评估、委托第三方评估机构或财政局组织评估）")
    transition(proposal, "materials_complete", user, reason=reason)
    self_assessment.start(proposal)
    return "材料审查完成，已通知部门开展自评。"


def _has_authority(proposal: Proposal) -> bool:
    return proposal.department.authority_id is not None


def _submit_self(proposal: Proposal, user: User, reason: str) -> str:
    """Submit the self-assessment: a subordinate unit's to its parent unit, a bureau with none to finance."""
    record = proposal.self_assessment
    problems = self_assessment.problems(record) if record else ["尚未开始自评"]
    if problems:
        raise WorkflowError("自评尚未完成：" + "；".join(problems))
    direct = not _has_authority(proposal)
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


def _revisable(proposal: Proposal) -> bool:
    current = proposal.current_assessment
    return current is not None and current.conclusion in assessment.rules_of(current).scoring.revision_conclusions


def _start_revision(proposal: Proposal, user: User, reason: str) -> str:
    if not _revisable(proposal):
        raise WorkflowError("只有结论为调整完善的项目才能调整完善")
    transition(proposal, "start_revision", user, reason=reason)
    return "请按评估意见修改申报内容，再在“调整完善说明”页逐条回应评估意见、填写修改说明后提交。"


def register() -> None:
    """Add assessment's steps to the proposal page's registry (intake.actions)."""
    actions.register("accept", _accept, offered=_needs_assessment)
    actions.register("materials_complete", _materials_complete)
    # one handler; the page offers the step whose label tells the truth about where the self-assessment goes
    actions.register("submit_self", _submit_self, offered=_has_authority)
    actions.register("submit_self_direct", _submit_self, offered=lambda proposal: not _has_authority(proposal))
    actions.register("authority_approve", _authority_approve)
    actions.register("authority_return", _authority_return)
    actions.register("start_revision", _start_revision, offered=_revisable)
    route_steps.register()
