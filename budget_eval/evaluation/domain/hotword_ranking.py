"""Ranking the terms of the comments into hot words counted by people, each with its comments, units and issues (pure code)."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from budget_eval.evaluation.domain.hotword_comments import Comment, Merged, merge
from budget_eval.evaluation.domain.hotword_common import common_words as common_words  # also importable from here
from budget_eval.evaluation.domain.hotword_settings import Settings
from budget_eval.evaluation.domain.hotwords import Segmenter, segment

CLAUSE = re.compile(r"[，,。；;！!？?\n]+")


@dataclass(frozen=True)
class Issue:
    label: str  # a short statement of the issue, from its most common comment
    count: int  # people in this issue
    examples: tuple[str, ...]


@dataclass(frozen=True)
class HotWord:
    word: str
    rank: int  # shared by ties (并列)
    tied: bool
    count: int  # people who raised it: each rater once, however many comments or copies they wrote
    raw: int  # comments raising it
    raters: int  # the same people (kept for the pages that name it so)
    share: float  # of all raters
    units: tuple[tuple[str, int], ...]  # unit → comments, most first
    groups: tuple[tuple[str, int], ...]  # rater group → comments
    examples: tuple[str, ...]  # 3–5 representative comments that differ from each other
    issues: tuple[Issue, ...]
    ids: tuple[object, ...]  # every source comment's id, for drill-down
    texts: int = 0  # distinct texts among its comments (identical ones grouped)

    @property
    def rank_label(self) -> str:
        return f"{self.rank}（并列）" if self.tied else str(self.rank)


@dataclass(frozen=True)
class Ranking:
    criticism: tuple[HotWord, ...]
    praise: tuple[HotWord, ...]


@dataclass(frozen=True)
class Analysis:
    comments: int  # before grouping
    merged: int  # distinct texts
    raters: int
    city: Ranking
    units: dict[str, Ranking]
    generic: frozenset[str]  # words dropped as spread evenly across unrelated topics
    praise: int = 0  # distinct texts that are praise


Who = Callable[[Merged], set[object]]
Parts = tuple[dict[str, tuple[str, str]], set[str], set[str]]  # phrase → its parts; compounds; coined words


def analyse(comments: Iterable[Comment], segmenter: Segmenter, top: int = 10, raters: int | None = None,
            units: bool = True) -> Analysis:
    """Hot words city-wide and per unit, counted by people; raters is everyone who rated (the share's base)."""
    comments = list(comments)
    merged = merge(comments)
    segment(merged, segmenter)
    settings = segmenter.settings
    generic = common_words(merged, settings)
    total = raters or len({c.rater or c.id for c in comments}) or 1
    parts = (segmenter.parts, segmenter.compounds, segmenter.coined)

    def rank(items: list[Merged], who: Who) -> Ranking:
        return Ranking(
            tuple(_rank([m for m in items if not m.praise], who, generic, parts, settings, top, total)),
            tuple(_rank([m for m in items if m.praise], who, generic, parts, settings, top, total)),
        )

    by_unit = {}
    if units:
        for unit in sorted({u for m in merged for u in m.units}):
            by_unit[unit] = rank([m for m in merged if unit in m.units], _unit_raters(unit))
    return Analysis(len(comments), len(merged), total, rank(merged, _all_raters), by_unit, frozenset(generic),
                    sum(1 for m in merged if m.praise))


def _all_raters(m: Merged) -> set[object]:
    return m.raters


def _unit_raters(unit: str) -> Who:
    def who(m: Merged) -> set[object]:
        return m.unit_raters.get(unit, set())
    return who


def _rank(items: list[Merged], who: Who, generic: set[str], parts: Parts,
          settings: Settings, top: int, raters: int) -> list[HotWord]:
    posting: dict[str, list[Merged]] = {}
    for m in items:
        for t in m.terms:
            if t not in generic:
                posting.setdefault(t, []).append(m)
    people = {t: _people(ms, who) for t, ms in posting.items()}
    _merge_parts(posting, people, parts, settings, top)
    weight = {t: (len(people[t]), sum(len(m.ids) for m in ms)) for t, ms in posting.items()}
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
        for m in ms:
            units.update(m.units)
            groups.update(m.groups)
        made.append(HotWord(
            word=t, rank=rank, tied=counts[weight[t][0]] > 1, count=weight[t][0], raw=weight[t][1],
            raters=weight[t][0], share=weight[t][0] / raters, units=tuple(units.most_common()),
            groups=tuple(groups.most_common()), examples=representatives(ms, settings.examples),
            issues=issues_of(t, ms, who, generic, settings), ids=tuple(i for m in ms for i in m.ids), texts=len(ms),
        ))
    return made


def _people(items: list[Merged], who: Who) -> set[object]:
    if len(items) == 1:
        return who(items[0])  # shared, never changed in place
    found: set[object] = set()
    for m in items:
        found |= who(m)
    return found


def _merge_parts(posting: dict[str, list[Merged]], people: dict[str, set[object]],
                 parts: Parts, settings: Settings, top: int) -> None:
    """Topics that are one another's parts (教育 / 教育入学, 食品 / 食品安全) become one when most of the people of
    one of them (phrase_share) raised the other too, and the topic counts everyone of both. It is named by the
    longer, more specific word when that covers most of the shorter's people and no other narrower topic went into
    it (食品安全), else by the shorter (教育, holding 教育入学 and 教育资源). Rare phrases go (a dictionary word
    such as 垃圾分类 is never rare)."""
    phrase_parts, compounds, coined = parts
    leading = sorted(posting, key=lambda t: -len(people[t]))[:5 * top]
    pairs: dict[str, set[str]] = {}
    for t in posting:
        if t in phrase_parts:
            pairs.setdefault(t, set()).update(p for p in phrase_parts[t] if p != t)
    for longer in leading:
        for shorter in leading:
            if len(shorter) < len(longer) and shorter in longer:
                pairs.setdefault(longer, set()).add(shorter)
    least = {t: 1 if t in compounds else settings.phrase_min for t in posting if t in phrase_parts or t in coined}
    supers: dict[str, list[str]] = {}
    for longer, parts_of in pairs.items():
        for part in parts_of:
            supers.setdefault(part, []).append(longer)
    for part in sorted(supers, key=lambda t: (-len(people.get(t, ())), t)):
        if part not in posting:
            continue
        wider = [w for w in sorted(supers[part]) if w in posting and len(people[w]) >= least.get(w, 1)]
        absorbed = False
        best = max(wider, key=lambda w: (len(people[w] & people[part]), w), default=None)
        for word in wider:
            shared = len(people[word] & people[part])
            if word != best and shared >= settings.phrase_share * len(people[word]):
                _absorb(posting, people, part, word)  # a narrower topic inside this one (教育入学 in 教育)
                absorbed = True
        if best is None:
            continue
        shared = len(people[best] & people[part])
        if not absorbed and shared >= settings.phrase_share * len(people[part]):
            _absorb(posting, people, best, part)  # the phrase covers the word: it names the topic (食品安全)
        elif shared >= settings.phrase_share * len(people[best]):
            _absorb(posting, people, part, best)
    for phrase, fewest in least.items():
        if phrase in posting and len(people[phrase]) < fewest:
            del posting[phrase]


def _absorb(posting: dict[str, list[Merged]], people: dict[str, set[object]], keep: str, gone: str) -> None:
    seen = {id(m) for m in posting[keep]}
    posting[keep] = posting[keep] + [m for m in posting[gone] if id(m) not in seen]
    people[keep] = people[keep] | people[gone]
    del posting[gone]


def _shingles(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def representatives(items: list[Merged], wanted: int) -> tuple[str, ...]:
    """The most raised comments that differ from one another (character-pair overlap below one half)."""
    chosen: list[tuple[str, set[str]]] = []
    for m in sorted(items, key=lambda m: -len(m.raters))[:200]:
        grams = _shingles(m.text)
        if all(len(grams & g) / len(grams | g) < 0.5 for _, g in chosen):
            chosen.append((m.text, grams))
            if len(chosen) >= wanted:
                break
    return tuple(text for text, _ in chosen)


def issues_of(word: str, items: list[Merged], who: Who, generic: set[str], settings: Settings) -> tuple[Issue, ...]:
    """The distinct issues behind a hot word: its comments grouped by the most telling word they add, each
    issue counted by its people."""
    along: Counter[str] = Counter()
    for m in items:
        for t in m.terms:
            if t != word and t not in generic and word not in t:
                along[t] += len(who(m))
    left = list(items)
    everyone = sum(len(who(m)) for m in items)
    found: list[Issue] = []
    for other, _ in along.most_common():
        if len(found) >= settings.issues or not left:
            break
        group = [m for m in left if other in m.terms]
        size = len(_people(group, who))
        if size < max(settings.issue_min_comments, settings.issue_min_share * everyone):
            continue
        left = [m for m in left if other not in m.terms]
        found.append(Issue(_label(group, other), size, representatives(group, 3)))
    return tuple(found)


def _label(group: list[Merged], word: str) -> str:
    top = max(group, key=lambda m: len(m.raters))
    clauses = [c for c in CLAUSE.split(top.text) if word in c] or [top.text]
    return clauses[0].strip()[:60]
