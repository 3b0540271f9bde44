"""Load the policy files in rules/ into validated, frozen dataclasses.

Every rule set carries a version string (the file's declared version plus a hash of its content), so a
stored result can say exactly which rules produced it.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml


class RuleError(ValueError):
    """A rule file that is missing, malformed or inconsistent; the message names the file and key."""


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    aliases: tuple[str, ...]
    threshold_wan: Decimal
    clause: str


@dataclass(frozen=True)
class ScreeningRules:
    name: str
    version: str
    document: str
    article: str
    categories: tuple[Category, ...]
    continuing_clause: str
    no_funds_clause: str
    exemption_clause: str

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


@dataclass(frozen=True)
class Choice:
    code: str
    label: str


@dataclass(frozen=True)
class IndicatorLevel:
    label: str
    children: tuple[str, ...]


@dataclass(frozen=True)
class IntakeRules:
    name: str
    version: str
    funding_sources: tuple[Choice, ...]
    indicator_levels: tuple[IndicatorLevel, ...]
    max_period_years: int
    smart_output_level: str
    smart_time_level2: str

    def source_label(self, code: str) -> str:
        return next((s.label for s in self.funding_sources if s.code == code), code)


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


def load_screening_rules(path: Path) -> ScreeningRules:
    data, version = read_yaml(path)
    _expect_kind(data, "screening", path)
    items = _list(data, "categories", path)
    categories = tuple(_category(item, i, path) for i, item in enumerate(items))
    codes = [c.code for c in categories]
    if len(set(codes)) != len(codes):
        raise RuleError(f"{path}: categories 中的 code 重复")
    return ScreeningRules(
        name=text_field(data, "name", path),
        version=version,
        document=text_field(data, "document", path),
        article=text_field(data, "article", path),
        categories=categories,
        continuing_clause=text_field(data, "continuing_clause", path),
        no_funds_clause=text_field(data, "no_funds_clause", path),
        exemption_clause=text_field(data, "exemption_clause", path),
    )


def load_intake_rules(path: Path) -> IntakeRules:
    data, version = read_yaml(path)
    _expect_kind(data, "intake", path)
    sources = tuple(
        Choice(code=text_field(s, "code", path, f"funding_sources[{i}]"), label=text_field(s, "label", path, f"funding_sources[{i}]"))
        for i, s in enumerate(_list(data, "funding_sources", path))
    )
    levels = tuple(
        IndicatorLevel(
            label=text_field(level, "label", path, f"indicator_levels[{i}]"),
            children=tuple(str(c) for c in _list(level, "children", path, f"indicator_levels[{i}]")),
        )
        for i, level in enumerate(_list(data, "indicator_levels", path))
    )
    years = data.get("max_period_years")
    if not isinstance(years, int) or years < 1:
        raise RuleError(f"{path}: max_period_years 应为正整数")
    smart = data.get("smart") or {}
    output_level, time_level2 = text_field(smart, "output_level", path, "smart"), text_field(smart, "time_level2", path, "smart")
    if output_level not in {level.label for level in levels}:
        raise RuleError(f"{path}: smart.output_level 应为 indicator_levels 中的一级指标")
    return IntakeRules(text_field(data, "name", path), version, sources, levels, years, output_level, time_level2)


def _category(item: object, index: int, path: Path) -> Category:
    where = f"categories[{index}]"
    if not isinstance(item, dict):
        raise RuleError(f"{path}: {where} 应为键值映射")
    raw = item.get("threshold_wan")
    try:
        threshold = Decimal(str(raw))
    except InvalidOperation:
        raise RuleError(f"{path}: {where}.threshold_wan 应为金额（万元），实为 {raw!r}") from None
    if not threshold.is_finite() or threshold < 0:
        raise RuleError(f"{path}: {where}.threshold_wan 应为非负金额")
    label = text_field(item, "label", path, where)
    aliases = tuple(str(a) for a in item.get("aliases") or ())
    return Category(text_field(item, "code", path, where), label, aliases or (label,), threshold, text_field(item, "clause", path, where))


def _expect_kind(data: dict, kind: str, path: Path) -> None:
    if data.get("kind") != kind:
        raise RuleError(f"{path}: kind 应为 {kind}")


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


@dataclass(frozen=True)
class ReportSettings:
    name: str
    version: str
    assessing_unit: str
    report_number: str  # a format with {year}, {seq} and {round}
    basis: str
    methods: str
    disclaimer: str
    evaluation_office: str
    response_days: int
    basis_documents: tuple[str, ...] = ()
    report_use: str = ""
    expert_pledge: str = ""
    notice_issuer_mark: str = ""
    notice_number: str = "〔{year}〕{seq}号"
    notice_recipients: str = ""
    notice_cc: str = ""

    def number(self, year: int | None, seq: int, round_: int) -> str:
        return self.report_number.format(year=year or "", seq=f"{seq:04d}", round=round_)


def load_report_settings(path: Path) -> ReportSettings:
    data, version = read_yaml(path)
    _expect_kind(data, "reports", path)
    fields = ("name", "assessing_unit", "report_number", "basis", "methods", "disclaimer", "evaluation_office")
    values: dict = {key: text_field(data, key, path) for key in fields}
    values["response_days"] = int(data.get("response_days") or 0)
    values["basis_documents"] = tuple(str(d) for d in data.get("basis_documents") or ())
    for key in ("report_use", "expert_pledge", "notice_issuer_mark", "notice_recipients", "notice_cc"):
        values[key] = str(data.get(key) or "").strip()
    values["notice_number"] = str(data.get("notice_number") or "〔{year}〕{seq}号")
    try:
        values["notice_number"].format(year=2027, seq=1)
    except (KeyError, IndexError, ValueError):
        raise RuleError(f"{path}: notice_number 只能使用 {{year}}、{{seq}}") from None
    try:
        values["report_number"].format(year=2027, seq="0001", round=1)
    except (KeyError, IndexError, ValueError):
        raise RuleError(f"{path}: report_number 只能使用 {{year}}、{{seq}}、{{round}}") from None
    return ReportSettings(version=version, **values)
