"""Intake's side of platform.public_voice: what a proposal says it answers (its Need), and the proposals that
answer a topic of the public's comments, with their stage."""
from __future__ import annotations

import hashlib
from collections.abc import Sequence

from flask import url_for
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from budget_eval.intake.domain.visibility import can_view_proposal
from budget_eval.intake.domain.workflow import STATUS_LABELS, Status
from budget_eval.intake.models import Proposal
from budget_eval.platform.derived import stored
from budget_eval.platform.extensions import db
from budget_eval.platform.public_voice import Answer, Need


def goals_of(proposal: Proposal) -> tuple[str, ...]:
    return tuple(f"{t.name}{t.value}" for t in proposal.targets)


def need_of(proposal: Proposal) -> Need:
    return Need(department=proposal.department.name, title=proposal.name, goals=goals_of(proposal),
                text="\n".join(t for t in (proposal.basis_text, proposal.plan_text) if t))


ANSWERS_SHOWN = 10  # proposals listed under a topic (the most recent budget years first)
TOPIC_ANSWERS = "topic_answers"  # the stored figure: ids of the proposals naming a list of topics


def _naming(topics: list[str]) -> list[int]:
    """The ids of the submitted proposals naming each topic (name, 立项依据, a 绩效目标), at most ANSWERS_SHOWN a
    topic, the most recent budget years first."""
    target = Proposal.targets.property.mapper.class_
    ids: list[int] = []
    for topic in topics:
        pattern = "%" + topic.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        named = (Proposal.name.like(pattern, escape="\\") | Proposal.basis_text.like(pattern, escape="\\")
                 | Proposal.targets.any(target.name.like(pattern, escape="\\")
                                        | target.value.like(pattern, escape="\\")))
        ids += [i for i in db.session.scalars(
            select(Proposal.id).where(Proposal.status != Status.DRAFT.value, named)
            .order_by(Proposal.year.desc(), Proposal.id).limit(ANSWERS_SHOWN)) if i not in ids]
    return ids


def answers(topics: Sequence[str], user: object) -> dict[str, list[Answer]]:
    """topic → the submitted proposals (drafts are the department's own) whose name, 绩效目标 or 立项依据 name it."""
    if not topics:
        return {}
    wanted = list(dict.fromkeys(t for t in topics if t))
    # which proposals name each topic: searched once per version of the proposals (their count, last id and last
    # change) and stored (platform/derived.py), not on every view of the hot words
    version = db.session.execute(select(func.count(Proposal.id), func.max(Proposal.id),
                                        func.max(Proposal.updated_at))).one()
    key = hashlib.sha1(repr((wanted, tuple(version))).encode()).hexdigest()
    ids = stored(TOPIC_ANSWERS, key, lambda: _naming(wanted))
    proposals = list(db.session.scalars(select(Proposal).where(Proposal.id.in_(ids)).options(
        selectinload(Proposal.targets), selectinload(Proposal.department))))
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
