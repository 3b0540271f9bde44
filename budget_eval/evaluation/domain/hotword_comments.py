"""The comments a hot-word analysis reads and step 1 of hotwords.py: identical texts grouped (normalise, merge),
every rater who wrote one kept."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

IGNORED = re.compile(r"[\s\W_]|[了的啊呀吧呢嘛哦么]", re.UNICODE)


def normalise(text: str) -> str:
    """The key under which near-identical comments merge."""
    return IGNORED.sub("", unicodedata.normalize("NFKC", text).lower())


@dataclass
class Merged:
    """Identical comments grouped for display and segmented once; every rater who wrote the text is kept, since
    what a topic counts is people, not texts."""

    text: str
    key: str = ""  # the normalised text (what identical comments share)
    ids: list[object] = field(default_factory=list)  # the comments' ids (Comment.id)
    units: dict[str, int] = field(default_factory=dict)
    raters: set[object] = field(default_factory=set)  # who wrote them (the rater, or the comment's id)
    unit_raters: dict[str, set[object]] = field(default_factory=dict)  # per unit, who wrote them there
    groups: dict[str, int] = field(default_factory=dict)
    terms: frozenset[str] = frozenset()
    praise: bool = False

    @property
    def people(self) -> int:
        return len(self.raters)


@dataclass(frozen=True)
class Comment:
    id: object
    unit: str
    text: str
    rater: str = ""
    group: str = ""


def merge(comments: Iterable[Comment]) -> list[Merged]:
    """Identical comments grouped, in order of first appearance; blank ones are left out. A rater who wrote the
    same text twice is one person; different raters who wrote it are each a person."""
    merged: dict[str, Merged] = {}
    for c in comments:
        if not c.text or not c.text.strip():
            continue
        key = normalise(c.text)
        if not key:
            continue
        item = merged.get(key)
        if item is None:
            item = merged[key] = Merged(text=c.text.strip(), key=key)
        who = c.rater or c.id
        item.ids.append(c.id)
        item.units[c.unit] = item.units.get(c.unit, 0) + 1
        item.raters.add(who)
        item.unit_raters.setdefault(c.unit, set()).add(who)
        if c.group:
            item.groups[c.group] = item.groups.get(c.group, 0) + 1
    return list(merged.values())
