"""Who may see what of a proposal's assessment rounds, score sheets, opinions, reports and exports — now.

The assessment part of the one visibility policy; who may see a proposal at all (finance roles, the own
department, its authority, a cleared panel member) is its intake part, budget_eval.intake.domain.visibility,
which this module builds on. Pages, documents and exports ask one of the two. Pure predicates over the
records' attributes (a user with id/role/department_id, a proposal with department/assessments, a round with
status/members/proposal, a panel member with user_id/status/assessment), so the policy can be tested without
a database.

Blind review: a reviewer who sits on the proposal's open round and has not yet submitted their own sheet
sees nothing of anyone else's scores, opinions or conclusions, in that round or any earlier one. The report
variant each audience receives (full or panel) is declared in rules/reports.yaml (report_variants).
"""
from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Protocol

from budget_eval.assessment.domain.states import CLEARED, RoundStatus, SheetStatus, WAITING
from budget_eval.intake.domain.visibility import (
    can_view_proposal, hides_result_note, memberships, Viewed, Viewer,
)
from budget_eval.platform.domain.roles import FINANCE_ROLES, Role

PENDING = WAITING  # on a panel, own sheet not (yet, or again) submitted; CLEARED: declared no conflict of interest


class Audience(StrEnum):
    """Who a report is made for; rules/reports.yaml maps each to a variant."""

    FINANCE = "finance"
    REVIEWER = "reviewer"
    DEPARTMENT = "department"
    MEETING = "meeting"


class Seat(Protocol):
    """A panel member (assessment.models.PanelMember): whose seat, its status, its round."""

    @property
    def user_id(self) -> int: ...
    @property
    def is_cleared(self) -> bool: ...
    @property
    def status(self) -> str: ...
    @property
    def assessment(self) -> Round: ...


class Round(Protocol):
    """An assessment round (assessment.models.Assessment)."""

    @property
    def status(self) -> str: ...
    @property
    def members(self) -> Sequence[Seat]: ...
    @property
    def proposal(self) -> Viewed[Seat]: ...


class ReportSettings(Protocol):
    """rules/reports.yaml as read (assessment_rules.ReportSettings)."""

    def variant_for(self, audience: str) -> str: ...


def _role(user: Viewer) -> Role:
    return Role(user.role)


def is_cleared(member: Seat) -> bool:
    """A panel member who has declared no conflict of interest (the intake part asks this of a member)."""
    return member.status in CLEARED


def is_blinded(user: Viewer, proposal: Viewed[Seat]) -> bool:
    """On the panel of an open round of this proposal without having submitted their own sheet there."""
    return any(m.status in PENDING and m.assessment.status == RoundStatus.OPEN for m in memberships(user, proposal))


def blinded_receiver(proposal: Viewed[Seat], *, user: Viewer) -> bool:
    """Receiver of intake.signals.proposal_blinded: the proposal page asks this before it shows results."""
    return is_blinded(user, proposal)


def may_see_results(user: Viewer, proposal: Viewed[Seat]) -> bool:
    """Conclusions, totals, panel opinions and the report of any round (the detail page's conclusions)."""
    return can_view_proposal(user, proposal, is_cleared) and not is_blinded(user, proposal)


def may_see_sheet(user: Viewer, member: Seat) -> bool:
    """One reviewer's scores and opinion: their own; an admin; a fellow member of that round who has
    submitted and is not blinded on the proposal's current round."""
    if member.user_id == user.id or _role(user) is Role.ADMIN:
        return True
    round_ = member.assessment
    fellow = next((m for m in round_.members if m.user_id == user.id), None)
    return fellow is not None and fellow.status == SheetStatus.SUBMITTED and not is_blinded(user, round_.proposal)


def may_download_opinion_sheet(user: Viewer, member: Seat) -> bool:
    """The signed opinion form (专家评审意见表) belongs to its reviewer and the admin who files it."""
    return member.user_id == user.id or _role(user) is Role.ADMIN


def report_audience(user: Viewer, proposal: Viewed[Seat]) -> Audience | None:
    """The audience this user reads the assessment report as, or None when they may not read it now."""
    if not may_see_results(user, proposal):
        return None
    role = _role(user)
    if role in FINANCE_ROLES:
        return Audience.FINANCE
    if role is Role.DEPARTMENT:
        return Audience.DEPARTMENT
    if role is Role.EXPERT:
        return Audience.REVIEWER
    return None


def report_variant(audience: Audience, settings: ReportSettings) -> str:
    """'full' or 'panel', as rules/reports.yaml declares for this audience."""
    return settings.variant_for(audience.value)
