"""Assessment rules as data: indicator templates, grades, conclusion cut-offs, aggregation options, materials.

An assessment stores the raw rule data it started with (`snapshot()`), and `from_snapshot` rebuilds the
same rules later, so stored scores and conclusions are always read with the figures they were made with.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from budget_eval.platform.domain.ruleset import decimal_field, read_rules, RuleError, text_field
from budget_eval.platform.domain.sourced import unwrap



@dataclass(frozen=True)
class Indicator:
    key: str  # "<dimension code>.<indicator code>", unique within a template
    label: str
    points: Decimal
    criteria: str
    rubric: tuple[tuple[str, str], ...]  # (level, text) for 优/良/中/差
    gate: Decimal | None  # an aggregated score below this forces the gate conclusion


@dataclass(frozen=True)
class Dimension:
    code: str
    label: str
    indicators: tuple[Indicator, ...]

    @property
    def points(self) -> Decimal:
        return sum((i.points for i in self.indicators), Decimal(0))


@dataclass(frozen=True)
class Template:
    name: str
    version: str
    dimensions: tuple[Dimension, ...]

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for d in self.dimensions for i in d.indicators)

    @property
    def points(self) -> Decimal:
        return sum((d.points for d in self.dimensions), Decimal(0))

    def indicator(self, key: str) -> Indicator:
        return next(i for i in self.indicators if i.key == key)


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    minimum: Decimal  # a rate (grades) or a total score (conclusions)


@dataclass(frozen=True)
class ScoringRules:
    name: str
    version: str
    grades: tuple[Band, ...]  # highest first
    conclusions: tuple[Band, ...]  # highest first
    gate_conclusion: str
    comment_below_grade: str
    comment_at_full_marks: bool
    method: str  # mean | median | trimmed_total
    trim_min_reviewers: int
    disagreement_share: Decimal
    outlier_margin: Decimal
    sensitivity_weight_change: Decimal
    duplicate_min_similarity: Decimal
    default_review_days: int
    min_reviewers: int  # submitted sheets needed before a conclusion
    levels: tuple[str, ...]  # the rating levels of every criterion, best first (优/良/中/差)
    trim_floor: int  # trimmed_total never trims fewer sheets than this
    name_weight: Decimal  # duplicate search: weight of name similarity
    text_weight: Decimal  # … and of content similarity
    revision_conclusions: tuple[str, ...]  # conclusions after which the department revises and resubmits
    meeting_conclusions: tuple[str, ...]  # conclusions that may go to the executive meeting

    def conclusion(self, code: str) -> Band:
        return next(c for c in self.conclusions if c.code == code)


@dataclass(frozen=True)
class AssessmentRules:
    scoring: ScoringRules
    template: Template
    raw: dict  # the data both were read from, for storing with an assessment

    @property
    def version(self) -> str:
        return f"{self.scoring.version}/{self.template.version}"

    def snapshot(self) -> dict:
        return self.raw


@dataclass(frozen=True)
class MaterialSpec:
    code: str
    label: str
    required: bool


METHODS = ("mean", "median", "trimmed_total")



def load_assessment_rules(rules_dir: Path, category: str) -> AssessmentRules:
    """Read assessment.yaml and the indicator template it names for this category."""
    path = rules_dir / "assessment.yaml"
    scoring_data, scoring_version = read_rules(path, "assessment", plain=False)
    templates = scoring_data.get("templates") or {}
    if category not in templates:
        raise RuleError(f"{path}: templates 中没有类别 {category} 的指标体系")
    template_data, template_version = read_rules(rules_dir / str(templates[category]), "indicators", plain=False)
    raw = {
        "scoring": scoring_data,
        "scoring_version": scoring_version,
        "template": template_data,
        "template_version": template_version,
    }
    return from_snapshot(raw, where=str(path))


def from_snapshot(raw: dict, where: str = "评估存档") -> AssessmentRules:
    scoring = _scoring(unwrap(raw["scoring"]), raw["scoring_version"], where)
    levels = scoring.levels
    template = _template(unwrap(raw["template"]), raw["template_version"], where, levels)
    return AssessmentRules(scoring, template, raw)


def load_materials(path: Path, category: str) -> tuple[MaterialSpec, ...]:
    data, _ = read_rules(path, "materials")
    which = (data.get("checklist_for") or {}).get(category)
    items = data.get(which) if which else None
    if not isinstance(items, list) or not items:
        raise RuleError(f"{path}: 没有类别 {category} 的材料清单")
    return tuple(
        MaterialSpec(text_field(i, "code", path), text_field(i, "label", path), bool(i.get("required"))) for i in items
    )


def _scoring(data: dict, version: str, where) -> ScoringRules:
    grades = _bands(data, "grades", "min_rate", where, code_key="label")
    conclusions = _bands(data, "conclusions", "min_total", where)
    aggregation = data.get("aggregation") or {}
    weights = data.get("duplicate_weights") or {}
    levels = tuple(str(level) for level in data.get("levels") or ())
    if not levels:
        raise RuleError(f"{where}: 缺少 levels（评分等级）")
    method = aggregation.get("method")
    if method not in METHODS:
        raise RuleError(f"{where}: aggregation.method 应为 {' / '.join(METHODS)} 之一")
    gate = text_field(data, "gate_conclusion", where)
    if gate not in {c.code for c in conclusions}:
        raise RuleError(f"{where}: gate_conclusion {gate} 不在 conclusions 中")
    below = text_field(data, "comment_below_grade", where)
    if below not in {g.label for g in grades}:
        raise RuleError(f"{where}: comment_below_grade {below} 不在 grades 中")
    codes = {c.code for c in conclusions}
    flows = {key: tuple(data.get(key) or ()) for key in ("revision_conclusions", "meeting_conclusions")}
    for key, values in flows.items():
        if not set(values) <= codes:
            raise RuleError(f"{where}: {key} 中有不在 conclusions 中的结论")
    return ScoringRules(
        name=text_field(data, "name", where),
        version=version,
        grades=grades,
        conclusions=conclusions,
        gate_conclusion=gate,
        comment_below_grade=below,
        comment_at_full_marks=bool(data.get("comment_at_full_marks")),
        method=method,
        trim_min_reviewers=int(aggregation.get("trim_min_reviewers", 0)),
        disagreement_share=decimal_field(aggregation, "disagreement_share", where),
        outlier_margin=decimal_field(aggregation, "outlier_margin", where),
        sensitivity_weight_change=decimal_field(data, "sensitivity_weight_change", where),
        duplicate_min_similarity=decimal_field(data, "duplicate_min_similarity", where),
        default_review_days=int(data.get("default_review_days", 0)),
        min_reviewers=max(1, int(aggregation.get("min_reviewers", 1))),
        levels=levels,
        trim_floor=int(decimal_field(data, "trim_floor_reviewers", where)),
        name_weight=decimal_field(weights, "name_weight", where),
        text_weight=decimal_field(weights, "text_weight", where),
        revision_conclusions=flows["revision_conclusions"],
        meeting_conclusions=flows["meeting_conclusions"],
    )


def _bands(data: dict, key: str, minimum: str, where, code_key: str = "code") -> tuple[Band, ...]:
    items = data.get(key)
    if not isinstance(items, list) or not items:
        raise RuleError(f"{where}: {key} 应为非空列表")
    bands = tuple(
        Band(text_field(i, code_key, where), text_field(i, "label", where), decimal_field(i, minimum, where)) for i in items
    )
    if list(bands) != sorted(bands, key=lambda b: b.minimum, reverse=True) or bands[-1].minimum != 0:
        raise RuleError(f"{where}: {key} 应按下限从高到低排列，且最后一档下限为 0")
    return bands


def _template(data: dict, version: str, where, levels: tuple[str, ...]) -> Template:
    dimensions = []
    for d in data.get("dimensions") or []:
        code = text_field(d, "code", where)
        indicators = tuple(_indicator(code, i, where, levels) for i in d.get("indicators") or [])
        if not indicators:
            raise RuleError(f"{where}: 维度 {code} 没有指标")
        dimensions.append(Dimension(code, text_field(d, "label", where), indicators))
    if not dimensions:
        raise RuleError(f"{where}: 指标体系没有维度")
    keys = [i.key for d in dimensions for i in d.indicators]
    if len(set(keys)) != len(keys):
        raise RuleError(f"{where}: 指标代码重复")
    return Template(text_field(data, "name", where), version, tuple(dimensions))


def _indicator(dimension: str, data: dict, where, levels: tuple[str, ...]) -> Indicator:
    key = f"{dimension}.{text_field(data, 'code', where)}"
    rubric = data.get("rubric") or {}
    if set(rubric) != set(levels):
        raise RuleError(f"{where}: 指标 {key} 的 rubric 应有 {'、'.join(levels)} {len(levels)}档")
    points = decimal_field(data, "points", where)
    gate = decimal_field(data, "gate", where) if data.get("gate") is not None else None
    if points <= 0 or (gate is not None and not 0 < gate <= points):
        raise RuleError(f"{where}: 指标 {key} 的分值或门槛无效")
    return Indicator(key, text_field(data, "label", where), points, text_field(data, "criteria", where),
                     tuple((level, str(rubric[level])) for level in levels), gate)
