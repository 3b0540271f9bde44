"""rules/economy.yaml: the cost lines' bases, the output types of the unit-cost library, the price index, the
comparison and cost–benefit settings, and the threshold-splitting rule. Declared once here (intake is where
the cost lines and the splitting check live; assessment reads the rest through `economy_rules`)."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import Field, StrictBool, model_validator
from pydantic_core import PydanticCustomError

from budget_eval.intake.domain.splitting import Rule as SplitRule
from budget_eval.platform.domain.rule_types import Choice, Head, Int, Items, Num, Policy, Source, Strict, Text, Written
from budget_eval.platform.domain.ruleset import loaded, read_model


class CostBasis(Choice):
    needs_document: StrictBool  # the 定额 / 询价单 / 合同 must be named


class OutputType(Strict):
    code: Text
    label: Text
    keywords: Items[Text] = Field(min_length=1)
    units: Items[Text] = Field(min_length=1)


class PriceIndex(Strict):
    name: Text
    source: Source
    by_year: dict[str, Policy[Num]] = Field(min_length=1)  # "2024": 102.0 (previous year = 100)

    def as_map(self) -> dict[int, Decimal]:
        return {int(year): value for year, value in self.by_year.items()}


class Comparison(Strict):
    max_age_years: Policy[Int]
    min_class: Policy[Int]
    outlier_fence: Policy[Num]
    uplift_min_class: Policy[Int]
    uplift_quantile: Policy[Num]


class CostBenefit(Strict):
    discount_rate_pct: Policy[Num]
    cost_up: Policy[Num]
    benefit_down: Policy[Num]
    delay_years: Policy[Int]
    max_years: Policy[Int]
    bcr_note: Text  # why B/C is never a gate, printed with the figures

    @property
    def discount_rate(self) -> Decimal:
        return self.discount_rate_pct / 100


class Splitting(Strict):
    window_days: Policy[Int]
    name_similarity: Policy[Num]
    purpose_similarity: Policy[Num]
    generic_words: Items[Text]
    place_suffixes: Items[Text]
    place_not_before: Items[Text] = ()

    def rule(self) -> SplitRule:
        return SplitRule(self.window_days, self.name_similarity, self.purpose_similarity, self.generic_words,
                         self.place_suffixes, self.place_not_before)


class EconomyFile(Written):
    kind: Literal["economy"]
    cost_bases: Items[CostBasis] = Field(min_length=1)
    output_types: Items[OutputType] = Field(min_length=1)
    price_index: PriceIndex
    comparison: Comparison
    cost_benefit: CostBenefit
    splitting: Splitting
    dimension: Text  # the indicator templates' dimension of 投入经济性, under which the report prints the analysis
    factor_analysis_lines: Policy[Int]  # how many of the largest cost lines the report's 因素分析 names

    @model_validator(mode="after")
    def _consistent(self) -> EconomyFile:
        if not 0 < self.comparison.uplift_quantile <= 1:
            raise PydanticCustomError("quantile", "comparison.uplift_quantile 应在 0 与 1 之间")
        codes = [t.code for t in self.output_types]
        if len(set(codes)) != len(codes):
            raise PydanticCustomError("codes", "output_types 的 code 不能重复")
        return self

    def __hash__(self) -> int:
        return hash((self.name, self.version))

    def basis_label(self, code: str) -> str:
        return next((b.label for b in self.cost_bases if b.code == code), code)

    def type_label(self, code: str) -> str:
        return next((t.label for t in self.output_types if t.code == code), code)

    def classifier(self) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
        return [(t.code, t.keywords, t.units) for t in self.output_types]


SCHEMAS: dict[str, type[Head]] = {"economy": EconomyFile}


def load_economy_rules(path: Path) -> EconomyFile:
    model, _, version = read_model(path, EconomyFile)
    return loaded(model, version)
