"""The proposal's lifecycle (its table: intake.domain.workflow): who stands where towards a proposal, its
transitions with history and audit, free history entries and submitted versions, and the registry of the steps
taken from the proposal page (proposals.act). Every feature that moves a proposal writes through here.

A step's conditions and effects belong to the feature that owns them: intake registers its own, assessment and
meetings register theirs from their init_app (``register("accept", handler, offered=...)``). A new intake step is
a row in the table, a handler here or in another intake module, and a register call in intake.init_app.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from budget_eval.intake.domain.workflow import (Actor, available, OWN_PAGE_ACTIONS, PROPOSAL, Status, Transition,
                                                TRANSITIONS, WorkflowError)
from budget_eval.intake.domain.visibility import is_commissioned_assessor
from budget_eval.intake.models import Proposal, ProposalEvent, ProposalVersion
from budget_eval.platform.audit import audit
from budget_eval.platform.domain.roles import FINANCE_ROLES, Role
from budget_eval.platform.extensions import db
from budget_eval.platform.lifecycle import apply, lock
from budget_eval.platform.models.user import User

Handler = Callable[[Proposal, User, str], str]  # (proposal, user, reason) -> message; raises WorkflowError


@dataclass(frozen=True)
class Registered:
    handler: Handler
    offered: Callable[[Proposal], bool] | None  # whether the page offers the step for this proposal at all


_STEPS: dict[str, Registered] = {}


def register(action: str, handler: Handler, *, offered: Callable[[Proposal], bool] | None = None) -> None:
    """Let the proposal page take `action` (a row of the transition table) through `handler`."""
    if action not in TRANSITIONS or action in OWN_PAGE_ACTIONS:
        raise ValueError(f"{action}: not a step of the proposal page (intake.domain.workflow)")
    known = _STEPS.get(action)
    if known is not None and known.handler is not handler:
        raise ValueError(f"{action}: already handled by {known.handler.__qualname__}")
    _STEPS[action] = Registered(handler, offered)


def registered(action: str) -> bool:
    return action in _STEPS


def offered(proposal: Proposal, actors: set[Actor]) -> list[Transition]:
    """The steps the proposal page offers these actors now (the table's, with a handler, offered for this one)."""
    return [t for t in available(Status(proposal.status), actors)
            if t.action in _STEPS and (_STEPS[t.action].offered is None or _STEPS[t.action].offered(proposal))]


def perform(proposal: Proposal, action: str, user: User, reason: str = "") -> str:
    """Take a step with its registered handler (row locked); returns the message to show. Commits."""
    step = _STEPS.get(action)
    if step is None:
        raise WorkflowError("该操作不能在此执行")
    lock(proposal)
    message = step.handler(proposal, user, reason)
    db.session.commit()
    return message


def actors_for(user: User, proposal: Proposal) -> set[Actor]:
    """The capacities in which this user stands towards this proposal."""
    actors = set()
    role = user.role_enum
    if role is Role.DEPARTMENT and user.department_id is not None:
        if user.department_id == proposal.department_id:
            actors.add(Actor.DEPARTMENT)
        if proposal.department.authority_id == user.department_id:
            actors.add(Actor.AUTHORITY)
        if proposal.department.sector_authority_id == user.department_id:
            actors.add(Actor.SECTOR)
    if is_commissioned_assessor(user, proposal):
        actors.add(Actor.ASSESSOR)
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
