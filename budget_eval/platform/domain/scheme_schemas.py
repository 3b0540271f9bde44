"""Strict schemas of the evaluation schemes (rules/schemes/*.yaml) and of the upload tables (rules/tables.yaml).

Part of `budget_eval.platform.domain.rule_schemas`, which validates every rule file against its schema.
"""
from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictBool

from budget_eval.platform.domain.rule_types import Choice, Head, Int, Num, Policy, Status, Strict, Text


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


class SupervisionCarry(Strict):
    lead_weight: Policy[Num]
    support_weight: Policy[Num]
    results: Policy[dict[str, Num]]


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
    supervision: SupervisionCarry | None = None


class TableColumnRule(Strict):
    name: Text
    kind: Literal["text", "label", "yesno", "choice", "amount", "number"]
    synonyms: list[Text] = Field(default_factory=list)
    example: Text | None = None
    required: StrictBool = True
    unit: Text | None = None
    choices_from: Text | None = None
    values: dict[str, Text] = Field(default_factory=dict)


class TableRule(Strict):
    label: Text
    columns: list[TableColumnRule] = Field(min_length=1)


class TablesFile(Head):
    kind: Literal["tables"]
    status: Status
    header_scan_rows: Policy[Int]
    summary_labels: list[Text] = Field(min_length=1)
    note_prefixes: list[Text] = Field(min_length=1)
    tables: dict[str, TableRule] = Field(min_length=1)
