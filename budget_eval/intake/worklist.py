"""The proposals waiting for a user on the 工作台 (platform/worklist.py): the proposal workflow's next steps.

A proposal waits for a user when the state table (intake/domain/workflow.py) offers a step from its state to one of
the capacities in which the user stands towards it (intake.actions.actors_for), among the proposals the user may
open (the proposal list's query, then the one visibility policy). The report's review waits only for a reviewer
still to record it in this cycle (intake/report_reviews.py). Steps of other features (the panel's conclusion, the
meeting) are theirs to list. Three queries, whatever the number of proposals.
"""
from __future__ import annotations

from flask import url_for
from sqlalchemy.orm import joinedload, selectinload

from budget_eval.intake import report_reviews
from budget_eval.intake.actions import actors_for
from budget_eval.intake.domain.visibility import can_view_proposal
from budget_eval.intake.domain.workflow import Actor, available, Status
from budget_eval.intake.listing import ListFilters, proposal_query
from budget_eval.intake.models import Proposal
from budget_eval.platform.domain.roles import FINANCE_ROLES, Role
from budget_eval.platform.extensions import db
from budget_eval.platform.worklist import Entry

# state → the heading it is listed under, in the page's order
HEADINGS = {
    Status.DRAFT: "草稿待提交",
    Status.CORRECTING: "退回补正",
    Status.REVISING: "调整完善待回应",
    Status.SELF_ASSESSMENT: "待自评",
    Status.CONCLUDED: "已出结论待办理",
    Status.SUBMITTED: "待受理",
    Status.MATERIALS: "待材料审查",
    Status.AUTHORITY_REVIEW: "待审核（主管部门审核自评）",
    Status.REPORT_REVIEW: "待审核评估报告",
    Status.ADJUSTED: "调整待确认",
    Status.REVIEWED: "待上会",
}
ORDER = {status: n for n, status in enumerate(HEADINGS)}
LISTING_ROLES = frozenset({Role.DEPARTMENT, Role.THIRD_PARTY, *FINANCE_ROLES})
REVIEW_ACTOR = {"sector": Actor.SECTOR, "finance": Actor.FINANCE}


def _waits(proposal: Proposal, actors: set[Actor]) -> bool:
    state = Status(proposal.status)
    if state is Status.REPORT_REVIEW:
        return any(REVIEW_ACTOR[r] in actors for r in report_reviews.pending(proposal))
    return bool(available(state, actors))


def proposals_waiting(user) -> list[Entry]:
    if user.role_enum not in LISTING_ROLES:
        return []
    assessments = getattr(Proposal, "assessments")
    members = getattr(assessments.property.mapper.class_, "members")  # the assessment feature's, not imported
    query = proposal_query(ListFilters.from_args({}, user)).where(
        Proposal.status.in_([s.value for s in HEADINGS])).options(
        joinedload(Proposal.department), selectinload(getattr(Proposal, "report_reviews")),
        selectinload(assessments).selectinload(members))
    found = []
    for proposal in db.session.scalars(query).unique():
        if not can_view_proposal(user, proposal) or not _waits(proposal, actors_for(user, proposal)):
            continue
        state = Status(proposal.status)
        found.append(Entry(HEADINGS[state], proposal.name, url_for("proposals.detail", proposal_id=proposal.id),
                           stage=state.label, detail=proposal.department.name, order=10 + ORDER[state]))
    return found
