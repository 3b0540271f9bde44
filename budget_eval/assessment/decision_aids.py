"""Decision aids for a proposal under review, from stored data and the round's rules."""
from __future__ import annotations

from sqlalchemy import or_, select

from budget_eval.assessment.domain.decision_aids import (
    Candidate,
    name_floor,
    possible_duplicates,
    similarity,
    smart_check,
)
from budget_eval.intake.domain.changes import shown_changes, ValueNames
from budget_eval.intake.formatting import category_label, nature_label
from budget_eval.assessment.domain.scoring import PanelResult, weight_sensitivity
from budget_eval.platform.extensions import db
from budget_eval.assessment.models import Assessment
from budget_eval.platform.models.department import Department
from budget_eval.intake.models import Proposal
from budget_eval.assessment.rules import rules_of
from budget_eval.intake.operations import to_draft
from budget_eval.intake.rules import intake_rules


def aids_for(proposal: Proposal, round_: Assessment, result: PanelResult | None) -> dict:
    rules = rules_of(round_)
    draft = to_draft(proposal)
    if round_.duplicates is None:  # a round opened before duplicates were stored
        round_.duplicates = find_duplicates(proposal, rules.scoring)
    return {
        "smart": smart_check(draft.targets, intake_rules()),
        "duplicates": round_.duplicates,
        "sensitivity": weight_sensitivity(result.indicator_scores, rules.template, rules.scoring) if result else None,
        "changes": version_changes(proposal, round_),
    }


def find_duplicates(proposal: Proposal, scoring) -> list[dict]:
    """Similar proposals of this and earlier years, as plain data to keep with the round."""
    minimum, weights = scoring.duplicate_min_similarity, (scoring.name_weight, scoring.text_weight)
    # names first (short, cheap); the long texts only of the names that could still match
    names = db.session.execute(
        select(Proposal.id, Proposal.name)
        .where(Proposal.id != proposal.id, or_(Proposal.year.is_(None), Proposal.year <= (proposal.year or 9999)))
    ).all()
    floor = name_floor(minimum, weights)
    close = [i for i, n in names if similarity(proposal.name, n) >= floor]
    rows = db.session.execute(
        select(Proposal.id, Proposal.name, Proposal.basis_text, Proposal.plan_text, Department.name, Proposal.year)
        .join(Department, Proposal.department_id == Department.id).where(Proposal.id.in_(close))
    ).all() if close else []
    candidates = [Candidate(i, n, f"{b}\n{p}", d, y) for i, n, b, p, d, y in rows]
    matches = possible_duplicates(proposal.name, f"{proposal.basis_text}\n{proposal.plan_text}", candidates, minimum, weights)
    return [{"id": m.candidate.id, "name": m.candidate.name, "department": m.candidate.department,
             "year": m.candidate.year, "similarity": str(m.similarity)} for m in matches]


def version_changes(proposal: Proposal, round_: Assessment):
    """What the department changed since the version the previous round assessed."""
    index = next((i for i, v in enumerate(proposal.versions) if v.id == round_.version_id), 0)
    if index == 0:
        return []
    names = ValueNames(category=category_label, nature=nature_label, source=intake_rules().source_label)
    return shown_changes(proposal.versions[index - 1].snapshot, proposal.versions[index].snapshot, names)
