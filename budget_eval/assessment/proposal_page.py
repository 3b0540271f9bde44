"""Assessment on intake's proposal page: the concluded rounds with the results, and links to its own pages.

Receivers of intake.signals (connected by the app factory): intake's page names no assessment page itself.
"""
from __future__ import annotations

from flask import render_template, url_for
from markupsafe import Markup

from budget_eval.intake.models import Proposal
from budget_eval.intake.signals import ResultSection
from budget_eval.platform.models.user import User
from budget_eval.platform.permissions import may_reach

CONCLUSIONS_ORDER = 10  # first among the results; the meeting decisions follow


def conclusions_section(proposal: Proposal, *, user: User, blinded: bool) -> ResultSection | None:
    """Receiver of intake.signals.proposal_results: every concluded round, or the blind-review notice."""
    concluded = [round_ for round_ in proposal.assessments if round_.is_concluded]
    if not concluded:
        return None
    html = render_template("assessments/_proposal_conclusions.html", proposal=proposal, concluded=concluded,
                           blinded=blinded)
    return ResultSection(CONCLUSIONS_ORDER, Markup(html))


def workflow_links(proposal: Proposal, *, user: User) -> list[tuple[str, str]]:
    """Receiver of intake.signals.proposal_links: assessment's pages of this proposal this user may open."""
    pages = [("assessments.materials", "材料审查清单", bool(proposal.materials)),
             ("assessments.self_assess", "部门自评", proposal.self_assessment is not None),
             ("assessments.panel", "评审组与评估结论", bool(proposal.assessments)),
             ("assessments.adjustment", "调整完善说明", proposal.is_revising or bool(proposal.adjustment_responses))]
    return [(label, url_for(endpoint, proposal_id=proposal.id)) for endpoint, label, exists in pages
            if exists and may_reach(user, endpoint)]
