"""Typed, strict schemas for every rule file in rules/ (pydantic v2).

Strict means: a key the schema does not know is refused (a misspelt key is never silently ignored),
`"false"` is text and not a boolean, `"10"` is text and not a number. A policy number may carry its
source beside it (`{value: 10, status: 本局自定, source: …}` or `{value: 10, ref: <name in sources>}`).
Errors come back in Chinese with the file, the key path and the wrong value (`RuleError`).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Discriminator, Field, PlainValidator, StrictBool, Tag, ValidationError
from pydantic import model_validator
from pydantic_core import PydanticCustomError

from budget_eval.platform.domain.sourced import STATUSES, is_wrapped, SOURCES_KEY

T = TypeVar("T")


def _number(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise PydanticCustomError("number", "应为数字（不加引号）")
    number = Decimal(str(value))
    if not number.is_finite() or number < 0:
        raise PydanticCustomError("number", "应为非负的有限数字")
    return number


def _integer(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PydanticCustomError("integer", "应为整数（不加引号）")
    if value < 0:
        raise PydanticCustomError("integer", "应为非负整数")
    return value


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PydanticCustomError("text", "应为非空文字")
    return value


Num = Annotated[Decimal, PlainValidator(_number)]
Int = Annotated[int, PlainValidator(_integer)]
Text = Annotated[str, PlainValidator(_text)]
Status = Literal["法定", "惯例", "本局自定"]
assert Status.__args__ == STATUSES


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Source(Strict):
    status: Status
    source: Text


class Sourced(Strict, Generic[T]):
    value: T
    status: Status | None = None
    source: Text | None = None
    ref: Text | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _one_source(self):
        if (self.ref is None) == (self.status is None) or (self.status is not None and self.source is None):
            raise PydanticCustomError("source", "来源应写 ref（引用 sources 中的名称），或同时写 status 与 source")
        return self


def _shape(value: object) -> str:
    return "sourced" if is_wrapped(value) else "plain"


class _Policy:
    """`Policy[Num]`: a plain value or the value with its source."""

    def __class_getitem__(cls, item):
        return Annotated[Annotated[item, Tag("plain")] | Annotated[Sourced[item], Tag("sourced")], Discriminator(_shape)]


Policy = _Policy


class Head(Strict):
    kind: str
    name: Text
    version: Text
    sources: dict[str, Source] = Field(default_factory=dict)


# --- screening.yaml ---------------------------------------------------------------------------------
class Quotes(Strict):
    scope: Text
    duty: Text
    review: Text
    decision: Text
    exemption: Text


class ScreeningCategory(Strict):
    code: Text
    label: Text
    aliases: list[Text] = Field(default_factory=list)
    threshold_wan: Policy[Num]
    quote: Literal["scope", "duty", "review", "decision", "exemption"]


class SourceCount(Strict):
    label: Text
    counts: StrictBool
    reason: Text


class AmountRule(Strict):
    basis: Literal["whole_period", "largest_year"]
    basis_status: Status
    basis_reason: Text
    sources: dict[str, SourceCount] = Field(min_length=1)
    status: Status


class SilentCase(Strict):
    code: Literal["continuing", "expiring", "changed", "midyear"]
    label: Text
    needs_assessment: StrictBool
    rule: Text


class ScreeningFile(Head):
    kind: Literal["screening"]
    document: Text
    issuer: Text
    article: Text
    date: Text
    quotes: Quotes
    categories: list[ScreeningCategory] = Field(min_length=1)
    amount: AmountRule
    silent_cases: list[SilentCase] = Field(min_length=1)


# --- intake.yaml ------------------------------------------------------------------------------------
class Choice(Strict):
    code: Text
    label: Text


class IndicatorLevel(Strict):
    label: Text
    children: list[Text] = Field(min_length=1)
    cost: StrictBool = False


class Smart(Strict):
    output_level: Text
    time_level2: Text


class IntakeFile(Head):
    kind: Literal["intake"]
    funding_sources: list[Choice] = Field(min_length=1)
    indicator_framework: Text
    indicator_levels: list[IndicatorLevel] = Field(min_length=1)
    comparators: list[Text] = Field(min_length=1)
    qualitative: Text
    max_period_years: Policy[Int]
    probable_yuan_min_wan: Policy[Num]
    smart: Smart


# --- assessment.yaml and indicators_*.yaml ----------------------------------------------------------
class GradeBand(Strict):
    label: Text
    min_rate: Policy[Num]


class ConclusionBand(Strict):
    code: Text
    label: Text
    min_total: Policy[Num]


class Aggregation(Strict):
    min_reviewers: Policy[Int]
    method: Literal["mean", "median", "trimmed_total"]
    trim_min_reviewers: Policy[Int]
    disagreement_share: Policy[Num]
    outlier_margin: Policy[Num]


class DuplicateWeights(Strict):
    name_weight: Policy[Num]
    text_weight: Policy[Num]


class AssessmentFile(Head):
    kind: Literal["assessment"]
    templates: dict[str, Text] = Field(min_length=1)
    grades: list[GradeBand] = Field(min_length=1)
    conclusions: list[ConclusionBand] = Field(min_length=1)
    gate_conclusion: Text
    comment_below_grade: Text
    comment_at_full_marks: StrictBool
    aggregation: Aggregation
    sensitivity_weight_change: Policy[Num]
    duplicate_weights: DuplicateWeights
    trim_floor_reviewers: Policy[Int]
    levels: list[Text] = Field(min_length=1)
    duplicate_min_similarity: Policy[Num]
    default_review_days: Policy[Int]
    revision_conclusions: list[Text] = Field(default_factory=list)
    meeting_conclusions: list[Text] = Field(default_factory=list)


class Indicator(Strict):
    code: Text
    label: Text
    points: Policy[Num]
    gate: Policy[Num] | None = None
    criteria: Text
    rubric: dict[str, Text]


class Dimension(Strict):
    code: Text
    label: Text
    indicators: list[Indicator] = Field(min_length=1)


class IndicatorsFile(Head):
    kind: Literal["indicators"]
    dimensions: list[Dimension] = Field(min_length=1)


# --- materials.yaml and reports.yaml ----------------------------------------------------------------
class Material(Strict):
    code: Text
    label: Text
    required: StrictBool


class MaterialsFile(Head):
    kind: Literal["materials"]
    project: list[Material] = Field(min_length=1)
    policy: list[Material] = Field(min_length=1)
    checklist_for: dict[str, Literal["project", "policy"]] = Field(min_length=1)


class ReportsFile(Head):
    kind: Literal["reports"]
    assessing_unit: Text
    report_number: Text
    basis: Text
    methods: Text
    disclaimer: Text
    evaluation_office: Text
    city_name: Text
    response_days: Policy[Int]
    notice_components: Policy[Int]


# --- schemes/*.yaml ---------------------------------------------------------------------------------
class Component(Strict):
    code: Text
    label: Text
    points: Policy[Num]
    source: Literal["targets", "survey", "leadership", "manual"]


class Cap(Strict):
    label: Text
    cap: Policy[Num]


class SurveyRules(Strict):
    answers: Policy[dict[str, Num]]
    unknown: list[Text] = Field(default_factory=list)
    satisfied: list[Text] = Field(default_factory=list)
    groups: Policy[dict[str, Num]]


class SchemeGrade(Strict):
    label: Text
    quota: Policy[Num] | None = None
    min_total: Policy[Num] | None = None


class Grading(Strict):
    method: Literal["quota", "thresholds"]
    pass_line: Policy[Num] | None = None
    grades: list[SchemeGrade] = Field(min_length=2)


class Adjustment(Strict):
    this_year: list[Text] = Field(default_factory=list)
    consecutive: list[Text] = Field(default_factory=list)
    years: Policy[Int] | None = None


class Promotion(Strict):
    grade: Text
    places: Policy[Int]


class SchemeFile(Head):
    kind: Literal["evaluation_scheme"]
    code: Text
    components: list[Component] = Field(min_length=1)
    bonus: Cap | None = None
    deduction: Cap | None = None
    veto_items: list[Text] = Field(default_factory=list)
    veto_blocks: list[Text] = Field(default_factory=list)
    groups: list[Choice] = Field(min_length=1)
    survey: SurveyRules
    grading: Grading
    special_promotion: Promotion | None = None
    unranked_units: list[Text] = Field(default_factory=list)
    appeal_days: Policy[Int]
    leadership_adjustment: Adjustment


SCHEMAS: dict[str, type[Head]] = {
    "screening": ScreeningFile, "intake": IntakeFile, "assessment": AssessmentFile, "indicators": IndicatorsFile,
    "materials": MaterialsFile, "reports": ReportsFile, "evaluation_scheme": SchemeFile,
}


def validate_rules(data: dict, where: str, kind: str | None = None) -> list[str]:
    """Every problem of a rule file's data, each naming the file, the key path and the wrong value."""
    declared = data.get("kind")
    schema = SCHEMAS.get(kind or declared)
    if schema is None or (kind is not None and declared != kind):
        expected = kind or " / ".join(SCHEMAS)
        return [f"{where}：kind 的值 {declared!r} 有误：应为 {expected}"]
    problems = []
    try:
        schema.model_validate(data)
    except ValidationError as exc:
        problems += [_message(error, where) for error in exc.errors()]
    table = data.get(SOURCES_KEY) if isinstance(data.get(SOURCES_KEY), dict) else {}
    problems += [f"{where}：{path}.ref 的值 {ref!r} 有误：sources 中没有这个名称" for path, ref in _refs(data, "")
                 if ref not in table]
    return problems


