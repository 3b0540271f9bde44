"""Aids shown to reviewers: a SMART check of the targets and possible duplicate proposals.

(The weight-sensitivity aid lives with the scoring in domain/scoring.py.)
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from budget_eval.intake.domain.intake import DATE, is_numeric, is_quantity, Target
from budget_eval.intake.domain.rule_files import IntakeRules

DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Finding:
    ok: bool
    text: str


def smart_check(targets: Sequence[Target], rules: IntakeRules) -> list[Finding]:
    """By each target's comparator: a numeric target (≥ ≤ =) has a number and a unit, a 定性 target a
    description; every first-level indicator is present; output targets are quantified; time targets
    carry a date; cost targets state a unit price or a total (a unit in 元)."""
    findings = []

    def check(bad: list[str], ok_text: str, bad_text: str) -> None:
        findings.append(Finding(not bad, ok_text if not bad else bad_text + "、".join(bad)))

    qualitative = [t for t in targets if comparator_of(t, rules) == rules.qualitative]
    numeric = [t for t in targets if t not in qualitative]
    check([_name(t) for t in numeric if not is_quantity(t, rules) or not t.unit.strip()],
          "数值目标均有数字指标值和计量单位", "数值目标缺少数字指标值或计量单位：")
    if qualitative:
        check([_name(t) for t in qualitative if not t.value.strip()], "定性目标均有描述", "定性目标缺少描述：")
    present = {t.level1 for t in targets}
    for level in rules.indicator_levels:
        findings.append(Finding(level.label in present, f"已设置{level.label}" if level.label in present
                                else f"未设置{level.label}"))
    output = rules.smart_output_level
    check([_name(t) for t in targets if t.level1 == output and (t in qualitative or not DIGIT.search(t.value))],
          f"{output}均已量化", f"{output}未量化：")
    time_targets = [t for t in targets if t.level2 == rules.smart_time_level2]
    if time_targets:
        check([_name(t) for t in time_targets if not DATE.search(t.value)],
              f"{rules.smart_time_level2}均写明时间节点", f"{rules.smart_time_level2}未写明时间节点：")
    else:
        findings.append(Finding(False, f"未设置{rules.smart_time_level2}"))
    costs = [t for t in targets if t.level1 in rules.cost_levels]
    if costs:
        money = rules.money_levels
        check([_name(t) for t in costs if t in qualitative or not is_numeric(t.value)
               or (t.level2 in money and MONEY_UNIT not in t.unit)],
              "成本指标均为数值目标，经济成本写明单价或总额",
              "成本指标未量化，或经济成本未写明单价或总额（计量单位含“元”）：")
    return findings


MONEY_UNIT = "元"  # a cost target's unit: 元/人, 万元, 元/平方米 … (a unit of money, not a policy value)


def comparator_of(target: Target, rules: IntakeRules) -> str:
    """The target's comparator; a target stored without one counts as numeric if its value is a number."""
    if target.comparator:
        return target.comparator
    return "=" if is_numeric(target.value.lstrip("≥≤=<>")) or DATE.search(target.value) else rules.qualitative


def _name(target: Target) -> str:
    return target.name or "（未命名）"


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    text: str  # the plan and basis texts
    department: str
    year: int | None


@dataclass(frozen=True)
class Match:
    candidate: Candidate
    similarity: Decimal


def bigrams(text: str) -> set[str]:
    """Character bigrams: a fair measure of overlap for Chinese text, which has no spaces between words."""
    chars = [c for c in text if c.isalnum()]
    return {a + b for a, b in zip(chars, chars[1:], strict=False)}


def similarity(a: str, b: str) -> Decimal:
    """Dice coefficient of character bigrams, 0 to 1."""
    x, y = bigrams(a), bigrams(b)
    if not x or not y:
        return Decimal(0)
    return (Decimal(2 * len(x & y)) / Decimal(len(x) + len(y))).quantize(Decimal("0.01"))


Weights = tuple[Decimal, Decimal]  # (name weight, content weight), from rules/assessment.yaml


def name_floor(minimum: Decimal, weights: Weights) -> Decimal:
    """The lowest name similarity that can still reach `minimum` (with identical content)."""
    name_weight, text_weight = weights
    return max(Decimal(0), (minimum - text_weight) / name_weight) if name_weight else Decimal(0)


def possible_duplicates(name: str, text: str, candidates: Iterable[Candidate], minimum: Decimal,
                        weights: Weights, limit: int = 5) -> list[Match]:
    """Proposals whose name and content (weighted as the rules say) are similar enough to this one.

    Candidates are expected to have passed `name_floor` already; their long texts are compared only then.
    """
    matches, (name_weight, text_weight) = [], weights
    for c in candidates:
        by_name = similarity(name, c.name)
        score = max(by_name * name_weight + similarity(text, c.text) * text_weight, by_name)
        if score >= minimum:
            matches.append(Match(c, score.quantize(Decimal("0.01"))))
    return sorted(matches, key=lambda m: m.similarity, reverse=True)[:limit]
