"""The proposals waiting for a user on the 工作台 (platform/worklist.py): the proposal workflow's next steps.

A proposal waits for a user when the proposal page offers them a step now (intake.actions.offered: the state
table's steps for the capacities in which the user stands towards it, each as its feature offers it — e.g. the
report's review only to a reviewer still to record it in this cycle), among the proposals the user may open (the
proposal list's query, then the one visibility policy). Steps of other features (the panel's conclusion, the
meeting) are theirs to list. Three queries, whatever the number of proposals.
"""
from __future__ import annotations

from flask import url_for
from sqlalchemy import select, union_all
from sqlalchemy.orm import joinedload, selectinload

from budget_eval.intake.actions import actors_for, offered
from budget_eval.intake.domain.visibility import can_view_proposal
from budget_eval.intake.domain.workflow import available, OWN_PAGE_ACTIONS, Status
from budget_eval.intake.listing import ListFilters, proposal_query
from budget_eval.intake.models import Proposal
from budget_eval.platform.domain.roles import FINANCE_ROLES, Role
from budget_eval.platform.extensions import db
from budget_eval.platform.domain.calendar import BEIJING
from budget_eval.platform.worklist import Entry, shown

# state → the heading it is listed under, in the page's order
HEADINGS = {
    Status.DRAFT: "草稿待提交",
    Status.RETURNED: "申报退回待补正",
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
# steps taken on their own page (workflow.OWN_PAGE_ACTIONS): submitting and resubmitting (the edit form), putting
# on a meeting; the conclusion and the decision are assessment's and meetings' to list, reviews_complete internal
ELSEWHERE = OWN_PAGE_ACTIONS - {"conclude", "decide", "reviews_complete"}
ORDER = {status: n for n, status in enumerate(HEADINGS)}
LISTING_ROLES = frozenset({Role.DEPARTMENT, Role.THIRD_PARTY, *FINANCE_ROLES})

def _waits(proposal: Proposal, user) -> bool:
    """A step the proposal page offers the user now, or one the table gives them that is taken on another page."""
    actors = actors_for(user, proposal)
    elsewhere = [t for t in available(Status(proposal.status), actors) if t.action in ELSEWHERE]
    return bool(elsewhere or offered(proposal, actors))


def proposals_waiting(user) -> list[Entry]:
    if user.role_enum not in LISTING_ROLES:
        return []
    assessments = getattr(Proposal, "assessments")
    members = getattr(assessments.property.mapper.class_, "members")  # the assessment feature's, not imported
    # at most shown() + 1 of each state, the most recently changed, each found through the index on (status,
    # updated_at, id): the page never reads every proposal. A state whose first ones are not waiting for this user
    # may then list fewer than there are
    visible = proposal_query(ListFilters.from_args({}, user))
    firsts = [visible.with_only_columns(Proposal.id).where(Proposal.status == state.value).limit(shown() + 1)
              .subquery() for state in HEADINGS]
    ids = db.session.scalars(union_all(*(select(first.c.id) for first in firsts))).all()
    query = select(Proposal).where(Proposal.id.in_(ids)).options(
        joinedload(Proposal.department), selectinload(getattr(Proposal, "report_reviews")), selectinload(Proposal.events),
        selectinload(assessments).selectinload(members))
    found = []
    for proposal in db.session.scalars(query).unique():
        if not can_view_proposal(user, proposal) or not _waits(proposal, user):
            continue
        state = Status(proposal.status)
        # no rule sets a deadline for a proposal's steps (rules/ is silent): none is invented, the page says so and
        # how long it has waited since it entered this state (its last recorded step)
        entered = max((e.at for e in proposal.events if e.to_status == proposal.status), default=None)
        found.append(Entry(HEADINGS[state], proposal.name, url_for("proposals.detail", proposal_id=proposal.id),
                           stage=state.label, detail=proposal.department.name, order=10 + ORDER[state],
                           since=(entered + BEIJING).date() if entered else None))
    return found
