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
    """One reviewer's submitted scores: a number per indicator, or (审核要点 mode) a level per 要点, from which
    `scores` holds each indicator the reviewer rated fully (an indicator with a 要点 rated 依据不足 is absent)."""

    reviewer: int
    scores: Mapping[str, Decimal]
    levels: Mapping[str, str] = field(default_factory=dict)  # 要点 key → level or 依据不足

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
    # 审核要点 mode: each 要点's panel points (None: every reviewer said 依据不足 — a 补正 request, not 0),
    # who said 依据不足 on which 要点, and the 要点 that need the department's 补正 before a conclusion
    point_scores: dict[str, Decimal | None] = field(default_factory=dict)
    insufficient: dict[str, tuple[int, ...]] = field(default_factory=dict)
    corrections: tuple[str, ...] = ()
    # the mean of the used reviewers' totals (None when one of them left a 要点 unscored as 依据不足)
    reviewers_mean: Decimal | None = None


def outcome_of(indicator_scores: Mapping[str, Decimal], template: Template, rules: ScoringRules) -> Outcome:
    """Total, grade and conclusion; a gate indicator under its gate forces the gate conclusion."""
    total = q(sum(indicator_scores.values(), Decimal(0)))
    failures = tuple(i.key for i in template.indicators if i.gate is not None and indicator_scores[i.key] < i.gate)
    conclusion = rules.conclusion(rules.gate_conclusion) if failures else _band_for(total, template, rules)
    return Outcome(total, grade_of(total, template.points, rules), conclusion, failures)


def _band_for(total: Decimal, template: Template, rules: ScoringRules) -> Band:
    scaled = total * 100 / template.points  # cut-offs are on a 100-point scale
    return next(c for c in rules.conclusions if scaled >= c.minimum)


def aggregate(sheets: Sequence[Sheet], template: Template, rules: ScoringRules,
              by_points: bool = False) -> PanelResult:
    """Combine reviewers' sheets per the configured method and flag disagreement and outliers.

    By 审核要点 (`by_points`): each 要点's panel points are the combined points of the reviewers who rated it
    (依据不足 gives none and is left out, never counted as 0), rounded to 0.01; an indicator is the sum of its
    要点, a dimension of its indicators, the total of the dimensions. A 要点 every reviewer marks 依据不足 has no
    points (None) and is listed in `corrections`. Reviewers' totals for trimming and outliers are compared on
    what every reviewer scored."""
    if not sheets:
        raise ValueError("no submitted sheets to aggregate")
    combine = statistics.median if rules.method == "median" else statistics.mean
    common = _common_keys(sheets, template, by_points)
    used, dropped = _select(sheets, rules, common)
    point_scores: dict[str, Decimal | None] = {}
    insufficient: dict[str, tuple[int, ...]] = {}
    indicator_scores: dict[str, Decimal] = {}
    for indicator in template.indicators:
        if by_points and indicator.audit_points:
            for point in indicator.audit_points:
                values = [v for s in used if (v := _point_value(s, point.key, point.points, rules)) is not None]
                said = tuple(s.reviewer for s in sheets if s.levels.get(point.key) == rules.insufficient)
                if said:
                    insufficient[point.key] = said
                point_scores[point.key] = q(Decimal(combine(values))) if values else None
            indicator_scores[indicator.key] = sum(
                (point_scores[p.key] or Decimal(0) for p in indicator.audit_points), Decimal(0))
        else:
            indicator_scores[indicator.key] = q(Decimal(combine([s.scores[indicator.key] for s in used])))
    dimension_scores = {
        d.code: q(sum((indicator_scores[i.key] for i in d.indicators), Decimal(0))) for d in template.dimensions
    }
    disagreements = tuple(
        i.key for i in template.indicators
        if len(given := [s.scores[i.key] for s in sheets if i.key in s.scores]) > 1
        and max(given) - min(given) > i.points * rules.disagreement_share
    )
    totals = {s.reviewer: _comparable(s, common) for s in sheets}
    median_total = q(Decimal(statistics.median(totals.values())))
    outliers = tuple(s.reviewer for s in sheets if abs(totals[s.reviewer] - median_total) > rules.outlier_margin)
    complete = all(len(s.scores) == len(template.indicators) for s in used)
    reviewers_mean = q(Decimal(statistics.mean([s.total for s in used]))) if complete else None
    corrections = tuple(k for k, v in point_scores.items() if v is None)
    return PanelResult(
        indicator_scores, dimension_scores, outcome_of(indicator_scores, template, rules),
        tuple(s.reviewer for s in used), tuple(s.reviewer for s in dropped), disagreements, outliers, median_total,
        point_scores, insufficient, corrections, reviewers_mean,
    )


def _point_value(sheet: Sheet, key: str, points: Decimal, rules: ScoringRules) -> Decimal | None:
    level = sheet.levels.get(key)
    return None if level is None else rules.level_points(level, points)


def _common_keys(sheets: Sequence[Sheet], template: Template, by_points: bool) -> frozenset[str] | None:
    """By 要点: the indicators every reviewer scored fully (None in free-number mode: all of them)."""
    if not by_points:
        return None
    return frozenset(i.key for i in template.indicators if all(i.key in s.scores for s in sheets))


def _comparable(sheet: Sheet, common: frozenset[str] | None) -> Decimal:
    if common is None:
        return sheet.total
    return sum((v for k, v in sheet.scores.items() if k in common), Decimal(0))


def _select(sheets: Sequence[Sheet], rules: ScoringRules,
            common: frozenset[str] | None = None) -> tuple[list[Sheet], list[Sheet]]:
    """For trimmed_total with enough reviewers, leave out the highest and the lowest total."""
    if rules.method != "trimmed_total" or len(sheets) < max(rules.trim_min_reviewers, rules.trim_floor):
        return list(sheets), []
    ordered = sorted(sheets, key=lambda s: (_comparable(s, common), s.reviewer))
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
