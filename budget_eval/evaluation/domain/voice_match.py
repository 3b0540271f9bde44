"""Which of a year's hot words bear on a proposal (pure code): the public's voice as evidence of need.

A hot word bears on a proposal when the proposal names it (in its name, its 绩效目标 or its text: a project
about 地铁 answers the people who raised 地铁), or when it is among the leading hot words of the proposal's own
department (what the public said about the unit that asks for the money). Named topics come first, in the order
of the fields and then of their people; the department's follow.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from budget_eval.evaluation.domain.hotword_ranking import Analysis, HotWord

DEPARTMENT_WORDS = 3  # the department's leading hot words shown even when the proposal does not name them
LIMIT = 6  # topics shown at most


@dataclass(frozen=True)
class Match:
    word: HotWord
    scope: str  # "" city-wide, else the department whose ranking it comes from
    reason: str  # 项目名称提到“地铁” / 申报部门的社会评价热词


def names(word: str, text: str) -> bool:
    return bool(word) and word in text


def matches(analysis: Analysis, department: str, fields: Sequence[tuple[str, str]]) -> list[Match]:
    """The hot words that bear on a proposal; fields are (label, text) such as ("项目名称", name)."""
    found: dict[str, Match] = {}
    unit = analysis.units.get(department)
    unit_words = unit.criticism if unit else ()
    for label, text in fields:
        named = [(w, "") for w in analysis.city.criticism] + [(w, department) for w in unit_words]
        for word, scope in sorted(named, key=lambda pair: -pair[0].count):
            if word.word not in found and names(word.word, text):
                found[word.word] = Match(word, scope, f"{label}提到“{word.word}”")
    for word in unit_words[:DEPARTMENT_WORDS]:
        if word.word not in found:
            found[word.word] = Match(word, department, "申报部门的社会评价热词")
    return list(found.values())[:LIMIT]
