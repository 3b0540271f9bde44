"""The report's two reviews (art. 5) as recorded: the cycle now, who reviewed in it, who is still to review.
Read by the proposal page, the list's 待我审核 block and assessment's route steps."""
from __future__ import annotations

from budget_eval.intake.domain.workflow import pending_reviewers, Status
from budget_eval.intake.models import Proposal, ReportReview


def has_sector_authority(proposal: Proposal) -> bool:
    return proposal.department.sector_authority_id is not None


def review_cycle(proposal: Proposal) -> int:
    """The reviews' cycle now: a return for correction ends a cycle."""
    return 1 + sum(1 for r in proposal.report_reviews if not r.passed)


def current_reviews(proposal: Proposal) -> dict[str, ReportReview]:
    cycle = review_cycle(proposal)
    return {r.reviewer: r for r in proposal.report_reviews if r.cycle == cycle}


def pending(proposal: Proposal) -> list[str]:
    """Reviewers still to review the report in this cycle (only while the proposal is in 报告审核)."""
    if proposal.status != Status.REPORT_REVIEW:
        return []
    return pending_reviewers(has_sector_authority(proposal), set(current_reviews(proposal)))
