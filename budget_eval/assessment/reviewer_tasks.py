"""The reviewer's list of their own seats (reviews.index): the select the list pages, sorts and searches."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from budget_eval.assessment.models import Assessment, PanelMember
from budget_eval.intake.models import Proposal
from budget_eval.platform.models.user import User


def seat_round(column):
    """A column of a seat's round, read for each seat by a correlated subquery (the reviewer's list sorts by it)."""
    return select(column).where(Assessment.id == PanelMember.assessment_id).correlate(PanelMember).scalar_subquery()


# the seat's project name, as the reviewer's list searches and sorts by it
SEAT_PROPOSAL_NAME = select(Proposal.name).join(Assessment, Assessment.proposal_id == Proposal.id) \
    .where(Assessment.id == PanelMember.assessment_id).correlate(PanelMember).scalar_subquery()


def reviewer_tasks(user: User, searching: bool = False):
    """The reviewer's seats, newest round first (a select: the list pages it with a capped count). Unless searching
    by the project's name it reads the seats alone (the round and project are loaded for the page's rows only, a
    sort by them reads them per seat): the capped count is then an index scan of the reviewer's seats, not a join
    of three tables (issue 22)."""
    query = select(PanelMember).where(PanelMember.user_id == user.id)
    if searching:
        query = query.join(Assessment).join(Proposal, Assessment.proposal_id == Proposal.id)
    return (query.order_by(PanelMember.assessment_id.desc(), PanelMember.id.desc())
            .options(joinedload(PanelMember.assessment).load_only(Assessment.round, Assessment.deadline,
                                                                  Assessment.proposal_id)
                     .joinedload(Assessment.proposal).load_only(Proposal.name)))
