"""Threshold splitting (疑似拆分): proposals of one department within a window, alike in name, place, purpose
or output targets, each under the art. 5 threshold and together at or over it. Pure: the proposals and the
rule (rules/economy.yaml `splitting`) come in; groups with their evidence come out.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Item:
    id: int
    department_id: int
    name: str
    on: date  # submitted (or created)
    amount_wan: Decimal  # the amount compared with the threshold
    threshold_wan: Decimal | None  # its category's threshold (None: no threshold applies)
    purpose: str = ""  # 立项依据 / 实施方案 text
    targets: tuple[str, ...] = ()  # 产出 target names


@dataclass(frozen=True)
class Rule:
    window_days: int
    name_similarity: Decimal  # character-bigram Jaccard of the names, generic words removed
    purpose_similarity: Decimal
    generic_words: tuple[str, ...]  # 项目, 工程, 建设 …: taken out before comparing names
    place_suffixes: tuple[str, ...]  # 路, 街道, 镇, 村 …: a place name ends with one
    not_before: tuple[str, ...] = ()  # … not followed by one of these (路面, 桥梁): a common word, not a place


@dataclass(frozen=True)
class Group:
    ids: tuple[int, ...]
    total_wan: Decimal
    threshold_wan: Decimal
    evidence: tuple[str, ...]


def _clean(text: str, generic: Sequence[str] = ()) -> str:
    text = unicodedata.normalize("NFKC", text)
    for word in generic:
        text = text.replace(word, "")
    return re.sub(r"[\s\d\W_]+", "", text)


def bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} if len(text) > 1 else ({text} if text else set())


def jaccard(a: set[str], b: set[str]) -> Decimal:
    if not a or not b:
        return Decimal(0)
    return Decimal(len(a & b)) / Decimal(len(a | b))


def places(text: str, suffixes: Sequence[str], not_before: Sequence[str] = ()) -> set[str]:
    """Candidate place names: two to six CJK characters ending with a place suffix (文一路, 五常街道), the suffix not
    followed by a character that makes it a common word (路面). Every candidate length is kept; `shared_places`
    picks the names two texts have in common."""
    if not suffixes:
        return set()
    text = unicodedata.normalize("NFKC", text)
    found = set()
    for suffix in sorted(suffixes, key=len, reverse=True):
        for match in re.finditer(re.escape(suffix), text):
            end = match.end()
            if end < len(text) and text[end] in not_before:
                continue
            for length in range(2, 7):
                start = match.start() - length
                core = text[max(start, 0):match.start()]
                if start < 0 or not re.fullmatch(r"[\u4e00-\u9fff]+", core):
                    break
                found.add(core + suffix)
    return found


def shared_places(a: set[str], b: set[str]) -> set[str]:
    """The place names in both: the shortest form of each (五常街道, not 西湖区五常街道 or 改善五常街道)."""
    both = a & b
    return {p for p in both if not any(q != p and p.endswith(q) for q in both)}


def alike(a: Item, b: Item, rule: Rule) -> list[str]:
    """Why two proposals look like parts of one: each reason in words, or nothing."""
    reasons = []
    name = jaccard(bigrams(_clean(a.name, rule.generic_words)), bigrams(_clean(b.name, rule.generic_words)))
    if name >= rule.name_similarity:
        reasons.append(f"名称相近（相似度{name:.2f}）：“{a.name}”与“{b.name}”")
    same_places = shared_places(places(f"{a.name}\n{a.purpose}", rule.place_suffixes, rule.not_before),
                                places(f"{b.name}\n{b.purpose}", rule.place_suffixes, rule.not_before))
    if same_places:
        reasons.append(f"地点相同：{'、'.join(sorted(same_places))}")
    purpose = jaccard(bigrams(_clean(a.purpose)), bigrams(_clean(b.purpose)))
    if a.purpose.strip() and b.purpose.strip() and purpose >= rule.purpose_similarity:
        reasons.append(f"用途相近（立项依据及实施方案相似度{purpose:.2f}）")
    shared_targets = {t.strip() for t in a.targets if t.strip()} & {t.strip() for t in b.targets if t.strip()}
    if shared_targets:
        reasons.append(f"产出指标相同：{'、'.join(sorted(shared_targets))}")
    return reasons


def suspected_splits(item: Item, others: Sequence[Item], rule: Rule) -> Group | None:
    """The group `item` forms with the alike proposals of its department in the window (each under the
    threshold), when together they reach the threshold; None otherwise."""
    threshold = item.threshold_wan
    if threshold is None or item.amount_wan >= threshold:
        return None
    members: list[Item] = []
    evidence: list[str] = []
    for other in sorted(others, key=lambda o: o.id):
        if other.id == item.id or other.department_id != item.department_id:
            continue
        if abs((other.on - item.on).days) > rule.window_days or other.amount_wan >= threshold:
            continue
        reasons = alike(item, other, rule)
        if reasons:
            members.append(other)
            evidence.append(f"与“{other.name}”（{other.amount_wan}万元，{other.on.isoformat()}）：" + "；".join(reasons))
    total = item.amount_wan + sum((m.amount_wan for m in members), Decimal(0))
    if not members or total < threshold:
        return None
    return Group(tuple(sorted([item.id, *(m.id for m in members)])), total, threshold, tuple(evidence))
