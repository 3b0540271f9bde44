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


UNITS = {"亿元": WAN_PER_YI, "亿": WAN_PER_YI, "万元": Decimal(1), "万": Decimal(1), "元": Decimal(1) / WAN_PER_YI}
UNIT_NAMES = {"亿": "亿元", "万": "万元"}  # the short forms, as read, under their full names


def parse_amount(value: object, default_unit: str = "万元", *,
                 allow_negative: bool = False) -> tuple[Decimal | None, str | None]:
    """Read an amount written in 元, 万元 or 亿元 and return (万元 with two decimals, the unit written).

    `3亿元`, `30,000万`, `300000000元` and `３亿元` all give (30000.00, unit). A bare number (or a spreadsheet
    number) is taken in `default_unit` and the unit returned is None, so a caller can ask whether a large
    bare figure was meant in 元. Blank gives (None, None). The result never rounds: an amount that does not
    come to a whole 分 of 万元 (i.e. to 100元) is refused.
    """
    if value is None or isinstance(value, float) and math.isnan(value):
        return None, None  # an empty cell
    if isinstance(value, bool):
        raise MoneyError("金额应为数字")
    factor = UNITS[default_unit]
    if isinstance(value, float):
        return _from_float(value, allow_negative, factor), None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    for token in (",", " ", "人民币"):
        text = text.replace(token, "")
    unit = next((u for u in UNITS if text.endswith(u)), None)
    if unit is not None:
        text, factor = text[: -len(unit)], UNITS[unit]
    if text == "":
        if unit is not None:
            raise MoneyError(f"“{value}”缺少数字")
        return None, None
    try:
        amount = _bounded(Decimal(text) * factor, allow_negative)
    except InvalidOperation:
        raise MoneyError(f"“{value}”不是有效的金额") from None
    if amount != amount.quantize(CENT):
        written = UNIT_NAMES.get(unit, unit) if unit else default_unit
        raise MoneyError("金额以万元为单位，最多保留两位小数" if written == "万元"
                         else f"按{written}填写的金额折合万元后超过两位小数，请核对")
    return amount.quantize(CENT), (UNIT_NAMES.get(unit, unit) if unit is not None else None)


def parse_wan(value: object, *, allow_negative: bool = False) -> Decimal | None:
    """Read an amount in 万元 from a cell or a form field; None when blank (see `parse_amount`)."""
    return parse_amount(value, "万元", allow_negative=allow_negative)[0]


def probably_yuan(amount: Decimal | None, unit_read: str | None, line_wan: Decimal) -> bool:
    """A bare figure at or above the line (set in rules/) was probably typed in 元, not 万元."""
    return amount is not None and unit_read is None and abs(amount) >= line_wan


def _from_float(value: float, allow_negative: bool, factor: Decimal = Decimal(1)) -> Decimal:
    """Take a spreadsheet's binary float to the two-decimal amount it displays."""
    amount = _bounded(Decimal(repr(value)) * factor, allow_negative)
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


_EXACT_UNITS = {"元": -4, "万元": 0, "亿元": 4}  # power of ten to 万元 (unit conversions, not policy figures)
_EXACT_WORDS = (("亿元", "亿元"), ("万元", "万元"), ("亿", "亿元"), ("万", "万元"), ("元", "元"))
_EXACT_PLACES = {"元": 2, "万元": 2, "亿元": 6}  # decimals accepted in each unit: 分, and 百元 for 万元 and 亿元


def parse_amount_exact(value: object, unit: str = "万元", *, allow_negative: bool = False) -> tuple[Decimal | None, str]:
    """Read an imported cell stated in `unit` (元/万元/亿元) exactly in 万元, with the unit used (imports).

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
        for word, name in _EXACT_WORDS:
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
    if abs(amount) > MAX_WAN.scaleb(-_EXACT_UNITS[unit]):
        raise MoneyError(f"金额过大，请检查单位是否为{unit}")
    places = Decimal(1).scaleb(-_EXACT_PLACES[unit])
    if isinstance(value, float):
        rounded = amount.quantize(places, rounding=ROUND_HALF_UP)
        amount = rounded if abs(amount - rounded) <= FLOAT_SLACK else amount
    if amount != amount.quantize(places):
        raise MoneyError(f"金额以{unit}为单位，最多保留{_EXACT_PLACES[unit]}位小数")
    wan = _bounded(amount.scaleb(_EXACT_UNITS[unit]), allow_negative)
    return (wan.quantize(CENT) if wan == wan.quantize(CENT) else wan.normalize()), unit


def format_wan(amount: Decimal | None, *, unit: bool = True) -> str:
    """Show 万元 with thousands separators and two decimals: 25,000.00万元."""
    if amount is None:
        return "—"
    # more than two decimals (an amount read in 元) are shown, never rounded across a threshold
    finer = isinstance(amount, Decimal) and amount.is_finite() and amount != amount.quantize(CENT)
    text = f"{amount.normalize():,f}" if finer else f"{amount:,.2f}"
    return f"{text}万元" if unit else text


def format_yi(amount: Decimal) -> str:
    """Show an amount in 亿元, exactly (never rounded across a threshold): 2.5亿元, 1.999999亿元."""
    yi = (amount / WAN_PER_YI).normalize()
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
