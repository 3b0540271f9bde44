"""Load the policy files in rules/ into validated, frozen dataclasses.

Every rule set carries a version string (the file's declared version plus a hash of its content), so a
stored result can say exactly which rules produced it.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from typing import TypeVar

import yaml

from budget_eval.platform.domain.report_settings import ReportSettings, ReportsFile
from budget_eval.platform.domain.rule_schemas import validate_model, validate_rules
from budget_eval.platform.domain.rule_types import Head
from budget_eval.platform.domain.sourced import numbers, unwrap


class RuleError(ValueError):
    """A rule file that is missing, malformed or inconsistent; the message names the file and key."""


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    aliases: tuple[str, ...]
    threshold_wan: Decimal
    quote: str  # the article's own sentence that sets this threshold, verbatim
    status: str = ""  # the threshold's status: 法定 / 惯例 / 本局自定
    source: str = ""  # … and where it comes from


@dataclass(frozen=True)
class SourceCount:
    counts: bool  # counts toward the art. 5 amount
    reason: str


@dataclass(frozen=True)
class SilentCase:
    """A case art. 5 does not settle (延续, 到期延续, …): the bureau's own rule (本局自定)."""

    code: str
    label: str
    needs_assessment: bool
    rule: str


@dataclass(frozen=True)
class ScreeningRules:
    name: str
    version: str
    document: str
    issuer: str
    article: str
    date: str
    quotes: dict[str, str]  # the article's sentences, verbatim
    categories: tuple[Category, ...]
    amount_basis: str  # whole_period | largest_year
    amount_basis_reason: str
    source_counts: dict[str, SourceCount]
    source_labels: dict[str, str]
    silent_cases: dict[str, SilentCase]

    def category(self, code: str) -> Category:
        for category in self.categories:
            if category.code == code:
                return category
        raise KeyError(code)

    def category_by_label(self, text: str) -> Category | None:
        """Find a category by its label or one of its aliases (as typed in a spreadsheet)."""
        text = text.strip()
        for category in self.categories:
            if text == category.label or text in category.aliases:
                return category
        return None

    @property
    def citation(self) -> str:
        """《…》（issuer，date）第五条 — where the quoted sentences stand."""
        return f"{self.document}（{self.issuer}，{self.date}）{self.article}"

    def counts(self, source: str) -> bool:
        return source in self.source_counts and self.source_counts[source].counts


@dataclass(frozen=True)
class Choice:
    code: str
    label: str


@dataclass(frozen=True)
class IndicatorLevel:
    label: str
    children: tuple[str, ...]
    cost: bool = False


@dataclass(frozen=True)
class IntakeRules:
    name: str
    version: str
    funding_sources: tuple[Choice, ...]
    indicator_levels: tuple[IndicatorLevel, ...]
    max_period_years: int
    smart_output_level: str
    smart_time_level2: str
    comparators: tuple[str, ...] = ("≥", "≤", "=", "定性")
    qualitative: str = "定性"
    probable_yuan_min_wan: Decimal = Decimal("1000000")
    framework: str = ""

    def source_label(self, code: str) -> str:
        return next((s.label for s in self.funding_sources if s.code == code), code)

    @property
    def cost_levels(self) -> tuple[str, ...]:
        return tuple(level.label for level in self.indicator_levels if level.cost)


def read_yaml(path: Path) -> tuple[dict, str]:
    """Return the parsed mapping and a version tag '<declared version>@<content hash>'."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RuleError(f"{path}: 无法读取规则文件（{exc.strerror}）") from None
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise RuleError(f"{path}: YAML 格式错误：{exc}") from None
    if not isinstance(data, dict):
        raise RuleError(f"{path}: 顶层应为键值映射")
    declared = text_field(data, "version", path)
    digest = hashlib.sha256(raw).hexdigest()[:12]
    return data, f"{declared}@{digest}"


def read_rules(path: Path, kind: str, *, plain: bool = True) -> tuple[dict, str]:
    """Read a rule file, validate it against its typed schema, and return its data and version.

    `plain` strips the source metadata beside each value; without it the data keeps it (for snapshots that
    must cite where their figures came from).
    """
    data, version = read_yaml(path)
    problems = validate_rules(data, str(path), kind)
    if problems:
        raise RuleError("；\n".join(problems))
    return (unwrap(data) if plain else data), version


H = TypeVar("H", bound=Head)


def read_model(path: Path, model: type[H]) -> tuple[H, dict, str]:
    """A rule file validated against its model: the model, the data as written (sources beside the values,
    for snapshots that must cite where their figures came from), and its version."""
    data, version = read_yaml(path)
    return model_of(data, str(path), model), data, version


def model_of(data: dict, where: str, model: type[H]) -> H:
    """Data as written (a rule file's, or a stored snapshot's copy of it) validated against its model."""
    problems = validate_model(data, where, model)
    if problems:
        raise RuleError("；\n".join(problems))
    return model.model_validate(data)


def loaded(model: H, version: str) -> H:
    """The model as loaded: `version` is the file's declared version with its content hash."""
    return model.model_copy(update={"version": version})


