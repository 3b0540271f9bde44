"""Aids shown to reviewers: a SMART check of the targets and possible duplicate proposals.

(The weight-sensitivity aid lives with the scoring in domain/scoring.py.)
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from budget_eval.intake.domain.intake import Target
from budget_eval.platform.domain.ruleset import IntakeRules

DIGIT = re.compile(r"\d")
DATE = re.compile(r"\d{4}\s*年|\d{4}[-/.]\d{1,2}|\d{1,2}\s*月|季度|年底|年内|当年")


@dataclass(frozen=True)
class Finding:
    ok: bool
    text: str


def smart_check(targets: Sequence[Target], rules: IntakeRules) -> list[Finding]:
    """Every target has a value and a unit; every first-level indicator is present; output targets are
    quantified; time targets carry a date."""
    findings = []
    incomplete = [t.name or "（未命名）" for t in targets if not t.value.strip() or not t.unit.strip()]
    findings.append(Finding(not incomplete, "每项指标均有指标值和计量单位" if not incomplete
                            else "缺少指标值或计量单位：" + "、".join(incomplete)))
    present = {t.level1 for t in targets}
    for level in rules.indicator_levels:
        findings.append(Finding(level.label in present, f"已设置{level.label}" if level.label in present
                                else f"未设置{level.label}"))
    vague = [t.name for t in targets if t.level1 == rules.smart_output_level and not DIGIT.search(t.value)]
    findings.append(Finding(not vague, f"{rules.smart_output_level}均已量化" if not vague
                            else f"{rules.smart_output_level}未量化：" + "、".join(vague)))
    time_targets = [t for t in targets if t.level2 == rules.smart_time_level2]
    undated = [t.name for t in time_targets if not DATE.search(t.value)]
    if time_targets:
        findings.append(Finding(not undated, f"{rules.smart_time_level2}均写明时间节点" if not undated
                                else f"{rules.smart_time_level2}未写明时间节点：" + "、".join(undated)))
    else:
        findings.append(Finding(False, f"未设置{rules.smart_time_level2}"))
    return findings


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


NAME_WEIGHT, TEXT_WEIGHT = Decimal("0.7"), Decimal("0.3")


def name_floor(minimum: Decimal) -> Decimal:
    """The lowest name similarity that can still reach `minimum` (with identical content)."""
    return max(Decimal(0), (minimum - TEXT_WEIGHT) / NAME_WEIGHT)


def possible_duplicates(name: str, text: str, candidates: Iterable[Candidate], minimum: Decimal,
                        limit: int = 5) -> list[Match]:
    """Proposals whose name (weighted 0.7) and content (0.3) are similar enough to this one.

    Candidates are expected to have passed `name_floor` already; their long texts are compared only then.
    """
    matches = []
    for c in candidates:
        by_name = similarity(name, c.name)
        score = max(by_name * NAME_WEIGHT + similarity(text, c.text) * TEXT_WEIGHT, by_name)
        if score >= minimum:
            matches.append(Match(c, score.quantize(Decimal("0.01"))))
    return sorted(matches, key=lambda m: m.similarity, reverse=True)[:limit]
