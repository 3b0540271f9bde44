"""Field validators and converters with Chinese messages (WTForms' defaults are English)."""
from __future__ import annotations

from decimal import Decimal

from wtforms.validators import ValidationError

from budget_eval.platform.domain.money import MoneyError, parse_amount, parse_wan

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


class Year:
    """Validate that a field holds a year (or is blank)."""

    def __call__(self, form, field):
        to_year(field.data)


class Amount:
    """Validate that a field holds an amount in 万元 (or is blank)."""

    def __call__(self, form, field):
        to_amount(field.data)
