"""Records of the route that are not state changes by themselves: the assessor of record (art. 2), chosen by
finance at the materials check, and the department's answer to an adjustment (调整完善后予以支持), which
submits it (the proposal's `resubmit` step, through intake's lifecycle writer)."""
from __future__ import annotations

from sqlalchemy import select

from budget_eval.assessment.documents.narrative import items
from budget_eval.assessment.models import Assessment
from budget_eval.assessment.route_models import AdjustmentResponse
from budget_eval.intake.actions import add_version, record_event, transition
from budget_eval.intake.domain.assessor import assessor_problems, AssessorKind
from budget_eval.intake.domain.intake import record_changes, submission_problems
from budget_eval.intake.domain.workflow import Status, WorkflowError
from budget_eval.intake.models import Proposal
from budget_eval.intake.operations import record_screening, snapshot, to_draft
from budget_eval.intake.rules import counted_sources, intake_rules, screening_rules
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.platform.lifecycle import lock
from budget_eval.platform.models.user import User

# the assessor may be chosen or changed until the self-assessment begins
ASSESSOR_STATES = frozenset({Status.SUBMITTED, Status.MATERIALS})
POINT_LIMIT, EXPLANATION_LIMIT = 2000, 5000


def agency_staff() -> list[User]:
    return list(db.session.scalars(select(User).where(User.role == Role.THIRD_PARTY.value, User.active.is_(True))
                                   .order_by(User.organisation, User.display_name)))


def designate(proposal: Proposal, kind: str, agency: str, contract: str, staff_ids: list[int],
              user: User) -> list[tuple[str, str]]:
    """Record the assessor of record (commits); returns the problems that stopped it."""
    lock(proposal)
    if proposal.state not in ASSESSOR_STATES:
        raise WorkflowError("评估主体应在受理和材料审查阶段确定，项目已进入自评或评估")
    known = {u.id: u for u in agency_staff()}
    staff = [i for i in dict.fromkeys(staff_ids) if i in known] if kind == AssessorKind.THIRD_PARTY else []
    problems = assessor_problems(kind, agency, contract, staff)
    if problems:
        return problems
    third = kind == AssessorKind.THIRD_PARTY
    unchanged = (proposal.assessor_kind, proposal.assessor_agency, proposal.assessor_contract,
                 list(proposal.assessor_staff or [])) == (kind, agency.strip() if third else "",
                                                         contract.strip() if third else "", staff)
    if unchanged:  # the same designation again (a double click): nothing to record
        return []
    proposal.assessor_kind = kind
    proposal.assessor_agency = agency.strip() if third else ""
    proposal.assessor_contract = contract.strip() if third else ""
    proposal.assessor_staff = staff
    detail = f"：{proposal.assessor_agency}（合同{proposal.assessor_contract}；人员：" \
             f"{'、'.join(known[i].display_name for i in staff)}）" if third else ""
    record_event(proposal, user, "确定评估主体", note=AssessorKind(kind).label + detail)
    db.session.commit()
    return []


def answered_round(proposal: Proposal) -> Assessment | None:
    """The concluded round whose opinions the department answers."""
    concluded = [a for a in proposal.assessments if a.is_concluded]
    return concluded[-1] if concluded else None


def opinions(round_: Assessment) -> list[str]:
    """The round's opinions to answer, one point each: its problems and suggestions, else the opinion itself."""
    return items(round_.problems) + items(round_.suggestions) or items(round_.opinion)


def changes_since(proposal: Proposal, round_: Assessment) -> list[str]:
    """Labels of the fields changed against the version the round assessed."""
    return [label for label, _, _ in record_changes(round_.version.snapshot, snapshot(proposal))]


def respond(proposal: Proposal, answers: list[tuple[str, str]], explanation: str,
            user: User) -> dict[str, str]:
    """Store the point-by-point answer and submit the adjustment (commits); returns problems by field."""
    lock(proposal)
    if proposal.state is not Status.REVISING:
        raise WorkflowError(f"项目处于“{proposal.state_label}”阶段，不能提交调整完善情况")
    round_ = answered_round(proposal)
    if round_ is None:
        raise WorkflowError("没有可回应的评估意见")
    points = opinions(round_)
    problems: dict[str, str] = {}
    for n, _ in enumerate(points):
        change, where = answers[n] if n < len(answers) else ("", "")
        if not change.strip():
            problems[f"change-{n}"] = "请说明针对该意见作了哪些修改"
        if not where.strip():
            problems[f"where-{n}"] = "请注明修改所在位置（如：实施方案第二部分、绩效目标表）"
    if not explanation.strip():
        problems["explanation"] = "请填写修改说明"
    changed = changes_since(proposal, round_)
    if not changed:
        problems["explanation"] = problems.get("explanation") or \
            "申报内容与评估时的版本相同，未作任何修改，不能提交；请先修改申报内容"
    draft_problems = submission_problems(to_draft(proposal), intake_rules(), counted_sources(screening_rules()))
    if draft_problems:
        problems["proposal"] = "申报内容不完整：" + "；".join(message for _, message in draft_problems)
    if problems:
        return problems
    proposal.adjustment_responses.append(AdjustmentResponse(
        assessment_id=round_.id, explanation=explanation.strip()[:EXPLANATION_LIMIT], changed=changed,
        points=[{"opinion": text, "change": answers[n][0].strip()[:POINT_LIMIT],
                 "where": answers[n][1].strip()[:POINT_LIMIT]} for n, text in enumerate(points)],
        submitted_by_id=user.id))
    before = proposal.latest_screening
    screened = record_screening(proposal, to_draft(proposal), user, screening_rules())  # of the revised version
    again = "" if before is None or before.fiscal_total_wan == proposal.latest_screening.fiscal_total_wan else \
        f"；按修改后金额重新判定：{screened.outcome.label}"
    transition(proposal, "resubmit", user, note="修改：" + "、".join(changed) + again)
    add_version(proposal, user, snapshot(proposal))
    db.session.commit()
    return {}
