"""Typed, strict schemas for every rule file in rules/ (pydantic v2).

Strict means: a key the schema does not know is refused (a misspelt key is never silently ignored),
`"false"` is text and not a boolean, `"10"` is text and not a number. A policy number may carry its
source beside it (`{value: 10, status: 本局自定, source: …}` or `{value: 10, ref: <name in sources>}`).
Errors come back in Chinese with the file, the key path and the wrong value (`RuleError`).
"""
from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictBool, ValidationError

from budget_eval.platform.domain.rule_types import chinese_message, Choice, Head, Int, Num, Policy, Status, Strict, Text
from budget_eval.platform.domain.report_settings import ReportsFile
from budget_eval.platform.domain.scheme_schemas import SchemeFile, TablesFile
from budget_eval.platform.domain.sourced import is_wrapped, SOURCES_KEY

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


SCHEMAS: dict[str, type[Head]] = {
    "tables": TablesFile, "screening": ScreeningFile, "intake": IntakeFile, "reports": ReportsFile,
    "evaluation_scheme": SchemeFile,
}  # platform's own; the features' (assessment, …) are added by the composition root (rules_check)


def validate_rules(data: dict, where: str, kind: str | None = None,
                   schemas: dict[str, type[Head]] | None = None) -> list[str]:
    """Every problem of a rule file's data, each naming the file, the key path and the wrong value."""
    schemas = SCHEMAS if schemas is None else schemas
    declared = data.get("kind")
    schema = schemas.get(kind or declared)
    if schema is None or (kind is not None and declared != kind):
        expected = kind or " / ".join(schemas)
        return [f"{where}：kind 的值 {declared!r} 有误：应为 {expected}"]
    return validate_model(data, where, schema)


def validate_model(data: dict, where: str, schema: type[Head]) -> list[str]:
    """The problems of a rule file's data against its model (and of its `ref`s to the sources table)."""
    declared = data.get("kind")
    expected = schema.model_fields["kind"].annotation
    if declared not in getattr(expected, "__args__", (declared,)):
        return [f"{where}：kind 的值 {declared!r} 有误：应为 {' / '.join(getattr(expected, '__args__', ()))}"]
    problems = []
    try:
        schema.model_validate(data)
    except ValidationError as exc:
        problems += [chinese_message(error, where) for error in exc.errors()]
    table = data.get(SOURCES_KEY) if isinstance(data.get(SOURCES_KEY), dict) else {}
    problems += [f"{where}：{path}.ref 的值 {ref!r} 有误：sources 中没有这个名称" for path, ref in _refs(data, "")
                 if ref not in table]
    return problems


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