MESSAGES = {
    "extra_forbidden": "不认识的键（是否拼写错误？）",
    "missing": "缺少此项",
    "bool_type": "应为 true 或 false（不加引号）",
    "bool_parsing": "应为 true 或 false（不加引号）",
    "list_type": "应为列表",
    "dict_type": "应为键值映射",
    "model_type": "应为键值映射",
    "model_attributes_type": "应为键值映射",
    "too_short": "不能为空",
    "string_type": "应为文字",
}


def _message(error: dict[str, Any], where: str) -> str:
    loc = [part for part in error["loc"] if part not in ("plain", "sourced") and not str(part).startswith("function-")]
    path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".") or "（顶层）"
    kind = error["type"]
    if kind == "literal_error":
        text = f"应为 {error['ctx']['expected'].replace(' or ', ' 或 ')} 之一"
    else:
        text = MESSAGES.get(kind, error["msg"].removeprefix("Value error, "))
    if kind == "missing":
        return f"{where}：{path} {text}"
    return f"{where}：{path} 的值 {_shown(error.get('input'))} 有误：{text}"


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "…"


def _refs(node: object, path: str):
    if isinstance(node, dict):
        if is_wrapped(node) and "ref" in node:
            yield path, node["ref"]
        for key, value in node.items():
            if not (path == "" and key == SOURCES_KEY):
                yield from _refs(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _refs(item, f"{path}[{index}]")
