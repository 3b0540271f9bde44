"""Intake's extension points, for the features that carry a proposal further (assessment, meetings).

Intake may not import those features, so they plug in here instead: each connects its receivers from its own
init_app, which the app factory (budget_eval.app) calls. blinker signals, as Flask itself uses.
"""
from __future__ import annotations

from dataclasses import dataclass

from blinker import Namespace
from markupsafe import Markup

from budget_eval.intake.models import Proposal
from budget_eval.platform.models.user import User

_signals = Namespace()

proposal_results = _signals.signal("proposal-results", doc="""Sections shown with a proposal's results on its page
(the assessment conclusions, then the meeting decisions). Sent with the proposal as sender, ``user`` and
``blinded`` (the blind review keeps results from this user now: a receiver then shows none of them, though it
may say that they are withheld); each receiver returns a ResultSection, or None to show nothing.""")

proposal_links = _signals.signal("proposal-links", doc="""Links to the later features' pages of a proposal (materials
check, self-assessment, panel), shown in the page's workflow bar. Sent with the proposal as sender and ``user``;
each receiver returns a list of (label, url), only the pages this user may open.""")

proposal_blinded = _signals.signal("proposal-blinded", doc="""Asked before a proposal's results (conclusions,
totals, opinions, decisions and the history notes that carry them) are shown to a user. Sent with the proposal
as sender and ``user``; a receiver returns True when this user must not see them now (blind review).""")


@dataclass(frozen=True)
class ResultSection:
    order: int  # sections show in this order
    html: Markup


def result_sections(proposal: Proposal, user: User, blinded: bool) -> list[Markup]:
    """The connected features' sections for this proposal's results, in their order."""
    replies = proposal_results.send(proposal, user=user, blinded=blinded)
    sections = [section for _, section in replies if section is not None]
    return [section.html for section in sorted(sections, key=lambda section: section.order)]


def is_blinded(proposal: Proposal, user: User) -> bool:
    """Whether any connected feature keeps this proposal's results from this user now. Fails closed: with no
    receiver connected the blind review would be silently off, so that is an error, not a yes."""
    replies = proposal_blinded.send(proposal, user=user)
    if not replies:
        raise RuntimeError(f"no receiver of {proposal_blinded.name}: the app connects the blind review")
    return any(reply for _, reply in replies)


def links(proposal: Proposal, user: User) -> list[tuple[str, str]]:
    """The connected features' pages of this proposal that this user may open: (label, url)."""
    return [link for _, replies in proposal_links.send(proposal, user=user) for link in replies or ()]
