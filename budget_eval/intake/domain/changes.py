"""A proposal's changes between two stored versions as a reader sees them: each field's old and new value in
Chinese (amounts, years, codes by their names), never a Python literal."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from budget_eval.intake.domain.intake import Record, RECORD_LABELS, record_changes
from budget_eval.platform.domain.money import format_wan


@dataclass(frozen=True)
class ValueNames:
    """The Chinese names a stored version's codes are shown by (from the rule files, passed in by the caller)."""
    category: Any = None  # code -> label
    nature: Any = None  # code -> label
    source: Any = None  # code -> label


def shown_changes(old: Record, new: Record, names: ValueNames) -> list[tuple[str, str, str]]:
    """record_changes as a reader sees them: each field's old and new value in Chinese, amounts as 1,200.00万元,
    years as 2027年, yes/no as 是/否, codes by their names and an empty field as （未填）; never a Python literal."""
    return [(label, shown_value(_key_of(label), before, names), shown_value(_key_of(label), after, names))
            for label, before, after in record_changes(old, new)]


def _key_of(label: str) -> str:
    return next(key for key, text in RECORD_LABELS.items() if text == label)


EMPTY = "（未填）"


def shown_value(key: str, value: Any, names: ValueNames) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if key == "is_new":
        return "新出台" if value else "延续"
    if isinstance(value, bool):
        return "是" if value else "否"
    if key in ("year", "start_year", "end_year"):
        return f"{value}年"
    if key == "fiscal_total_wan":
        return format_wan(_decimal(value))
    if key == "fund_years":
        return "；".join(f"{year}年 {format_wan(_decimal(amount))}" for year, amount in value)
    if key == "sources":
        return "；".join(f"{_name(names.source, code)} {format_wan(_decimal(amount))}" for code, amount in value.items())
    if key == "category":
        return _name(names.category, value)
    if key == "nature":
        return _name(names.nature, value)
    if key == "targets":
        return "；\n".join(_target_text(row) for row in value)
    return str(value)


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (ArithmeticError, ValueError):
        return None


def _name(labels: Any, code: Any) -> str:
    try:
        return str(labels(code)) if labels is not None else str(code)
    except (KeyError, ValueError):
        return str(code)


TARGET_COLUMNS = ("level1", "level2", "name", "comparator", "value", "unit", "basis", "year")  # a stored row


def _target_text(row: list[Any]) -> str:
    cells = ["" if cell is None else str(cell) for cell in row] + [""] * len(TARGET_COLUMNS)
    level1, level2, name, comparator, value, unit, _basis, year = cells[:len(TARGET_COLUMNS)]
    where = "/".join(c for c in (level1, level2) if c)
    when = f"（{year}年）" if year else ""
    return f"{where}：{name} {comparator}{value}{unit}{when}".strip()
