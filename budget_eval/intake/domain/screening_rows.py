"""Screen one row of a budget-system export (批量筛查): read its cells, then apply art. 5 screening."""
from __future__ import annotations

import math
from decimal import Decimal
from collections.abc import Callable, Mapping
from typing import ParamSpec, TypeVar

from budget_eval.platform.domain.money import MoneyError, parse_amount_exact
from budget_eval.intake.domain.rule_files import ScreeningRules
from budget_eval.intake.domain.screening import screen, ScreeningInput

P = ParamSpec("P")
T = TypeVar("T")

COL_NAME = "项目名称"
COL_DEPARTMENT = "申报部门"
COL_CATEGORY = "项目类别"
COL_NEW = "是否新出台"
COL_AMOUNT = "申请财政资金(万元)"
COL_EMERGENCY = "是否应急抢险救灾"
INPUT_HEADERS = (COL_NAME, COL_DEPARTMENT, COL_CATEGORY, COL_NEW, COL_AMOUNT, COL_EMERGENCY)
COL_RESULT = "是否需事前绩效评估"
COL_BASIS = "判定依据"
INVALID = "数据有误"

_YES = {"是", "y", "yes", "true", "1"}
_NO = {"否", "n", "no", "false", "0"}


class RowError(ValueError):
    """A cell that cannot be read; the message says which column and why."""


def screen_row(row: Mapping[str, object], rules: ScreeningRules, unit: str = "万元") -> tuple[str, str]:
    """Return (result, basis) for one row; a bad row gives (数据有误, the reasons)."""
    return screen_row_amount(row, rules, unit)[:2]


def screen_row_amount(row: Mapping[str, object], rules: ScreeningRules,
                      unit: str = "万元") -> tuple[str, str, Decimal | None]:
    """Return (result, basis, amount in 万元 as read) for one row; a bad row gives (数据有误, the reasons, …).

    `unit` is the unit the amount column is in (read from its header or a unit row); a cell stating its
    own unit ("5亿元") wins.
    """
    problems: list[str] = []

    def attempt(read: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T | None:
        try:
            return read(*args, **kwargs)
        except RowError as exc:
            problems.append(str(exc))
            return None

    category = attempt(_category, row.get(COL_CATEGORY), rules)
    is_new = attempt(_yes_no, row.get(COL_NEW), COL_NEW, {"新出台": True, "新增": True, "延续": False})
    amount = attempt(_amount, row.get(COL_AMOUNT), unit)
    # an empty emergency cell means 否: budget exports leave the column blank for ordinary items
    emergency = attempt(_yes_no, row.get(COL_EMERGENCY), COL_EMERGENCY, {}, False)
    if _blank(row.get(COL_NAME)):
        problems.append(f"{COL_NAME}为空")
    if problems or category is None or is_new is None or amount is None or emergency is None:
        return INVALID, "；".join(problems), amount  # (a cell read as None has noted its problem)
    result = screen(ScreeningInput(category, is_new, amount, emergency), rules)
    return result.outcome.label, result.basis, amount


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""


def _category(value: object, rules: ScreeningRules) -> str:
    if _blank(value):
        raise RowError(f"{COL_CATEGORY}为空")
    category = rules.category_by_label(str(value))
    if category is None:
        allowed = "、".join(c.label for c in rules.categories)
        raise RowError(f"{COL_CATEGORY}“{value}”无法识别，应为{allowed}之一")
    return category.code


def _yes_no(value: object, column: str, extra: dict[str, bool], default: bool | None = None) -> bool:
    if _blank(value):
        if default is not None:
            return default
        raise RowError(f"{column}为空，应填“是”或“否”")
    if isinstance(value, bool):
        return value
    text = str(value).strip()
    if text in extra:
        return extra[text]
    if text.lower() in _YES:
        return True
    if text.lower() in _NO:
        return False
    raise RowError(f"{column}“{value}”无法识别，应填“是”或“否”")


def _amount(value: object, unit: str) -> Decimal:
    try:
        amount, _ = parse_amount_exact(value, unit)
    except MoneyError as exc:
        raise RowError(f"{COL_AMOUNT}：{exc}") from None
    if amount is None:
        raise RowError(f"{COL_AMOUNT}为空")
    return amount
