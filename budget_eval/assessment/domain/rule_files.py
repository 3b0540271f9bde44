"""The typed declaration of assessment's rule files: rules/assessment.yaml (scoring), rules/indicators_*.yaml
(indicator templates) and rules/materials.yaml. Declared once: `rules check` validates the files against these
models, and the scoring code reads the validated models themselves (a `Policy[Num]` holds its plain value;
its source stays in the file's data, `sourced.numbers`).

A key added after the first version is declared with `added(since=N, default=…)`, so a file or a stored
snapshot written before it is still read (assessment_rules.SNAPSHOT_VERSION).
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, Protocol

from pydantic import Field, PrivateAttr, StrictBool, model_validator
from pydantic_core import PydanticCustomError

from budget_eval.platform.domain.rule_types import added, Choice, Head, Int, Num, Policy, Source, Strict, Text
from budget_eval.assessment.domain.expert_rules import ExpertsFile, Pledge, Specialty  # noqa: F401 (declared there)

METHODS = ("mean", "median", "trimmed_total")


class Band(Protocol):
    """A grade (by rate) or a conclusion (by total score), highest first."""

    @property
    def code(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def minimum(self) -> Decimal: ...


class GradeBand(Strict):
    label: Text
    min_rate: Policy[Num]

    @property
    def code(self) -> str:
        return self.label

    @property
    def minimum(self) -> Decimal:
        return self.min_rate


class ConclusionBand(Strict):
    code: Text
    label: Text
    min_total: Policy[Num]

    @property
    def minimum(self) -> Decimal:
        return self.min_total


class Aggregation(Strict):
    min_reviewers: Policy[Int]
    method: Literal["mean", "median", "trimmed_total"]
    trim_min_reviewers: Policy[Int]
    disagreement_share: Policy[Num]
    outlier_margin: Policy[Num]


class DuplicateWeights(Strict):
    name_weight: Policy[Num]
    text_weight: Policy[Num]


def _descending(bands: list[GradeBand] | list[ConclusionBand], key: str) -> None:
    minima = [b.minimum for b in bands]
    if minima != sorted(minima, reverse=True) or minima[-1] != 0:
        raise PydanticCustomError("bands", f"{key} 应按下限从高到低排列，且最后一档下限为 0")


class Listed(Strict):
    """A list of names with its source (the methods and procedure steps an assessor may record)."""

    source: Source
    items: list[Choice] = Field(min_length=1)

    def label(self, code: str) -> str:
        return next((c.label for c in self.items if c.code == code), code)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.items)


class AssessmentFile(Head):
    """rules/assessment.yaml: grades, conclusions, gates, aggregation; the scoring rules of a round."""

    kind: Literal["assessment"]
    templates: dict[str, Text] = Field(min_length=1)
    grades: list[GradeBand] = Field(min_length=1)  # highest first
    conclusions: list[ConclusionBand] = Field(min_length=1)  # highest first
    gate_conclusion: Text
    comment_below_grade: Text
    comment_at_full_marks: StrictBool
    aggregation: Aggregation
    sensitivity_weight_change: Policy[Num]
    duplicate_weights: DuplicateWeights
    trim_floor_reviewers: Policy[Int]  # trimmed_total never trims fewer sheets than this
    levels: list[Text] = Field(min_length=1)  # the rating levels of every criterion, best first
    duplicate_min_similarity: Policy[Num]
    default_review_days: Policy[Int]
    revision_conclusions: list[Text] = Field(default_factory=list)  # the department revises and resubmits
    meeting_conclusions: list[Text] = Field(default_factory=list)  # may go to the executive meeting
    # 审核要点 scoring (version 3): the categories whose rounds rate each 要点 by level (the others keep a free
    # number per indicator), each level's share of a 要点's points, the levels that need a comment, and the
    # word for "the materials do not allow a rating" (never a level, never 0 points)
    point_scoring: list[Text] = added(since=3, default=[])
    level_rates: dict[str, Policy[Num]] = added(since=3, default={})
    comment_levels: list[Text] = added(since=3, default=[])
    insufficient: Text = added(since=3, default="依据不足")
    # the methods and procedure steps an assessor may record as used / taken (version 3)
    methods: Listed | None = added(since=3, default=None)
    procedure_steps: Listed | None = added(since=3, default=None)

    @model_validator(mode="after")
    def _consistent(self) -> AssessmentFile:
        if self.level_rates:
            if list(self.level_rates) != list(self.levels):
                raise PydanticCustomError("levels", "level_rates 应按 levels 的顺序为每一档给出得分率")
            rates = list(self.level_rates.values())
            if rates != sorted(rates, reverse=True) or not all(0 <= r <= 1 for r in rates):
                raise PydanticCustomError("levels", "level_rates 的得分率应在0至1之间，且从高档到低档不升")
        if not set(self.comment_levels) <= set(self.levels):
            raise PydanticCustomError("levels", "comment_levels 中有不在 levels 中的档次")
        if self.insufficient in self.levels:
            raise PydanticCustomError("levels", "insufficient（依据不足）不能是评分档次之一")
        _descending(self.grades, "grades")
        _descending(self.conclusions, "conclusions")
        codes = {c.code for c in self.conclusions}
        if self.gate_conclusion not in codes:
            raise PydanticCustomError("gate", f"gate_conclusion {self.gate_conclusion} 不在 conclusions 中")
        if self.comment_below_grade not in {g.label for g in self.grades}:
            raise PydanticCustomError("grade", f"comment_below_grade {self.comment_below_grade} 不在 grades 中")
        for key in ("revision_conclusions", "meeting_conclusions"):
            if not set(getattr(self, key)) <= codes:
                raise PydanticCustomError("flow", f"{key} 中有不在 conclusions 中的结论")
        return self

    # the names the scoring code reads
    @property
    def method(self) -> str:
        return self.aggregation.method

    @property
    def trim_min_reviewers(self) -> int:
        return self.aggregation.trim_min_reviewers

    @property
    def disagreement_share(self) -> Decimal:
        return self.aggregation.disagreement_share

    @property
    def outlier_margin(self) -> Decimal:
        return self.aggregation.outlier_margin

    @property
    def min_reviewers(self) -> int:  # submitted sheets needed before a conclusion
        return max(1, self.aggregation.min_reviewers)

    @property
    def trim_floor(self) -> int:
        return self.trim_floor_reviewers

    @property
    def name_weight(self) -> Decimal:  # duplicate search: weight of name similarity
        return self.duplicate_weights.name_weight

    @property
    def text_weight(self) -> Decimal:  # … and of content similarity
        return self.duplicate_weights.text_weight

    def conclusion(self, code: str) -> ConclusionBand:
        return next(c for c in self.conclusions if c.code == code)

    def level_points(self, level: str, points: Decimal) -> Decimal | None:
        """A 要点's points for a level (rounded to 0.01); None for 依据不足 (no points, not 0)."""
        if level == self.insufficient:
            return None
        return (points * self.level_rates[level]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class AuditPoint(Strict):
    """审核要点: one question of an indicator, rated by level; its points are a share of the indicator's."""

    code: Text
    question: Text
    points: Policy[Num]
    _key: str = PrivateAttr(default="")

    @property
    def key(self) -> str:
        """'<dimension>.<indicator>.<point>'."""
        return self._key


class Indicator(Strict):
    code: Text
    label: Text
    points: Policy[Num]
    gate: Policy[Num] | None = None  # an aggregated score below this forces the gate conclusion
    criteria: Text
    rubric: dict[str, Text]  # level → what earns it (优/良/中/差)
    audit_points: list[AuditPoint] = added(since=3, default=[])  # 审核要点 (empty: scored as one number)
    _key: str = PrivateAttr(default="")

    @model_validator(mode="after")
    def _points(self) -> Indicator:
        if self.points <= 0 or (self.gate is not None and not 0 < self.gate <= self.points):
            raise PydanticCustomError("points", f"指标 {self.code} 的分值或门槛无效")
        if self.audit_points and sum((p.points for p in self.audit_points), Decimal(0)) != self.points:
            raise PydanticCustomError("points", f"指标 {self.code} 的审核要点分值之和应等于指标分值")
        if len({p.code for p in self.audit_points}) != len(self.audit_points):
            raise PydanticCustomError("points", f"指标 {self.code} 的审核要点代码重复")
        return self

    @property
    def key(self) -> str:
        """'<dimension code>.<indicator code>', unique within a template."""
        return self._key


class Dimension(Strict):
    code: Text
    label: Text
    indicators: list[Indicator] = Field(min_length=1)

    @model_validator(mode="after")
    def _keys(self) -> Dimension:
        for indicator in self.indicators:
            indicator._key = f"{self.code}.{indicator.code}"
            for point in indicator.audit_points:
                point._key = f"{indicator._key}.{point.code}"
        return self

    @property
    def points(self) -> Decimal:
        return sum((i.points for i in self.indicators), Decimal(0))


class IndicatorsFile(Head):
    """rules/indicators_*.yaml: an indicator template (dimensions, indicators, points, gates, rubrics)."""

    kind: Literal["indicators"]
    dimensions: list[Dimension] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> IndicatorsFile:
        keys = [i.key for i in self.indicators]
        if len(set(keys)) != len(keys):
            raise PydanticCustomError("keys", "指标代码重复")
        return self

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for d in self.dimensions for i in d.indicators)

    @property
    def points(self) -> Decimal:
        return sum((d.points for d in self.dimensions), Decimal(0))

    def indicator(self, key: str) -> Indicator:
        return next(i for i in self.indicators if i.key == key)

    @property
    def audit_points(self) -> tuple[AuditPoint, ...]:
        return tuple(p for i in self.indicators for p in i.audit_points)


class Material(Strict):
    code: Text
    label: Text
    required: StrictBool


class MaterialsFile(Head):
    kind: Literal["materials"]
    project: list[Material] = Field(min_length=1)
    policy: list[Material] = Field(min_length=1)
    checklist_for: dict[str, Literal["project", "policy"]] = Field(min_length=1)


ScoringRules = AssessmentFile
Template = IndicatorsFile
MaterialSpec = Material


SCHEMAS: dict[str, type[Head]] = {"assessment": AssessmentFile, "indicators": IndicatorsFile, "materials": MaterialsFile,
                                  "experts": ExpertsFile}
