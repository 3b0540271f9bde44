"""The department's self-assessment (部门自评), scored on the same template as the finance panel."""
from __future__ import annotations

from decimal import Decimal

from budget_eval.assessment.domain.assessment_rules import AssessmentRules, from_snapshot
from budget_eval.assessment.domain.scoring import plain
from budget_eval.intake.domain.workflow import Status
from budget_eval.intake.models import Proposal
from budget_eval.platform.domain.lifecycle import Conflict
from budget_eval.platform.extensions import db
from budget_eval.platform.lifecycle import lock
from budget_eval.assessment.models import SelfAssessment
from budget_eval.assessment.rules import assessment_rules

NOTE_FIELDS = {"facts": "基本情况", "problems": "发现的问题", "judgement": "评价结论"}


def start(proposal: Proposal) -> SelfAssessment:
    """Create the self-assessment with the rules as they stand now (kept with it)."""
    if proposal.self_assessment is None:
        rules = assessment_rules(proposal.category)
        proposal.self_assessment = SelfAssessment(rules_snapshot=rules.snapshot(), rules_version=rules.version)
    return proposal.self_assessment


def rules_of(record: SelfAssessment) -> AssessmentRules:
    return from_snapshot(record.rules_snapshot)


def scores(record: SelfAssessment) -> dict[str, Decimal]:
    return {key: Decimal(value) for key, value in (record.scores or {}).items() if value not in (None, "")}


def total(record: SelfAssessment) -> Decimal:
    return sum(scores(record).values(), Decimal(0))


def save(record: SelfAssessment, new_scores: dict[str, Decimal | None], notes: dict[str, dict[str, str]]) -> bool:
    """Store the department's scores and notes, the proposal locked and still at the self-assessment stage; says
    whether anything changed (read after the lock, so of two identical saves only the first changes anything)."""
    proposal = lock(db.session.get(Proposal, record.proposal_id))
    if Status(proposal.status) is not Status.SELF_ASSESSMENT:
        raise Conflict(f"项目处于“{Status(proposal.status).label}”阶段，自评不能再修改。")
    db.session.refresh(record)
    scores = {key: (str(value) if value is not None else "") for key, value in new_scores.items()}
    changed = (record.scores, record.notes) != (scores, notes)
    record.scores = scores
    record.notes = notes
    return changed


def problems(record: SelfAssessment) -> list[str]:
    """What is missing before the self-assessment can be submitted."""
    rules = rules_of(record)
    have = scores(record)
    found = []
    for indicator in rules.template.indicators:
        score = have.get(indicator.key)
        if score is None:
            found.append(f"“{indicator.label}”未打分")
        elif not 0 <= score <= indicator.points:
            found.append(f"“{indicator.label}”得分应在0至{plain(indicator.points)}分之间")
    for dimension in rules.template.dimensions:
        note = (record.notes or {}).get(dimension.code) or {}
        empty = [label for key, label in NOTE_FIELDS.items() if not str(note.get(key) or "").strip()]
        if empty:
            found.append(f"“{dimension.label}”未填写{'、'.join(empty)}")
    return found
