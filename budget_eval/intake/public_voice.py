"""Intake's side of platform.public_voice: what a proposal says it answers (its Need), and the proposals that
answer a topic of the public's comments, with their stage."""
from __future__ import annotations

from collections.abc import Sequence

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from budget_eval.intake.domain.visibility import can_view_proposal
from budget_eval.intake.domain.workflow import STATUS_LABELS, Status
from budget_eval.intake.models import Proposal
from budget_eval.platform.extensions import db
from budget_eval.platform.public_voice import Answer, Need


def goals_of(proposal: Proposal) -> tuple[str, ...]:
    return tuple(f"{t.name}{t.value}" for t in proposal.targets)


def need_of(proposal: Proposal) -> Need:
    return Need(department=proposal.department.name, title=proposal.name, goals=goals_of(proposal),
                text="\n".join(t for t in (proposal.basis_text, proposal.plan_text) if t))


ANSWERS_SHOWN = 10  # proposals listed under a topic (the most recent budget years first)


def answers(topics: Sequence[str], user: object) -> dict[str, list[Answer]]:
    """topic → the submitted proposals (drafts are the department's own) whose name, 绩效目标 or 立项依据 name it."""
    if not topics:
        return {}
    target = Proposal.targets.property.mapper.class_
    proposals: list[Proposal] = []
    seen: set[int] = set()
    for topic in dict.fromkeys(t for t in topics if t):  # found in SQL, at most ANSWERS_SHOWN a topic
        pattern = "%" + topic.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        named = (Proposal.name.like(pattern, escape="\\") | Proposal.basis_text.like(pattern, escape="\\")
                 | Proposal.targets.any(target.name.like(pattern, escape="\\")
                                        | target.value.like(pattern, escape="\\")))
        for proposal in db.session.scalars(
                select(Proposal).where(Proposal.status != Status.DRAFT.value, named)
                .options(selectinload(Proposal.targets), selectinload(Proposal.department))
                .order_by(Proposal.year.desc(), Proposal.id).limit(ANSWERS_SHOWN)):
            if proposal.id not in seen:
                seen.add(proposal.id)
                proposals.append(proposal)
    proposals.sort(key=lambda p: (-(p.year or 0), p.id))  # as one list: the most recent budget years first
    found: dict[str, list[Answer]] = {}
    for proposal in proposals:
        fields = (("项目名称", proposal.name), ("绩效目标", "；".join(goals_of(proposal))), ("立项依据", proposal.basis_text))
        for topic in topics:
            label = next((label for label, text in fields if topic and topic in text), None)
            if label is None:
                continue
            allowed = getattr(user, "is_authenticated", False) and can_view_proposal(user, proposal)  # type: ignore[arg-type]
            found.setdefault(topic, []).append(Answer(
                proposal_id=proposal.id, title=proposal.name, department=proposal.department.name,
                stage=STATUS_LABELS[Status(proposal.status)], year=proposal.year,
                url=url_for("proposals.detail", proposal_id=proposal.id) if allowed else "",
                matched_by=f"{label}提到“{topic}”"))
    return found