def load_report_settings(path: Path) -> ReportSettings:
    model, _, version = read_model(path, ReportsFile)
    return loaded(model, version)


def load_screening_rules(path: Path) -> ScreeningRules:
    raw, version = read_rules(path, "screening", plain=False)
    data = unwrap(raw)
    sources = {n.path: n for n in numbers(raw)}
    quotes = dict(data["quotes"])
    categories = tuple(
        Category(c["code"], c["label"], tuple(c.get("aliases") or ()) or (c["label"],),
                 Decimal(str(c["threshold_wan"])), quotes[c["quote"]],
                 sources[f"categories[{i}].threshold_wan"].status, sources[f"categories[{i}].threshold_wan"].source)
        for i, c in enumerate(data["categories"])
    )
    codes = [c.code for c in categories]
    if len(set(codes)) != len(codes):
        raise RuleError(f"{path}: categories 中的 code 重复")
    amount = data["amount"]
    return ScreeningRules(
        name=data["name"], version=version, document=data["document"], issuer=data["issuer"],
        article=data["article"], date=data["date"], quotes=quotes, categories=categories,
        amount_basis=amount["basis"], amount_basis_reason=amount["basis_reason"],
        source_counts={code: SourceCount(s["counts"], s["reason"]) for code, s in amount["sources"].items()},
        source_labels={code: s["label"] for code, s in amount["sources"].items()},
        silent_cases={c["code"]: SilentCase(c["code"], c["label"], c["needs_assessment"], c["rule"])
                      for c in data["silent_cases"]},
    )


def load_intake_rules(path: Path) -> IntakeRules:
    data, version = read_rules(path, "intake")
    sources = tuple(Choice(s["code"], s["label"]) for s in data["funding_sources"])
    levels = tuple(IndicatorLevel(v["label"], tuple(v["children"]), v.get("cost", False))
                   for v in data["indicator_levels"])
    years = data["max_period_years"]
    if years < 1:
        raise RuleError(f"{path}: max_period_years 应为正整数")
    smart = data["smart"]
    if smart["output_level"] not in {level.label for level in levels}:
        raise RuleError(f"{path}: smart.output_level 应为 indicator_levels 中的一级指标")
    if data["qualitative"] not in data["comparators"]:
        raise RuleError(f"{path}: qualitative 应为 comparators 之一")
    return IntakeRules(data["name"], version, sources, levels, years, smart["output_level"], smart["time_level2"],
                       tuple(data["comparators"]), data["qualitative"],
                       Decimal(str(data["probable_yuan_min_wan"])), data["indicator_framework"])


def text_field(data: dict, key: str, path: Path | str, where: str = "") -> str:
    """A required, non-blank value as text; the error names the file and key."""
    value = data.get(key) if isinstance(data, dict) else None
    if value is None or str(value).strip() == "":
        raise RuleError(f"{path}: 缺少 {where + '.' if where else ''}{key}")
    return str(value)


def decimal_field(data: dict, key: str, where: Path | str) -> Decimal:
    """A required non-negative number; the error names the file and key."""
    try:
        value = Decimal(str(data.get(key)))
    except InvalidOperation:
        raise RuleError(f"{where}: {key} 应为数字") from None
    if not value.is_finite() or value < 0:
        raise RuleError(f"{where}: {key} 应为非负数")
    return value


def _list(data: dict, key: str, path: Path, where: str = "") -> list:
    value = data.get(key)
    if not isinstance(value, list) or not value:
        raise RuleError(f"{path}: {where + '.' if where else ''}{key} 应为非空列表")
    return value
