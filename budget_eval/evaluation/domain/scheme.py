"""Departmental evaluation schemes (部门综合考评方案) as data: components, bonus and deduction caps, veto
items, groups, survey scoring and grading rules. Files live in rules/schemes/.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from budget_eval.platform.domain.ruleset import decimal_field, read_rules, RuleError, text_field
from budget_eval.platform.domain.sourced import unwrap

SOURCES = ("targets", "survey", "leadership", "manual")
METHODS = ("quota", "thresholds")


@dataclass(frozen=True)
class Component:
    code: str
    label: str
    points: Decimal
    source: str  # where its rate comes from: targets / survey / leadership / manual


@dataclass(frozen=True)
class Grade:
    label: str
    quota: Decimal | None = None  # quota method: share of the group, by rank
    min_total: Decimal | None = None  # thresholds method


@dataclass(frozen=True)
class SurveyRules:
    answers: dict[str, Decimal]  # answer → score
    unknown: tuple[str, ...]  # answers left out (不了解)
    satisfied: tuple[str, ...]  # answers counted as satisfied
    groups: dict[str, Decimal]  # respondent group → weight


@dataclass(frozen=True)
class Scheme:
    code: str
    name: str
    version: str
    components: tuple[Component, ...]
    bonus_label: str
    bonus_cap: Decimal
    deduction_label: str
    deduction_cap: Decimal
    veto_items: tuple[str, ...]
    veto_blocks: tuple[str, ...]  # grades a department with a veto event cannot get
    groups: tuple[tuple[str, str], ...]  # (code, label)
    survey: SurveyRules
    method: str
    pass_line: Decimal | None
    grades: tuple[Grade, ...]
    appeal_days: int
    adjust_this_year: tuple[str, ...]
    adjust_consecutive: tuple[str, ...]
    adjust_years: int
    raw: dict
    promotion_grade: str = ""  # 专项晋优: the grade a nominated unit may be raised to, beyond the quota
    promotion_places: int = 0  # … at most this many per group
    unranked: tuple[str, ...] = ()  # 单列: units scored but not ranked or graded (by name)

    @property
    def points(self) -> Decimal:
        return sum((c.points for c in self.components), Decimal(0))

    def group_label(self, code: str) -> str:
        return dict(self.groups).get(code, code)

    def component(self, source: str) -> Component | None:
        return next((c for c in self.components if c.source == source), None)

    def __hash__(self) -> int:  # raw is a dict; the version (with content hash) identifies the scheme
        return hash((self.code, self.version))


def load_scheme(path: Path) -> Scheme:
    raw, version = read_rules(path, "evaluation_scheme", plain=False)
    return scheme_from_data(raw, version, str(path))


def scheme_from_data(raw: dict, version: str, where: str = "考评方案存档") -> Scheme:
    data = unwrap(raw)
    components = tuple(
        Component(text_field(c, "code", where), text_field(c, "label", where), decimal_field(c, "points", where),
                  _choice(c, "source", SOURCES, where))
        for c in _list(data, "components", where)
    )
    survey = data.get("survey") or {}
    answers = {str(k): decimal_field(survey.get("answers") or {}, k, where) for k in (survey.get("answers") or {})}
    groups = {str(k): decimal_field(survey.get("groups") or {}, k, where) for k in (survey.get("groups") or {})}
    if not answers or not groups:
        raise RuleError(f"{where}: survey 应有 answers 与 groups")
    grading = data.get("grading") or {}
    method = _choice(grading, "method", METHODS, where)
    grades = tuple(
        Grade(text_field(g, "label", where),
              decimal_field(g, "quota", where) if g.get("quota") is not None else None,
              decimal_field(g, "min_total", where) if g.get("min_total") is not None else None)
        for g in _list(grading, "grades", where)
    )
    if method == "thresholds" and any(g.min_total is None for g in grades):
        raise RuleError(f"{where}: thresholds 方法的每个等级应有 min_total")
    if method == "quota" and (grading.get("pass_line") is None or len(grades) < 2
                              or grades[-1].quota is not None or grades[-2].quota is not None):
        raise RuleError(f"{where}: quota 方法应有 pass_line，且最后两档不设名额")
    adjust = data.get("leadership_adjustment") or {}
    bonus, deduction = data.get("bonus") or {}, data.get("deduction") or {}
    promotion = data.get("special_promotion") or {}
    if promotion and promotion.get("grade") not in {g.label for g in grades}:
        raise RuleError(f"{where}: special_promotion.grade 应为 grading.grades 中的等级")
    return Scheme(
        code=text_field(data, "code", where),
        name=text_field(data, "name", where),
        version=version,
        components=components,
        bonus_label=str(bonus.get("label", "加分")),
        bonus_cap=decimal_field(bonus, "cap", where) if bonus else Decimal(0),
        deduction_label=str(deduction.get("label", "扣分")),
        deduction_cap=decimal_field(deduction, "cap", where) if deduction else Decimal(0),
        veto_items=tuple(str(v) for v in data.get("veto_items") or ()),
        veto_blocks=tuple(str(v) for v in data.get("veto_blocks") or ()),
        groups=tuple((text_field(g, "code", where), text_field(g, "label", where)) for g in _list(data, "groups", where)),
        survey=SurveyRules(answers, tuple(survey.get("unknown") or ()), tuple(survey.get("satisfied") or ()), groups),
        method=method,
        pass_line=decimal_field(grading, "pass_line", where) if grading.get("pass_line") is not None else None,
        grades=grades,
        appeal_days=int(data.get("appeal_days", 0)),
        adjust_this_year=tuple(adjust.get("this_year") or ()),
        adjust_consecutive=tuple(adjust.get("consecutive") or ()),
        adjust_years=int(adjust.get("years", 0)),
        raw=raw,
        promotion_grade=str(promotion.get("grade", "")),
        promotion_places=int(promotion.get("places", 0)),
        unranked=tuple(str(u) for u in data.get("unranked_units") or ()),
    )


def _list(data: dict, key: str, where: str) -> list:
    value = data.get(key)
    if not isinstance(value, list) or not value:
        raise RuleError(f"{where}: {key} 应为非空列表")
    return value


def _choice(data: dict, key: str, allowed: tuple[str, ...], where: str) -> str:
    value = data.get(key)
    if value not in allowed:
        raise RuleError(f"{where}: {key} 应为 {' / '.join(allowed)} 之一")
    return value
