"""Departmental evaluation scoring: components, bonus and deductions, ranking within groups, grades, veto
items and the leadership-adjustment flag. Plain data in, plain data out; the scheme says every number.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from budget_eval.evaluation.domain.scheme import Scheme

TWO = Decimal("0.01")
HUNDRED = Decimal(100)


def q(value: Decimal) -> Decimal:
    return value.quantize(TWO, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class TargetScore:
    weight: Decimal
    score: Decimal | None  # 0–100 as scored by the office; None when not yet scored


def target_rate(targets: Sequence[TargetScore]) -> Decimal | None:
    """Weighted completion of the year's targets (绩效管理责任书), 0–1; None if nothing is scored."""
    scored = [(t.weight, t.score) for t in targets if t.score is not None]
    weight = sum((w for w, _ in scored), Decimal(0))
    if not scored or weight == 0:
        return None
    return sum((w * score for w, score in scored), Decimal(0)) / (weight * HUNDRED)


def leadership_rate(scores: Sequence[Decimal]) -> Decimal | None:
    """Mean of the leaders' scores (0–100) as a rate."""
    return sum(scores, Decimal(0)) / (len(scores) * HUNDRED) if scores else None


@dataclass(frozen=True)
class Entry:
    department: int
    name: str
    group: str
    rates: Mapping[str, Decimal | None]  # component code → rate 0–1 (None: no data, counts as 0)
    bonus: Decimal = Decimal(0)
    deduction: Decimal = Decimal(0)
    vetoes: tuple[str, ...] = ()
    history: tuple[str, ...] = ()  # earlier years' grades, the latest first
    adjustment: Decimal = Decimal(0)  # corrections decided on appeal, added to the total
    promoted: bool = False  # nominated by the office for 专项晋优 (special promotion)


@dataclass(frozen=True)
class Result:
    department: int
    name: str
    group: str
    components: dict[str, Decimal]
    bonus: Decimal
    deduction: Decimal
    total: Decimal
    rank: int = 0
    group_size: int = 0
    grade: str = ""
    adjust_leadership: bool = False
    notes: tuple[str, ...] = field(default=())


def evaluate(entries: Sequence[Entry], scheme: Scheme) -> list[Result]:
    """Score, rank within each group, grade, and flag; results in group order, then rank."""
    scored = [_score(e, scheme) for e in entries]
    by_department = {e.department: e for e in entries}
    results = []
    for code, _ in scheme.groups:
        group = sorted((r for r in scored if r.group == code), key=lambda r: (-r.total, r.name))
        ranked = [r for r in group if r.name not in scheme.unranked]
        graded = _promote(_grade_group(_rank(ranked), by_department, scheme), by_department, scheme)
        apart = [_with(r, notes=(*r.notes, "单列：计分不排名、不评等级")) for r in group if r.name in scheme.unranked]
        results += graded + apart
    unknown = [r for r in scored if r.group not in dict(scheme.groups)]
    if unknown:
        raise ValueError("未知的考评组别：" + "、".join(sorted({r.group for r in unknown})))
    return results


def _score(entry: Entry, scheme: Scheme) -> Result:
    components, notes = {}, []
    for component in scheme.components:
        rate = entry.rates.get(component.code)
        if rate is None:
            notes.append(f"{component.label}暂无数据，按0分计")
            rate = Decimal(0)
        components[component.code] = q(min(max(rate, Decimal(0)), Decimal(1)) * component.points)
    bonus = min(entry.bonus, scheme.bonus_cap)
    deduction = min(entry.deduction, scheme.deduction_cap)
    if entry.bonus > scheme.bonus_cap:
        notes.append(f"{scheme.bonus_label}超过上限，按{scheme.bonus_cap}分计")
    total = q(sum(components.values(), Decimal(0)) + bonus - deduction + entry.adjustment)
    if entry.adjustment:
        notes.append(f"申诉调整{entry.adjustment:+}分")
    return Result(entry.department, entry.name, entry.group, components, q(bonus), q(deduction), total,
                  notes=tuple(notes))


