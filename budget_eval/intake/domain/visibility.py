"""Who may see a proposal — the intake part of the one visibility policy.

The policy is one, in two modules by feature: this one answers who may see a proposal at all (finance roles,
the own department, its authority, a cleared panel member); budget_eval.assessment.domain.visibility answers
the rest — rounds, score sheets, opinions, blind review and which report each audience reads — and builds on
this one (assessment may import intake, not the other way round). Pages, documents and exports ask one of the
two. Pure predicates over the records' attributes (a user with id/role/department_id, a proposal with
department/assessments, a round with members, a panel member with user_id), so the policy can be tested
without a database.

A panel member's state is the assessment feature's: here it is asked through a predicate on the member,
by default the record's own `is_cleared` (assessment.models.PanelMember); the assessment part passes its
own (assessment.domain.visibility.is_cleared), which reads the status against the enums.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from budget_eval.intake.domain.workflow import TRANSITIONS
from budget_eval.platform.domain.roles import FINANCE_ROLES, Role


# The attributes the policy reads, as protocols (read-only, so a model's mapped columns fit them).
class Viewer(Protocol):
    """A user (platform.models.User)."""

    @property
    def id(self) -> int: ...
    @property
    def role(self) -> str: ...
    @property
    def department_id(self) -> int | None: ...


class PanelSeat(Protocol):
    """A panel member (assessment.models.PanelMember) as far as this part asks."""

    @property
    def user_id(self) -> int: ...
    @property
    def is_cleared(self) -> bool: ...


SeatT = TypeVar("SeatT", bound=PanelSeat, covariant=True)


class Panel(Protocol[SeatT]):
    """An assessment round with its panel."""

    @property
    def members(self) -> Sequence[SeatT]: ...


class Unit(Protocol):
    """A department (platform.models.Department)."""

    @property
    def authority_id(self) -> int | None: ...
    @property
    def sector_authority_id(self) -> int | None: ...


class Viewed(Protocol[SeatT]):
    """A proposal (intake.models.Proposal) with its department and assessment rounds."""

    @property
    def department_id(self) -> int: ...
    @property
    def department(self) -> Unit: ...
    @property
    def assessments(self) -> Sequence[Panel[SeatT]]: ...
    @property
    def assessor_kind(self) -> str | None: ...
    @property
    def assessor_staff(self) -> Sequence[int]: ...


class HistoryEvent(Protocol):
    """A line of a proposal's history (intake.models.ProposalEvent)."""

    @property
    def action(self) -> str: ...


def _role(user: Viewer) -> Role:
    return Role(user.role)


def is_own_department(user: Viewer, proposal: Viewed[PanelSeat]) -> bool:
    return _role(user) is Role.DEPARTMENT and proposal.department_id == user.department_id


def is_authority(user: Viewer, proposal: Viewed[PanelSeat]) -> bool:
    """Staff of the department's parent unit (主管部门), who review its self-assessment."""
    return (_role(user) is Role.DEPARTMENT and user.department_id is not None
            and proposal.department.authority_id == user.department_id)


def is_sector_authority(user: Viewer, proposal: Viewed[PanelSeat]) -> bool:
    """Staff of the department's sector authority (行业主管部门), who review its assessment report (art. 5)."""
    return (_role(user) is Role.DEPARTMENT and user.department_id is not None
            and proposal.department.sector_authority_id == user.department_id)


def oversees(department_id: int | None, unit: Unit) -> bool:
    """A department is this unit's parent unit or its sector authority (the same test as the proposal list's query,
    intake.listing.proposal_query, which selects a department's own proposals and those of the units it oversees)."""
    return department_id is not None and department_id in (unit.authority_id, unit.sector_authority_id)


def is_commissioned_assessor(user: Viewer, proposal: Viewed[PanelSeat]) -> bool:
    """Staff of the third-party agency commissioned to assess this proposal (art. 2's assessor of record)."""
    return (_role(user) is Role.THIRD_PARTY and proposal.assessor_kind == "third_party"
            and user.id in (proposal.assessor_staff or ()))


def memberships(user: Viewer, proposal: Viewed[SeatT]) -> list[SeatT]:
    """The user's seats on the panels of this proposal's assessment rounds."""
    return [m for round_ in proposal.assessments for m in round_.members if m.user_id == user.id]


def declared_cleared(member: PanelSeat) -> bool:
    """The panel member record says it declared no conflict of interest (PanelMember.is_cleared)."""
    return member.is_cleared


def is_cleared_panelist(user: Viewer, proposal: Viewed[SeatT],
                        cleared: Callable[[SeatT], bool] = declared_cleared) -> bool:
    """A panel member who has declared no conflict of interest on some round of this proposal."""
    return any(cleared(m) for m in memberships(user, proposal))


def can_view_proposal(user: Viewer, proposal: Viewed[SeatT],
                      cleared: Callable[[SeatT], bool] = declared_cleared) -> bool:
    """Finance roles see all (a finance reviewer sitting on its panel: once signed, as an expert); departments
    their own and those of the units they oversee (as parent unit or sector authority); a commissioned agency's
    staff what they assess; experts what they review, once they signed the pledge."""
    role = _role(user)
    if role is Role.REVIEWER and memberships(user, proposal):
        # a finance reviewer on this proposal's panel opens nothing of it before signing the pledge there
        return is_cleared_panelist(user, proposal, cleared)
    if role in FINANCE_ROLES:
        return True
    if role is Role.DEPARTMENT:
        return is_own_department(user, proposal) or oversees(user.department_id, proposal.department)
    if role is Role.THIRD_PARTY:
        return is_commissioned_assessor(user, proposal)
    if role is Role.EXPERT:
        return is_cleared_panelist(user, proposal, cleared)
    return False


# proposal steps whose history notes carry results: the conclusion, revision on it, the meeting and its decision
RESULT_EVENTS = frozenset(TRANSITIONS[a].label for a in ("conclude", "start_revision", "resubmit", "confirm_adjustment",
                                                          "return_adjustment", "adjustment_new_round", "to_meeting",
                                                          "decide"))


def hides_result_note(event: HistoryEvent, blinded: bool) -> bool:
    """A history note that carries a conclusion or a decision (e.g. '第1轮评估结论：…（总分72.50）'), for a user
    the blind review keeps from results now (assessment.domain.visibility.is_blinded, asked through
    intake.signals.proposal_blinded)."""
    return blinded and event.action in RESULT_EVENTS
