"""The typed declaration of intake's rule files: rules/screening.yaml (art. 5 screening) and rules/intake.yaml
(what a proposal holds). Declared once: `rules check` validates the files against these models, and the
screening and intake code reads the validated models themselves (a `Policy[Num]` holds its plain value; its
source stays in the file's data, `Written.raw`).

A key added after the first version is declared with `added(since=N, default=…)`, so a file written before
it is still read; a file that names a newer `schema_version` than this code knows is refused.
"""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, PrivateAttr, StrictBool, model_validator
from pydantic_core import PydanticCustomError

from budget_eval.platform.domain.rule_types import Choice, Head, Int, Items, Num, Policy, Status, Strict, Text, Written
from budget_eval.platform.domain.ruleset import loaded, read_model
from budget_eval.platform.domain.snapshots import schema_version
from budget_eval.platform.domain.sourced import SourcedNumber

QuoteKey = Literal["scope", "duty", "review", "decision", "exemption"]
QUOTE_KEYS: tuple[QuoteKey, ...] = ("scope", "duty", "review", "decision", "exemption")


# --- screening.yaml ---------------------------------------------------------------------------------
class Category(Strict):
    code: Text
    label: Text
    aliases: Items[Text] = ()  # as typed in a spreadsheet, besides the label
    threshold_wan: Policy[Num]
    quote: QuoteKey  # which of the article's sentences sets this threshold
    _threshold: SourcedNumber | None = PrivateAttr(default=None)

    @property
    def status(self) -> str:
        """The threshold's status: 法定 / 惯例 / 本局自定 ("" when the file gives none)."""
        return self._threshold.status if self._threshold else ""

    @property
    def source(self) -> str:
        """… and where it comes from."""
        return self._threshold.source if self._threshold else ""


class SourceCount(Strict):
    label: Text
    counts: StrictBool  # counts toward the art. 5 amount
    reason: Text


class AmountRule(Strict):
    basis: Literal["whole_period", "largest_year"]
    basis_status: Status
    basis_reason: Text
    sources: dict[str, SourceCount] = Field(min_length=1)
    status: Status


class SilentCase(Strict):
    """A case art. 5 does not settle (延续, 到期延续, …): the bureau's own rule (本局自定)."""

    code: Literal["continuing", "expiring", "changed", "midyear"]
    label: Text
    needs_assessment: StrictBool
    rule: Text


class ScreeningFile(Written):
    kind: Literal["screening"]
    document: Text
    issuer: Text
    article: Text
    date: Text
    quotes: dict[QuoteKey, Text]  # the article's sentences, verbatim
    categories: Items[Category] = Field(min_length=1)
    amount: AmountRule
    cases: Items[SilentCase] = Field(alias="silent_cases", min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> ScreeningFile:
        missing = [key for key in QUOTE_KEYS if key not in self.quotes]
        if missing:
            raise PydanticCustomError("quotes", f"quotes 缺少 {'、'.join(missing)}")
        codes = [c.code for c in self.categories]
        if len(set(codes)) != len(codes):
            raise PydanticCustomError("codes", "categories 中的 code 重复")
        numbers = self.sourced_numbers()
        for i, category in enumerate(self.categories):
            category._threshold = numbers.get(f"categories[{i}].threshold_wan")
        return self

    # the names the screening code reads
    @property
    def silent_cases(self) -> dict[str, SilentCase]:
        return {case.code: case for case in self.cases}

    @property
    def amount_basis(self) -> str:  # whole_period | largest_year
        return self.amount.basis

    @property
    def source_counts(self) -> dict[str, SourceCount]:
        return self.amount.sources

    @property
    def source_labels(self) -> dict[str, str]:
        return {code: s.label for code, s in self.amount.sources.items()}

    @property
    def citation(self) -> str:
        """《…》（issuer，date）第五条 — where the quoted sentences stand."""
        return f"{self.document}（{self.issuer}，{self.date}）{self.article}"

    def category(self, code: str) -> Category:
        for category in self.categories:
            if category.code == code:
                return category
        raise KeyError(code)

    def category_by_label(self, text: str) -> Category | None:
        """Find a category by its label or one of its aliases (as typed in a spreadsheet)."""
        text = text.strip()
        return next((c for c in self.categories if text == c.label or text in c.aliases), None)

    def counts(self, source: str) -> bool:
        return source in self.amount.sources and self.amount.sources[source].counts


def counted_sources(rules: ScreeningFile) -> frozenset[str]:
    """The funding sources that count toward the art. 5 amount."""
    return frozenset(code for code in rules.source_counts if rules.counts(code))


# --- intake.yaml ------------------------------------------------------------------------------------
class IndicatorLevel(Strict):
    label: Text
    children: Items[Text] = Field(min_length=1)
    cost: StrictBool = False
    # the second-level indicators measured in money (经济成本指标): their unit names 元; 社会成本 and 生态环境成本
    # are often counted otherwise (days of closure, tonnes of CO2)
    money: Items[Text] = ()


class Smart(Strict):
    output_level: Text
    time_level2: Text


class IntakeFile(Head):
    kind: Literal["intake"]
    funding_sources: Items[Choice] = Field(min_length=1)
    indicator_framework: Text
    indicator_levels: Items[IndicatorLevel] = Field(min_length=1)
    comparators: Items[Text] = Field(min_length=1)
    qualitative: Text
    max_period_years: Policy[Int]
    probable_yuan_min_wan: Policy[Num]
    smart: Smart

    @field_validator("max_period_years")
    @classmethod
    def _positive(cls, years: int) -> int:
        if years < 1:
            raise PydanticCustomError("years", "应为正整数")
        return years

    @model_validator(mode="after")
    def _consistent(self) -> IntakeFile:
        if self.smart.output_level not in {level.label for level in self.indicator_levels}:
            raise PydanticCustomError("smart", "smart.output_level 应为 indicator_levels 中的一级指标")
        if self.qualitative not in self.comparators:
            raise PydanticCustomError("qualitative", "qualitative 应为 comparators 之一")
        return self

    def __hash__(self) -> int:  # sources is a dict; the version (with content hash) identifies the rules
        return hash((self.name, self.version))

    # the names the intake code reads
    @property
    def framework(self) -> str:
        return self.indicator_framework

    @property
    def smart_output_level(self) -> str:
        return self.smart.output_level

    @property
    def smart_time_level2(self) -> str:
        return self.smart.time_level2

    @property
    def cost_levels(self) -> tuple[str, ...]:
        return tuple(level.label for level in self.indicator_levels if level.cost)

    @property
    def money_levels(self) -> tuple[str, ...]:
        """Second-level cost indicators whose unit must be money (含“元”)."""
        return tuple(child for level in self.indicator_levels for child in level.money)

    def source_label(self, code: str) -> str:
        return next((s.label for s in self.funding_sources if s.code == code), code)


ScreeningRules = ScreeningFile
IntakeRules = IntakeFile
SCHEMAS: dict[str, type[Head]] = {"screening": ScreeningFile, "intake": IntakeFile}
SCREENING_VERSION = schema_version(ScreeningFile)
INTAKE_VERSION = schema_version(IntakeFile)


def load_screening_rules(path: Path) -> ScreeningFile:
    model, _, version = read_model(path, ScreeningFile)
    return loaded(model, version)


def load_intake_rules(path: Path) -> IntakeFile:
    model, _, version = read_model(path, IntakeFile)
    return loaded(model, version)
