"""Money in 万元 as Decimal: parsing user text and showing amounts as a Chinese reader expects."""
from __future__ import annotations

import math
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
WAN_PER_YI = Decimal(10000)  # 1亿元 = 10000万元 (a unit conversion, not a policy figure)
MAX_WAN = Decimal("999999999.99")  # far beyond any budget; keeps Decimal arithmetic within its precision
FLOAT_SLACK = Decimal("0.000001")  # float noise from spreadsheet formulas, far below a cent


class MoneyError(ValueError):
    """An amount that cannot be read; the message is Chinese and fit for the user."""


def parse_wan(value: object, *, allow_negative: bool = False) -> Decimal | None:
    """Read an amount in 万元 from a cell or a form field; None when blank.

    Accepts numbers and text with thousands separators (1,234.5 / 1，234.5), full-width digits and a
    trailing 万元/万. Refuses NaN text, infinities, more than two decimals and (by default) negatives.
    """
    if value is None or isinstance(value, float) and math.isnan(value):
        return None  # an empty cell
    if isinstance(value, bool):
        raise MoneyError("金额应为数字")
    if isinstance(value, float):
        return _from_float(value, allow_negative)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    for token in ("万元", "万", ",", " "):
        text = text.replace(token, "")
    if text == "":
        return None
    try:
        amount = _bounded(Decimal(text), allow_negative)
    except InvalidOperation:
        raise MoneyError(f"“{value}”不是有效的金额") from None
    if amount != amount.quantize(CENT):
        raise MoneyError("金额以万元为单位，最多保留两位小数")
    return amount.quantize(CENT)


UNITS = {"元": -4, "万元": 0, "亿元": 4}  # power of ten to 万元 (unit conversions, not policy figures)
_UNIT_WORDS = (("亿元", "亿元"), ("万元", "万元"), ("亿", "亿元"), ("万", "万元"), ("元", "元"))
_PLACES = {"元": 2, "万元": 2, "亿元": 6}  # decimals accepted in each unit: 分, and 百元 for 万元 and 亿元


def parse_amount(value: object, unit: str = "万元", *, allow_negative: bool = False) -> tuple[Decimal | None, str]:
    """Read an amount stated in `unit` (元/万元/亿元) and return it exactly in 万元, with the unit used.

    A cell that states its own unit ("5亿元", "3,000元") wins over `unit`. None when blank. Conversion is
    exact (Decimal): 1元 = 0.0001万元, never rounded; a spreadsheet float is first taken to the decimals
    its unit allows (分 for 元), which removes binary noise without moving a figure.
    """
    if value is None or isinstance(value, float) and math.isnan(value):
        return None, unit
    if isinstance(value, bool):
        raise MoneyError("金额应为数字")
    if isinstance(value, int | float):
        text = repr(float(value)) if isinstance(value, float) else str(value)
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        for token in (",", " ", "人民币", "¥", "￥"):
            text = text.replace(token, "")
        for word, name in _UNIT_WORDS:
            if text.endswith(word):
                text, unit = text[: -len(word)], name
                break
        if text == "":
            return None, unit
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise MoneyError(f"“{value}”不是有效的金额") from None
    if not amount.is_finite():
        raise MoneyError("金额应为有限的数字")
    if abs(amount) > MAX_WAN.scaleb(-UNITS[unit]):
        raise MoneyError(f"金额过大，请检查单位是否为{unit}")
    places = Decimal(1).scaleb(-_PLACES[unit])
    if isinstance(value, float):
        rounded = amount.quantize(places, rounding=ROUND_HALF_UP)
        amount = rounded if abs(amount - rounded) <= FLOAT_SLACK else amount
    if amount != amount.quantize(places):
        raise MoneyError(f"金额以{unit}为单位，最多保留{_PLACES[unit]}位小数")
    wan = _bounded(amount.scaleb(UNITS[unit]), allow_negative)
    return (wan.quantize(CENT) if wan == wan.quantize(CENT) else wan.normalize()), unit


def _from_float(value: float, allow_negative: bool) -> Decimal:
    """Take a spreadsheet's binary float to the two-decimal amount it displays."""
    amount = _bounded(Decimal(repr(value)), allow_negative)
    rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if abs(amount - rounded) > FLOAT_SLACK:
        raise MoneyError("金额以万元为单位，最多保留两位小数")
    return rounded


def _bounded(amount: Decimal, allow_negative: bool) -> Decimal:
    if not amount.is_finite():
        raise MoneyError("金额应为有限的数字")
    if abs(amount) > MAX_WAN:  # checked before any quantize, which fails on huge values
        raise MoneyError("金额过大，请检查单位是否为万元")
    if amount < 0 and not allow_negative:
        raise MoneyError("金额不能为负数")
    return amount


def format_wan(amount: Decimal | None, *, unit: bool = True) -> str:
    """Show 万元 with thousands separators and two decimals: 25,000.00万元."""
    if amount is None:
        return "—"
    # more than two decimals (an amount read in 元) are shown, never rounded across a threshold
    finer = isinstance(amount, Decimal) and amount.is_finite() and amount != amount.quantize(CENT)
    text = f"{amount.normalize():,f}" if finer else f"{amount:,.2f}"
    return f"{text}万元" if unit else text


def format_yi(amount: Decimal) -> str:
    """Show an amount in 亿元 with up to four decimals and no trailing zeros: 2.5亿元."""
    yi = (amount / WAN_PER_YI).quantize(Decimal("0.0001")).normalize()
    text = f"{yi:,f}"
    return f"{text}亿元"


def format_round(amount: Decimal) -> str:
    """Show a round figure such as a threshold the way rules state it: 3亿元, 500万元, 999.5万元."""
    if abs(amount) >= WAN_PER_YI:
        return format_yi(amount)
    text = f"{amount.quantize(CENT).normalize():f}"
    return f"{text}万元"


def format_money(amount: Decimal | None) -> str:
    """Show 亿元 beside 万元 once an amount reaches 1亿元, as finance documents do."""
    if amount is None:
        return "—"
    if abs(amount) >= WAN_PER_YI:
        return f"{format_yi(amount)}（{format_wan(amount)}）"
    return format_wan(amount)
