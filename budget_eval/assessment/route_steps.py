"""The report's route after the conclusion (art. 5: "事前绩效评估报告分别报送行业主管部门和市财政部门审核。"
"审核通过后提交市政府常务会议或市长办公会议决策。") and the adjustment that ends: the steps of the proposal page that
send the report for review, record each review (sector authority and finance apart), return it for correction,
and confirm a department's adjustment. Registered with intake's step registry by proposal_steps.register()."""
from __future__ import annotations

from budget_eval.assessment.route_models import AdjustmentResponse
from budget_eval.assessment.panels import open_round, rules_of
from budget_eval.intake import actions
from budget_eval.intake.actions import add_version, transition
from budget_eval.intake.domain.workflow import REVIEW_STEPS, REVIEWER_LABELS, WorkflowError
from budget_eval.intake.models import Proposal, ReportReview
from budget_eval.intake.report_reviews import has_sector_authority, pending, review_cycle
from budget_eval.intake.operations import snapshot
from budget_eval.platform.domain.lifecycle import Conflict
from budget_eval.platform.extensions import db
from budget_eval.platform.models.types import utcnow
from budget_eval.platform.models.user import User


def report_supported(proposal: Proposal) -> bool:
    """The latest conclusion may go on (予以支持) without an adjustment."""
    current = proposal.current_assessment
    return (current is not None and current.is_concluded
            and current.conclusion in rules_of(current).scoring.meeting_conclusions)


def _send(action: str, with_sector: bool):
    def handler(proposal: Proposal, user: User, reason: str) -> str:
        if not report_supported(proposal):
            raise WorkflowError("只有评估结论可提交会议的报告才能报送审核（调整完善的项目请先调整完善）")
        if has_sector_authority(proposal) != with_sector:
            raise WorkflowError("本部门的行业主管部门已变更，请刷新后重新报送")
        transition(proposal, action, user, reason=reason)
        return "评估报告已报送行业主管部门和财政局审核。" if with_sector else "评估报告已报送财政局审核。"

    def offered(proposal: Proposal) -> bool:
        return report_supported(proposal) and has_sector_authority(proposal) == with_sector

    return handler, offered


def _review(action: str):
    reviewer, passes = REVIEW_STEPS[action]

    def handler(proposal: Proposal, user: User, reason: str) -> str:
        if reviewer not in pending(proposal):
            raise Conflict(f"{REVIEWER_LABELS[reviewer]}已审核本轮评估报告")
        cycle = review_cycle(proposal)
        transition(proposal, action, user, reason=reason)
        proposal.report_reviews.append(ReportReview(
            cycle=cycle, reviewer=reviewer, passed=passes, opinion=reason.strip(), user_id=user.id,
            department_id=proposal.department.sector_authority_id if reviewer == "sector" else user.department_id))
        db.session.flush()
        if not passes:
            return "已退回申报部门补正。"
        if not pending(proposal):
            transition(proposal, "reviews_complete", user, note="行业主管部门和财政局均审核通过"
                       if has_sector_authority(proposal) else "财政局审核通过")
            return "审核通过，评估报告可提交会议决策。"
        return "已审核通过，待" + "、".join(REVIEWER_LABELS[r] for r in pending(proposal)) + "审核。"

    def offered(proposal: Proposal) -> bool:
        return reviewer in pending(proposal)

    return handler, offered


def _resend(proposal: Proposal, user: User, reason: str) -> str:
    transition(proposal, "resend_review", user, reason=reason)
    add_version(proposal, user, snapshot(proposal))
    return "已补正并重新报送审核。"


def latest_response(proposal: Proposal) -> AdjustmentResponse | None:
    responses = proposal.adjustment_responses
    return responses[-1] if responses else None


def _decide_adjustment(action: str, outcome: str, message: str):
    def handler(proposal: Proposal, user: User, reason: str) -> str:
        response = latest_response(proposal)
        if response is None or response.outcome:
            raise Conflict()
        transition(proposal, action, user, reason=reason)
        response.outcome, response.outcome_note = outcome, reason.strip()
        response.decided_by_id, response.decided_at = user.id, utcnow()
        if outcome == "new_round":
            open_round(proposal, user)
        return message

    return handler


# built once (the registry refuses a second, different handler for a step when another app is created)
_SENDS = {action: _send(action, with_sector) for action, with_sector in (("send_review", True),
                                                                          ("send_review_finance", False))}
_REVIEWS = {action: _review(action) for action in REVIEW_STEPS}
_ADJUSTMENT = {
    "confirm_adjustment": _decide_adjustment("confirm_adjustment", "confirmed", "已确认调整到位，评估报告转入审核。"),
    "return_adjustment": _decide_adjustment("return_adjustment", "returned", "已退回部门继续调整。"),
    "adjustment_new_round": _decide_adjustment("adjustment_new_round", "new_round",
                                               "已开始新一轮评审，评审组将对调整后的版本重新评分。"),
}


def register() -> None:
    for action, (handler, offered) in {**_SENDS, **_REVIEWS}.items():
        actions.register(action, handler, offered=offered)
    actions.register("resend_review", _resend)
    for action, handler in _ADJUSTMENT.items():
        actions.register(action, handler)
