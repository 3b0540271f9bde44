"""Meetings on intake's proposal page: the decisions meetings took on the proposal, shown with its results."""
from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from budget_eval.intake.models import Proposal
from budget_eval.intake.signals import ResultSection
from budget_eval.meetings.operations import DECISIONS, meeting_decisions
from budget_eval.platform.models.user import User

DECISIONS_ORDER = 20  # after the assessment conclusions, which the page shows first


def decisions_section(proposal: Proposal, *, user: User, blinded: bool) -> ResultSection | None:
    """Receiver of intake.signals.proposal_results: nothing under blind review."""
    if blinded:
        return None
    html = render_template("meetings/_proposal_decisions.html", decisions=meeting_decisions(proposal),
                           decision_labels=DECISIONS)
    return ResultSection(DECISIONS_ORDER, Markup(html))
