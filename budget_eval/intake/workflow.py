"""The proposal's own lifecycle writer: who stands where towards a proposal, its transitions with history and
audit, free history entries, and submitted versions. Every feature that moves a proposal writes through here."""
from __future__ import annotations

from budget_eval.intake.domain.workflow import Actor, PROPOSAL, Status, Transition
from budget_eval.intake.models import Proposal, ProposalEvent, ProposalVersion
from budget_eval.platform.audit import audit
from budget_eval.platform.domain.roles import FINANCE_ROLES, Role
from budget_eval.platform.lifecycle import apply
from budget_eval.platform.models.user import User


def actors_for(user: User, proposal: Proposal) -> set[Actor]:
    """The capacities in which this user stands towards this proposal."""
    actors = set()
    role = user.role_enum
    if role is Role.DEPARTMENT and user.department_id is not None:
        if user.department_id == proposal.department_id:
            actors.add(Actor.DEPARTMENT)
        if proposal.department.authority_id == user.department_id:
            actors.add(Actor.AUTHORITY)
    if role in FINANCE_ROLES:
        actors.add(Actor.FINANCE)
    if role is Role.ADMIN:
        actors.add(Actor.ADMIN)
    return actors


def transition(proposal: Proposal, action: str, user: User, *, reason: str = "", note: str = "") -> Transition:
    """Move the proposal if its lifecycle allows it now (row locked), with history and audit (not committed)."""

    def history(step, before, text):
        proposal.events.append(ProposalEvent(user_id=user.id, action=step.label, from_status=before.value,
                                             to_status=step.target.value, note=text))

    return apply(proposal, PROPOSAL, action, user, actors_for(user, proposal), reason=reason, note=note,
                 subject=proposal.name, history=history)


def record_event(proposal: Proposal, user: User, action: str, *, from_status=None, to_status=None, note="") -> None:
    proposal.events.append(
        ProposalEvent(user_id=user.id, action=action, from_status=from_status, to_status=to_status, note=note)
    )
    change = f"（{Status(from_status).label if from_status else ''}→{Status(to_status).label}）" if to_status else ""
    audit("state", proposal.name, f"{PROPOSAL.noun}：{action}{change}{'：' + note if note else ''}", user)


def add_version(proposal: Proposal, user: User, snapshot: dict) -> ProposalVersion:
    version = ProposalVersion(number=len(proposal.versions) + 1, snapshot=snapshot, created_by_id=user.id)
    proposal.versions.append(version)
    return version
