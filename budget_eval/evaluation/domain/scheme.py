"""Departmental evaluation schemes (部门综合考评方案, rules/schemes/*.yaml) as data: components, bonus and
deduction caps, veto items, groups, survey scoring and grading rules. Declared once: `rules check` validates
the files against `Scheme`, and the scoring code reads the validated model itself (a `Policy[Num]` holds its
plain value; the file's data as written, sources beside the values, is `Scheme.raw`).

A year stores the scheme it opened with (`Scheme.snapshot()`, stamped with SNAPSHOT_VERSION) and reads it
back with `from_snapshot`, whatever rules/schemes says today. Keys added after the first version are declared
with `added(since=…, default=…)`: a snapshot stored before them (no `schema_version`: version 1) gets their
defaults; one from a newer version is refused.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from budget_eval.platform.domain.rule_types import added, Choice, Head, Int, Items, Num, Policy, Strict, Text, Written
from budget_eval.platform.domain.ruleset import loaded, model_of, read_model
from budget_eval.platform.domain.snapshots import numbers_from_text, schema_version, stamped, VERSION_KEY

SOURCES = ("targets", "survey", "leadership", "manual")
METHODS = ("quota", "thresholds")


class Component(Strict):
    code: Text
    label: Text
    points: Policy[Num]
    source: Literal["targets", "survey", "leadership", "manual"]  # where its rate comes from


class Cap(Strict):
    label: Text
    cap: Policy[Num]


class SurveyRules(Strict):
    answers: Policy[dict[str, Num]]  # answer → score
    unknown: Items[Text] = ()  # answers left out (不了解)
    satisfied: Items[Text] = ()  # answers counted as satisfied
    groups: Policy[dict[str, Num]]  # respondent group → weight

    @model_validator(mode="after")
    def _both(self) -> SurveyRules:
        if not self.answers or not self.groups:
            raise PydanticCustomError("survey", "survey 应有 answers 与 groups")
        return self


class Grade(Strict):
    label: Text
    quota: Policy[Num] | None = None  # quota method: share of the group, by rank
    min_total: Policy[Num] | None = None  # thresholds method


class Grading(Strict):
    method: Literal["quota", "thresholds"]
    pass_line: Policy[Num] | None = None
    grades: Items[Grade] = Field(min_length=2)

    @model_validator(mode="after")
    def _method(self) -> Grading:
        if self.method == "thresholds" and any(g.min_total is None for g in self.grades):
            raise PydanticCustomError("grading", "thresholds 方法的每个等级应有 min_total")
        if self.method == "quota" and (self.pass_line is None or self.grades[-1].quota is not None
                                       or self.grades[-2].quota is not None):
            raise PydanticCustomError("grading", "quota 方法应有 pass_line，且最后两档不设名额")
        return self


class SupervisionCarry(Strict):
    lead_weight: Policy[Num]
    support_weight: Policy[Num]
    results: Policy[dict[str, Num]]


class Adjustment(Strict):
    this_year: Items[Text] = ()
    consecutive: Items[Text] = ()
    years: Policy[Int] | None = None


class Promotion(Strict):
    grade: Text
    places: Policy[Int]


class Scheme(Written):
    kind: Literal["evaluation_scheme"]
    code: Text
    components: Items[Component] = Field(min_length=1)
    bonus: Cap | None = None
    deduction: Cap | None = None
    veto_items: Items[Text] = ()
    veto_blocks: Items[Text] = ()  # grades a department with a veto event cannot get
    group_choices: Items[Choice] = Field(alias="groups", min_length=1)
    survey: SurveyRules
    grading: Grading
    appeal_days: Policy[Int]
    leadership_adjustment: Adjustment
    # version 2: added after the first years were stored (专项晋优, 单列, 跟踪督办 carried into next year)
    special_promotion: Promotion | None = added(since=2, default=None)
    unranked_units: Items[Text] = added(since=2, default=())  # 单列: scored but not ranked or graded (by name)
    supervision: SupervisionCarry | None = added(since=2, default=None)

    @model_validator(mode="after")
    def _promotion(self) -> Scheme:
        if self.special_promotion and self.special_promotion.grade not in {g.label for g in self.grades}:
            raise PydanticCustomError("promotion", "special_promotion.grade 应为 grading.grades 中的等级")
        return self

    def __hash__(self) -> int:  # raw is a dict; the version (with content hash) identifies the scheme
        return hash((self.code, self.version))

    def snapshot(self) -> dict[str, Any]:
        """What a year stores when it opens: the file as written, stamped with the schema version."""
        return stamped(self.raw, SNAPSHOT_VERSION)

    # the names the scoring code reads
    @property
    def groups(self) -> tuple[tuple[str, str], ...]:  # (code, label)
        return tuple((g.code, g.label) for g in self.group_choices)

    @property
    def points(self) -> Decimal:
        return sum((c.points for c in self.components), Decimal(0))

    @property
    def bonus_label(self) -> str:
        return self.bonus.label if self.bonus else "加分"

    @property
    def bonus_cap(self) -> Decimal:
        return self.bonus.cap if self.bonus else Decimal(0)

    @property
    def deduction_label(self) -> str:
        return self.deduction.label if self.deduction else "扣分"

    @property
    def deduction_cap(self) -> Decimal:
        return self.deduction.cap if self.deduction else Decimal(0)

    @property
    def method(self) -> str:
        return self.grading.method

    @property
    def pass_line(self) -> Decimal | None:
        return self.grading.pass_line

    @property
    def grades(self) -> tuple[Grade, ...]:
        return self.grading.grades

    @property
    def adjust_this_year(self) -> tuple[str, ...]:
        return self.leadership_adjustment.this_year

    @property
    def adjust_consecutive(self) -> tuple[str, ...]:
        return self.leadership_adjustment.consecutive

    @property
    def adjust_years(self) -> int:
        return self.leadership_adjustment.years or 0

    @property
    def promotion_grade(self) -> str:  # 专项晋优: the grade a nominated unit may be raised to, beyond the quota
        return self.special_promotion.grade if self.special_promotion else ""

    @property
    def promotion_places(self) -> int:  # … at most this many per group
        return self.special_promotion.places if self.special_promotion else 0

    @property
    def unranked(self) -> tuple[str, ...]:
        return self.unranked_units

    def group_label(self, code: str) -> str:
        return dict(self.groups).get(code, code)

    def component(self, source: str) -> Component | None:
        return next((c for c in self.components if c.source == source), None)


SCHEMAS: dict[str, type[Head]] = {"evaluation_scheme": Scheme}
SNAPSHOT_VERSION = schema_version(Scheme)
# the first schemes (version 1, before the schema was strict) wrote these numbers as text ("45"); their loader
# read them as numbers, and so does a year stored with them
V1_TEXT_NUMBERS = ("components[].points", "bonus.cap", "deduction.cap", "survey.answers.*", "survey.groups.*",
                   "grading.pass_line", "grading.grades[].quota", "grading.grades[].min_total")


def load_scheme(path: Path) -> Scheme:
    scheme, _, version = read_model(path, Scheme)
    return loaded(scheme, version)


def from_snapshot(raw: dict[str, Any], version: str, where: str = "考评方案存档") -> Scheme:
    """The scheme a year stored (any schema version up to SNAPSHOT_VERSION); `version` is the file's version
    with its content hash, as stored beside it."""
    if raw.get(VERSION_KEY, 1) == 1:
        raw = numbers_from_text(raw, V1_TEXT_NUMBERS)
    return loaded(model_of(raw, where, Scheme), version)  # a newer schema_version is refused (RuleError)
