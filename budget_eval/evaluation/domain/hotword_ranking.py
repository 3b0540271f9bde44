"""Ranking the terms of merged comments into hot words, each with its comments, units and issues (pure code)."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from budget_eval.evaluation.domain.hotwords import Comment, Merged, Segmenter, Settings, merge, segment

CLAUSE = re.compile(r"[，,。；;！!？?\n]+")


@dataclass(frozen=True)
class Issue:
    label: str  # a short statement of the issue, from its most common comment
    count: int  # merged comments in this issue
    examples: tuple[str, ...]


@dataclass(frozen=True)
class HotWord:
    word: str
    rank: int  # shared by ties (并列)
    tied: bool
    count: int  # merged comments raising it
    raw: int  # comments before merging
    raters: int
    share: float  # of all raters
    units: tuple[tuple[str, int], ...]  # unit → merged comments, most first
    groups: tuple[tuple[str, int], ...]  # rater group → comments
    examples: tuple[str, ...]  # 3–5 representative comments that differ from each other
    issues: tuple[Issue, ...]
    ids: tuple[object, ...]  # every source comment's id, for drill-down

    @property
    def rank_label(self) -> str:
        return f"{self.rank}（并列）" if self.tied else str(self.rank)


@dataclass(frozen=True)
class Ranking:
    criticism: tuple[HotWord, ...]
    praise: tuple[HotWord, ...]


@dataclass(frozen=True)
class Analysis:
    comments: int  # before merging
    merged: int
    raters: int
    city: Ranking
    units: dict[str, Ranking]
    generic: frozenset[str]  # words dropped as common across all topics
    praise: int = 0  # merged comments that are praise


def analyse(comments: Iterable[Comment], segmenter: Segmenter, top: int = 10, raters: int | None = None,
            units: bool = True) -> Analysis:
    """Hot words city-wide and per unit; raters is everyone who rated (the share's base)."""
    comments = list(comments)
    merged = merge(comments)
    segment(merged, segmenter)
    settings = segmenter.settings
    generic = common_words(merged, settings)
    total = raters or len({c.rater or c.id for c in comments}) or 1
    parts = (segmenter.parts, segmenter.compounds)

    def rank(items: list[Merged]) -> Ranking:
        return Ranking(
            tuple(_rank([m for m in items if not m.praise], generic, parts, settings, top, total)),
            tuple(_rank([m for m in items if m.praise], generic, parts, settings, top, total)),
        )

    by_unit = {}
    if units:
        for unit in sorted({u for m in merged for u in m.units}):
            by_unit[unit] = rank([m for m in merged if unit in m.units])
    return Analysis(len(comments), len(merged), total, rank(merged), by_unit, frozenset(generic),
                    sum(1 for m in merged if m.praise))


def common_words(merged: list[Merged], settings: Settings) -> set[str]:
    """Words that ride along with every topic: they co-occur with (nearly) all leading candidates at their own
    base rate, while the topics themselves exclude one another."""
    counts = Counter(t for m in merged for t in m.terms)
    n = len(merged)
    leading = [w for w, c in counts.most_common(settings.generic_candidates) if c >= max(settings.generic_min_comments, settings.generic_min * n)]
    if len(leading) < 4 or n == 0:
        return set()
    index = {w: i for i, w in enumerate(leading)}
    matrix = np.zeros((len(leading), n), dtype=np.float32)
    for j, m in enumerate(merged):
        for t in m.terms:
            i = index.get(t)
            if i is not None:
                matrix[i, j] = 1
    together = matrix @ matrix.T
    df = np.diag(together)
    expected = np.outer(df, df) / n
    lift = np.divide(together, expected, out=np.ones_like(together), where=expected > 0)
    informative = expected >= 2
    np.fill_diagonal(informative, False)
    if not ((lift < 0.5) & informative).any():
        return set()  # no topics that exclude one another: nothing to call common to all of them
    found = set()
    for i, word in enumerate(leading):
        pairs = informative[i]
        if pairs.sum() >= 4 and ((lift[i] >= settings.generic_lift) & pairs).sum() >= settings.generic_share * pairs.sum():
            found.add(word)
    return found


def _rank(items: list[Merged], generic: set[str], parts: tuple[dict[str, tuple[str, str]], set[str]],
          settings: Settings, top: int, raters: int) -> list[HotWord]:
    posting: dict[str, list[Merged]] = {}
    for m in items:
        for t in m.terms:
            if t not in generic:
                posting.setdefault(t, []).append(m)
    _prefer_phrases(posting, parts, settings)
    weight = {t: (len(ms), sum(len(m.ids) for m in ms)) for t, ms in posting.items()}
    order = sorted(weight, key=lambda t: (-weight[t][0], -weight[t][1]))
    if len(order) > top:
        cut = weight[order[top - 1]][0]
        order = [t for t in order if weight[t][0] >= cut]
    counts = Counter(weight[t][0] for t in order)
    made = []
    for t in order:
        ms = posting[t]
        rank = 1 + sum(1 for other in order if weight[other][0] > weight[t][0])
        units: Counter[str] = Counter()
        groups: Counter[str] = Counter()
        people: set[object] = set()
        for m in ms:
            units.update(m.units)
            groups.update(m.groups)
            people |= m.raters
        made.append(HotWord(
            word=t, rank=rank, tied=counts[weight[t][0]] > 1, count=len(ms), raw=weight[t][1], raters=len(people),
            share=len(people) / raters, units=tuple(units.most_common()), groups=tuple(groups.most_common()),
            examples=representatives(ms, settings.examples), issues=issues_of(t, ms, generic, settings),
            ids=tuple(i for m in ms for i in m.ids),
        ))
    return made


def _prefer_phrases(posting: dict[str, list[Merged]], parts: tuple[dict[str, tuple[str, str]], set[str]],
                    settings: Settings) -> None:
    """A noun phrase stands for a word when it covers most of the word's comments; rare phrases go (a dictionary
    word such as 垃圾分类 is never rare)."""
    phrase_parts, compounds = parts
    least = {t: 1 if t in compounds else settings.phrase_min for t in posting if t in phrase_parts}
    phrases = list(least)
    for phrase in phrases:
        if phrase not in posting or len(posting[phrase]) < least[phrase]:
            continue
        for part in phrase_parts[phrase]:
            if part in posting and len(posting[phrase]) >= settings.phrase_share * len(posting[part]):
                del posting[part]
    for phrase in phrases:
        if phrase in posting and len(posting[phrase]) < least[phrase]:
            del posting[phrase]


def _shingles(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def representatives(items: list[Merged], wanted: int) -> tuple[str, ...]:
    """The most raised comments that differ from one another (character-pair overlap below one half)."""
    chosen: list[tuple[str, set[str]]] = []
    for m in sorted(items, key=lambda m: -len(m.ids))[:200]:
        grams = _shingles(m.text)
        if all(len(grams & g) / len(grams | g) < 0.5 for _, g in chosen):
            chosen.append((m.text, grams))
            if len(chosen) >= wanted:
                break
    return tuple(text for text, _ in chosen)


def issues_of(word: str, items: list[Merged], generic: set[str], settings: Settings) -> tuple[Issue, ...]:
    """The distinct issues behind a hot word: its comments grouped by the most telling word they add."""
    along = Counter(t for m in items for t in m.terms if t != word and t not in generic and word not in t)
    left = list(items)
    found: list[Issue] = []
    for other, _ in along.most_common():
        if len(found) >= settings.issues or not left:
            break
        group = [m for m in left if other in m.terms]
        if len(group) < max(settings.issue_min_comments, settings.issue_min_share * len(items)):
            continue
        left = [m for m in left if other not in m.terms]
        found.append(Issue(_label(group, other), len(group), representatives(group, 3)))
    return tuple(found)


def _label(group: list[Merged], word: str) -> str:
    top = max(group, key=lambda m: len(m.ids))
    clauses = [c for c in CLAUSE.split(top.text) if word in c] or [top.text]
    return clauses[0].strip()[:60]
