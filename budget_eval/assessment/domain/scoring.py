"""Scoring a proposal: grades, comment rules, panel aggregation, conclusion, weight sensitivity.

Art. 2 of the Hangzhou rules names the five dimensions; the indicators, points, gates, bands and cut-offs
all come from the rule data (domain/assessment_rules.py).
"""
from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from budget_eval.assessment.domain.assessment_rules import Band, Indicator, ScoringRules, Template

TWO = Decimal("0.01")


def q(value: Decimal) -> Decimal:
    return value.quantize(TWO, rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    """A number without trailing zeros or exponent: 10, 9.5."""
    return format(value.normalize(), "f")


def grade_of(score: Decimal, points: Decimal, rules: ScoringRules) -> str:
    """The grade (优/良/中/差) of a score by its rate of the points."""
    rate = score / points if points else Decimal(0)
    return next(g.label for g in rules.grades if rate >= g.minimum)


def comment_required(score: Decimal, indicator: Indicator, rules: ScoringRules) -> bool:
    """A score below the configured grade, or full marks, must be explained."""
    if rules.comment_at_full_marks and score >= indicator.points:
        return True
    labels = [g.label for g in rules.grades]
    return labels.index(grade_of(score, indicator.points, rules)) > labels.index(rules.comment_below_grade)


def sheet_problems(scores: Mapping[str, Decimal | None], comments: Mapping[str, str], template: Template,
                   rules: ScoringRules) -> list[tuple[str, str]]:
    """What stops a reviewer's sheet from being submitted: (indicator key, Chinese message)."""
    problems = []
    for indicator in template.indicators:
        score = scores.get(indicator.key)
        if score is None:
            problems.append((indicator.key, "请打分"))
        elif not 0 <= score <= indicator.points:
            problems.append((indicator.key, f"得分应在0至{plain(indicator.points)}分之间"))
        elif comment_required(score, indicator, rules) and not (comments.get(indicator.key) or "").strip():
            reason = "满分" if score >= indicator.points else f"低于“{rules.comment_below_grade}”"
            problems.append((indicator.key, f"得分{reason}，请填写评语说明理由"))
    return problems


@dataclass(frozen=True)
class Sheet:
    """One reviewer's submitted scores."""

    reviewer: int
    scores: Mapping[str, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.scores.values(), Decimal(0))


@dataclass(frozen=True)
class Outcome:
    total: Decimal
    grade: str
    conclusion: Band
    gate_failures: tuple[str, ...]  # indicator keys whose score is below their gate


@dataclass(frozen=True)
class PanelResult:
    indicator_scores: dict[str, Decimal]
    dimension_scores: dict[str, Decimal]
    outcome: Outcome
    used: tuple[int, ...]  # reviewers whose sheets entered the scores
    dropped: tuple[int, ...]  # reviewers left out by the trimmed method
    disagreements: tuple[str, ...]  # indicators where reviewers' spread exceeds the configured share
    outliers: tuple[int, ...]  # reviewers whose total is far from the panel median
    median_total: Decimal = field(default=Decimal(0))


def outcome_of(indicator_scores: Mapping[str, Decimal], template: Template, rules: ScoringRules) -> Outcome:
    """Total, grade and conclusion; a gate indicator under its gate forces the gate conclusion."""
    total = q(sum(indicator_scores.values(), Decimal(0)))
    failures = tuple(i.key for i in template.indicators if i.gate is not None and indicator_scores[i.key] < i.gate)
    conclusion = rules.conclusion(rules.gate_conclusion) if failures else _band_for(total, template, rules)
    return Outcome(total, grade_of(total, template.points, rules), conclusion, failures)


def _band_for(total: Decimal, template: Template, rules: ScoringRules) -> Band:
    scaled = total * 100 / template.points  # cut-offs are on a 100-point scale
    return next(c for c in rules.conclusions if scaled >= c.minimum)


def aggregate(sheets: Sequence[Sheet], template: Template, rules: ScoringRules) -> PanelResult:
    """Combine reviewers' sheets per the configured method and flag disagreement and outliers."""
    if not sheets:
        raise ValueError("no submitted sheets to aggregate")
    used, dropped = _select(sheets, rules)
    combine = statistics.median if rules.method == "median" else statistics.mean
    indicator_scores = {
        i.key: q(Decimal(combine([s.scores[i.key] for s in used]))) for i in template.indicators
    }
    dimension_scores = {
        d.code: q(sum((indicator_scores[i.key] for i in d.indicators), Decimal(0))) for d in template.dimensions
    }
    disagreements = tuple(
        i.key for i in template.indicators
        if max(s.scores[i.key] for s in sheets) - min(s.scores[i.key] for s in sheets)
        > i.points * rules.disagreement_share
    )
    median_total = q(Decimal(statistics.median([s.total for s in sheets])))
    outliers = tuple(s.reviewer for s in sheets if abs(s.total - median_total) > rules.outlier_margin)
    return PanelResult(
        indicator_scores, dimension_scores, outcome_of(indicator_scores, template, rules),
        tuple(s.reviewer for s in used), tuple(s.reviewer for s in dropped), disagreements, outliers, median_total,
    )


def _select(sheets: Sequence[Sheet], rules: ScoringRules) -> tuple[list[Sheet], list[Sheet]]:
    """For trimmed_total with enough reviewers, leave out the highest and the lowest total."""
    if rules.method != "trimmed_total" or len(sheets) < max(rules.trim_min_reviewers, rules.trim_floor):
        return list(sheets), []
    ordered = sorted(sheets, key=lambda s: (s.total, s.reviewer))
    return ordered[1:-1], [ordered[0], ordered[-1]]


@dataclass(frozen=True)
class Sensitivity:
    robust: bool
    scenarios: tuple[tuple[str, str, Decimal, str], ...]  # (dimension label, +/-, total, conclusion label)

    @property
    def label(self) -> str:
        return "结论稳健" if self.robust else "结论临界"


def weight_sensitivity(indicator_scores: Mapping[str, Decimal], template: Template,
                       rules: ScoringRules) -> Sensitivity:
    """Move each dimension's weight up and down by the configured share, renormalise, and re-conclude."""
    base = outcome_of(indicator_scores, template, rules)
    weights = {d.code: d.points / template.points for d in template.dimensions}
    rates = {
        d.code: sum((indicator_scores[i.key] for i in d.indicators), Decimal(0)) / d.points
        for d in template.dimensions
    }
    scenarios = []
    for dim in template.dimensions:
        for sign, factor in (("+", 1 + rules.sensitivity_weight_change), ("-", 1 - rules.sensitivity_weight_change)):
            moved = weights[dim.code] * factor
            rest = (1 - moved) / (1 - weights[dim.code]) if weights[dim.code] < 1 else Decimal(0)
            total = q(sum(
                rates[c] * (moved if c == dim.code else w * rest) for c, w in weights.items()
            ) * template.points)
            conclusion = base.conclusion if base.gate_failures else _band_for(total, template, rules)
            scenarios.append((dim.label, sign, total, conclusion.label))
    robust = all(label == base.conclusion.label for *_, label in scenarios)
    return Sensitivity(robust, tuple(scenarios))
