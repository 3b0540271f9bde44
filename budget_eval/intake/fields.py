"""Field validators and converters with Chinese messages (WTForms' defaults are English)."""
from __future__ import annotations

import unicodedata
from decimal import Decimal

from wtforms.validators import ValidationError

from budget_eval.intake.domain.cost_lines import YUAN_PER_WAN
from budget_eval.platform.domain.money import CENT, MAX_WAN, MoneyError, parse_amount, parse_wan

LARGEST = MAX_WAN * YUAN_PER_WAN  # a quantity or a price in 元 beyond any budget (keeps the column in range)

MIN_YEAR, MAX_YEAR = 2000, 2100  # sanity bounds for a budget year, not policy


def to_year(text: str | None) -> int | None:
    """Read a year such as 2027 or ２０２７年; None when blank."""
    text = (text or "").strip().removesuffix("年").strip()
    if not text:
        return None
    if not text.isdecimal():
        raise ValidationError("年度应为四位数字，如 2027")
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(f"年度应在{MIN_YEAR}至{MAX_YEAR}之间")
    return year


def to_amount(text: str | None) -> Decimal | None:
    try:
        return parse_wan(text)
    except MoneyError as exc:
        raise ValidationError(str(exc)) from None


def amount_and_unit(text: str | None) -> tuple[Decimal | None, str | None]:
    """The amount in 万元 and the unit written (None for a bare number); (None, None) when unreadable."""
    try:
        return parse_amount(text, "万元")
    except MoneyError:
        return None, None


def _decimal(text: str | None, what: str) -> Decimal | None:
    cleaned = unicodedata.normalize("NFKC", text or "").replace(",", "").replace(" ", "").strip()
    if not cleaned:
        return None
    try:
        number = Decimal(cleaned)
    except ArithmeticError:
        raise ValidationError(f"{what}应为数字") from None
    if not number.is_finite() or abs(number) >= LARGEST:
        raise ValidationError(f"{what}应为数字")
    if number != number.quantize(CENT):
        raise ValidationError(f"{what}最多保留两位小数")
    return number.quantize(CENT)


def to_quantity(text: str | None) -> Decimal | None:
    """A cost line's quantity (12.5 公里, 3,000 人次); None when blank."""
    return _decimal(text, "数量")


def to_yuan(text: str | None) -> Decimal | None:
    """A unit price in 元 (to the 分), written bare or with 元 (万元 are converted); None when blank."""
    cleaned = unicodedata.normalize("NFKC", text or "").strip()
    for unit, factor in (("万元", YUAN_PER_WAN), ("万", YUAN_PER_WAN), ("元", Decimal(1))):
        if cleaned.endswith(unit):
            number = _decimal(cleaned[: -len(unit)], "单价")
            return None if number is None else (number * factor).quantize(CENT)
    return _decimal(cleaned, "单价")


class Quantity:
    def __call__(self, form, field):
        to_quantity(field.data)


class Yuan:
    def __call__(self, form, field):
        to_yuan(field.data)


class Year:
    """Validate that a field holds a year (or is blank)."""

    def __call__(self, form, field):
        to_year(field.data)


class Amount:
    """Validate that a field holds an amount in 万元 (or is blank)."""

    def __call__(self, form, field):
        to_amount(field.data)