def _rank(group: list[Result]) -> list[Result]:
    """Competition ranking: equal totals share a rank (1, 2, 2, 4)."""
    ranked, previous = [], None
    for position, result in enumerate(group, 1):
        rank = previous.rank if previous is not None and previous.total == result.total else position
        previous = _with(result, rank=rank, group_size=len(group))
        ranked.append(previous)
    return ranked


def _grade_group(group: list[Result], entries: Mapping[int, Entry], scheme: Scheme) -> list[Result]:
    graded: list[Result] = []
    if scheme.method == "quota":
        pass_line = scheme.pass_line
        if pass_line is None:  # the scheme reader refuses a quota scheme without one
            raise ValueError(f"{scheme.name}: quota 方法应有 pass_line")
        slots = [None if g.quota is None else int((g.quota * len(group)).quantize(Decimal(1), ROUND_HALF_UP))
                 for g in scheme.grades]
        used = [0] * len(scheme.grades)
        last = len(scheme.grades) - 1
        for result in group:
            entry = entries[result.department]
            if result.total < pass_line:
                level = last
            else:
                tied = next((g for g in graded if g.total == result.total), None)
                level = _level_of(tied.grade, scheme) if tied else 0
                while level < last - 1 and (
                    ((slot := slots[level]) is not None and used[level] >= slot and not tied)
                    or _blocked(scheme.grades[level].label, entry, scheme)
                ):
                    level, tied = level + 1, None
            used[level] += 1
            graded.append(_finish(result, scheme.grades[level].label, entry, scheme))
    else:
        for result in group:
            entry = entries[result.department]
            # every grade has its min_total under this method (the scheme reader checks)
            level = next(i for i, g in enumerate(scheme.grades)
                         if g.min_total is not None and result.total >= g.min_total)
            while level < len(scheme.grades) - 1 and _blocked(scheme.grades[level].label, entry, scheme):
                level += 1
            graded.append(_finish(result, scheme.grades[level].label, entry, scheme))
    return graded


LEADERSHIP_NOTE = "建议组织部门调整其单位领导工作岗位"  # the seed's words (种子材料004)


def _promote(group: list[Result], entries: Mapping[int, Entry], scheme: Scheme) -> list[Result]:
    """专项晋优: nominated units that passed and have no veto rise to the scheme's grade, beyond the quota,
    best ranked first, at most the scheme's places per group."""
    if not scheme.promotion_grade or not scheme.promotion_places:
        return group
    target = _level_of(scheme.promotion_grade, scheme)
    last = len(scheme.grades) - 1
    places, promoted = scheme.promotion_places, []
    for result in group:
        entry = entries[result.department]
        level = _level_of(result.grade, scheme)
        if places and entry.promoted and target < level < last and not _blocked(scheme.promotion_grade, entry, scheme):
            places -= 1
            result = _with(result, grade=scheme.promotion_grade, notes=(*result.notes, "专项晋优"))
        promoted.append(result)
    return promoted


def _level_of(label: str, scheme: Scheme) -> int:
    return next(i for i, g in enumerate(scheme.grades) if g.label == label)


def _blocked(label: str, entry: Entry, scheme: Scheme) -> bool:
    """A veto event bars the department from the grades the scheme names."""
    return bool(entry.vetoes) and label in scheme.veto_blocks


def _finish(result: Result, grade: str, entry: Entry, scheme: Scheme) -> Result:
    notes = list(result.notes)
    if entry.vetoes:
        notes.append("发生否决事项：" + "、".join(entry.vetoes))
    adjust = grade in scheme.adjust_this_year
    years = scheme.adjust_years
    if not adjust and years >= 2 and grade in scheme.adjust_consecutive:
        earlier = entry.history[: years - 1]
        adjust = len(earlier) == years - 1 and all(g in scheme.adjust_consecutive for g in earlier)
    if adjust:
        notes.append(LEADERSHIP_NOTE)
    return _with(result, grade=grade, adjust_leadership=adjust, notes=tuple(notes))


def _with(result: Result, **changes: object) -> Result:
    return Result(**{**result.__dict__, **changes})
