"""Drawing an expert panel from the pool (专家库随机抽取): who may be drawn, why each other one may not, and
the draw itself — deterministic given its seed, so an auditor replays a stored draw and gets the same panel.

Pure: no Flask, no ORM. The operations (assessment.draws) build the candidates and the conflict context from
the database, store the seed, the eligible list and the exclusions with the draw, and ask `replay` to check it.
"""
from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Exclusion(StrEnum):
    """Why a pool member is not in the draw; each is stored with the draw beside the expert's id."""

    INACTIVE = "inactive"
    DEPARTMENT = "department"
    ORGANISATION = "organisation"
    DECLARED = "declared"
    EARLIER_PANEL = "earlier_panel"
    LOAD = "load"


EXCLUSION_LABELS = {
    Exclusion.INACTIVE: "已停用",
    Exclusion.DEPARTMENT: "所在单位为申报单位或其主管部门",
    Exclusion.ORGANISATION: "工作单位与申报单位或其主管部门相同",
    Exclusion.DECLARED: "本人申报须回避该单位",
    Exclusion.EARLIER_PANEL: "已在本项目的评审组中（含已回避、被更换的）",
    Exclusion.LOAD: "本年度评审次数已达上限",
}


class DrawError(ValueError):
    """A draw that cannot be made; the message is Chinese and fit for the user."""


@dataclass(frozen=True)
class Candidate:
    """An expert of the pool as the draw sees them."""

    id: int  # the pool record's id
    user_id: int
    active: bool
    specialties: frozenset[str]
    organisation: str
    department_id: int | None  # their login's department, if any
    avoid_department_ids: frozenset[int] = frozenset()
    avoid_organisations: tuple[str, ...] = ()
    load: int = 0  # panels sat on this year


@dataclass(frozen=True)
class Conflicts:
    """What the proposal's side brings: the conflicting departments (the applicant, its authority …) by id and
    name, and the users who have sat on any panel of this proposal."""

    department_ids: frozenset[int]
    department_names: frozenset[str]
    earlier_panel_user_ids: frozenset[int] = frozenset()
    load_limit: int = 0  # 0: no limit
    city: str = ""  # the city's name, dropped with 市 from the front of a unit's name before comparing


@dataclass(frozen=True)
class Draw:
    seed: int
    specialty: str
    size: int
    eligible: tuple[int, ...]  # sorted candidate ids
    excluded: Mapping[int, str] = field(default_factory=dict)  # candidate id → Exclusion value
    chosen: tuple[int, ...] = ()


def normalise(name: str, city: str = "") -> str:
    """A unit's name compared loosely: no spaces of either width, no "<city>市" or "市" prefix (the city's name
    is rules/reports.yaml's city_name)."""
    text = "".join(name.split()).replace("\u3000", "")
    for prefix in ((f"{city}市",) if city else ()) + ("市",):
        if text.startswith(prefix) and len(text) > len(prefix) + 1:
            return text[len(prefix):]
    return text


def same_unit(a: str, b: str, city: str = "") -> bool:
    left, right = normalise(a, city), normalise(b, city)
    return bool(left) and left == right


def exclusion(candidate: Candidate, conflicts: Conflicts) -> Exclusion | None:
    """The first reason this candidate may not sit on the panel, or None."""
    if not candidate.active:
        return Exclusion.INACTIVE
    if candidate.department_id is not None and candidate.department_id in conflicts.department_ids:
        return Exclusion.DEPARTMENT
    if any(same_unit(candidate.organisation, name, conflicts.city) for name in conflicts.department_names):
        return Exclusion.ORGANISATION
    if candidate.avoid_department_ids & conflicts.department_ids or any(
            same_unit(avoid, name, conflicts.city)
            for avoid in candidate.avoid_organisations for name in conflicts.department_names):
        return Exclusion.DECLARED
    if candidate.user_id in conflicts.earlier_panel_user_ids:
        return Exclusion.EARLIER_PANEL
    if conflicts.load_limit and candidate.load >= conflicts.load_limit:
        return Exclusion.LOAD
    return None


def pick(eligible: Iterable[int], size: int, seed: int) -> tuple[int, ...]:
    """`size` ids drawn from the sorted eligible ids with random.Random(seed): the same inputs, the same panel."""
    ordered = sorted(eligible)
    if size < 1:
        raise DrawError("抽取人数应至少为1人")
    if len(ordered) < size:
        raise DrawError(f"符合条件的专家只有{len(ordered)}名，不足{size}名，请调整专业领域或人数，或补充专家库")
    return tuple(random.Random(seed).sample(ordered, size))


def draw(candidates: Iterable[Candidate], conflicts: Conflicts, specialty: str, size: int, seed: int) -> Draw:
    """Draw `size` experts of `specialty` with no conflict; every other expert of that specialty is listed with
    the reason they were left out."""
    eligible, excluded = [], {}
    for candidate in sorted(candidates, key=lambda c: c.id):
        if specialty not in candidate.specialties:
            continue
        reason = exclusion(candidate, conflicts)
        if reason is None:
            eligible.append(candidate.id)
        else:
            excluded[candidate.id] = reason.value
    chosen = pick(eligible, size, seed)
    return Draw(seed=seed, specialty=specialty, size=size, eligible=tuple(eligible), excluded=excluded,
                chosen=chosen)


def replay(eligible: Iterable[int], size: int, seed: int, chosen: Iterable[int]) -> bool:
    """Whether the stored eligible list and seed give the stored panel again (the auditor's check)."""
    try:
        return pick(eligible, size, seed) == tuple(chosen)
    except DrawError:
        return False
