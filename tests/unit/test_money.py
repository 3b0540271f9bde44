from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budget_eval.platform.domain.money import MoneyError, format_money, format_round, format_wan, parse_amount, parse_amount_exact, parse_wan


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.5", "1234.50"),
        ("1，234.5", "1234.50"),  # full-width comma
        ("１２３４", "1234.00"),  # full-width digits
        ("12万元", "12.00"),
        (" 7 ", "7.00"),
        (25000, "25000.00"),
        (1234.56, "1234.56"),
        (0.30000000000000004, "0.30"),  # a spreadsheet formula's float noise
        ("0", "0.00"),
    ],
)
def test_parse_accepts_what_people_type(text, expected):
    assert parse_wan(text) == Decimal(expected)


@pytest.mark.parametrize("blank", [None, "", "   ", float("nan")])
def test_parse_blank_is_none(blank):
    assert parse_wan(blank) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "不是有效的金额"),
        ("1.234", "最多保留两位小数"),
        ("-1", "不能为负数"),
        ("NaN", "有限的数字"),
        ("inf", "有限的数字"),
        (float("inf"), "有限的数字"),
        ("1e30", "金额过大"),
        (True, "应为数字"),
    ],
)
def test_parse_refuses_with_a_chinese_message(text, message):
    with pytest.raises(MoneyError, match=message):
        parse_wan(text)


def test_formats():
    assert format_wan(Decimal("25000")) == "25,000.00万元"
    assert format_money(Decimal("960")) == "960.00万元"
    assert format_money(Decimal("25000")) == "2.5亿元（25,000.00万元）"
    assert format_money(Decimal("123456.78")) == "12.345678亿元（123,456.78万元）"
    assert format_round(Decimal("20000")) == "2亿元"
    assert format_round(Decimal("1000")) == "1000万元"
    assert format_money(None) == "—"


@given(st.decimals(min_value=0, max_value=Decimal("999999999.99"), places=2))
def test_parse_round_trips_formatted_amounts(amount):
    assert parse_wan(format_wan(amount)) == amount
    assert parse_wan(str(amount)) == amount


@given(st.text(max_size=30))
def test_parse_never_fails_with_anything_but_a_money_error(text):
    try:
        result = parse_wan(text)
    except MoneyError:
        return
    assert result is None or (result >= 0 and result == result.quantize(Decimal("0.01")))


@pytest.mark.parametrize(("value", "unit", "wan", "read"), [
    ("25,000", "万元", Decimal("25000.00"), "万元"),
    (200000000, "元", Decimal("20000.00"), "元"),
    ("199,999,999.99", "元", Decimal("19999.999999"), "元"),
    (0.1 + 0.2, "元", Decimal("0.00003"), "元"),  # float noise from a formula, taken to the 分 it shows
    ("2.5亿元", "元", Decimal("25000.00"), "亿元"),  # the cell's own unit wins
    ("３，０００元", "万元", Decimal("0.30"), "元"),
    ("1.234567", "亿元", Decimal("12345.67"), "亿元"),
    ("", "元", None, "元"),
])
def test_parse_amount_exact_converts_exactly_to_wan(value, unit, wan, read):
    assert parse_amount_exact(value, unit) == (wan, read)


@pytest.mark.parametrize(("value", "unit", "message"), [
    ("12.345", "元", "最多保留2位小数"), ("abc", "元", "不是有效的金额"), ("-5", "元", "不能为负数"),
    ("1e20", "元", "金额过大"),
])
def test_parse_amount_exact_refuses_what_it_cannot_read(value, unit, message):
    with pytest.raises(MoneyError, match=message):
        parse_amount_exact(value, unit)


def test_amounts_finer_than_a_cent_are_shown_not_rounded_across_a_threshold():
    assert format_wan(Decimal("19999.999999")) == "19,999.999999万元"
    assert format_wan(Decimal("25000")) == "25,000.00万元" and format_wan(0) == "0.00万元"


@pytest.mark.parametrize(
    ("text", "unit"),
    [("2亿元", "亿元"), ("2亿", "亿元"), ("20,000万", "万元"), ("20000万元", "万元"), ("200000000元", "元"),
     ("２亿元", "亿元"), ("２０，０００万元", "万元"), ("200,000,000元", "元"), ("人民币2亿元", "亿元")],
)
def test_amounts_in_any_unit_read_as_wan(text, unit):
    from budget_eval.platform.domain.money import parse_amount

    assert parse_amount(text, "万元") == (Decimal("20000.00"), unit)
    assert format_wan(parse_amount(text, "万元")[0]) == "20,000.00万元"


def test_bare_numbers_take_the_default_unit_and_report_no_unit():
    from budget_eval.platform.domain.money import parse_amount

    assert parse_amount("1200", "万元") == (Decimal("1200.00"), None)
    assert parse_amount("12000000", "元") == (Decimal("1200.00"), None)
    assert parse_amount(260000000.0, "元") == (Decimal("26000.00"), None)
    assert parse_amount("", "万元") == (None, None)


def test_yuan_beyond_a_hundred_yuan_precision_is_refused_not_rounded():
    from budget_eval.platform.domain.money import parse_amount

    with pytest.raises(MoneyError, match="按元填写的金额折合万元后超过两位小数"):
        parse_amount("12345678元", "万元")
    with pytest.raises(MoneyError, match="缺少数字"):
        parse_amount("亿元", "万元")


def test_probably_yuan_only_for_bare_figures_at_the_line():
    from budget_eval.platform.domain.money import probably_yuan

    line = Decimal("1000000")
    assert probably_yuan(Decimal("12000000"), None, line)
    assert not probably_yuan(Decimal("12000000"), "万元", line)  # the unit was written: no doubt
    assert not probably_yuan(Decimal("999999.99"), None, line)


def test_display_never_rounds_across_a_threshold():
    assert format_money(Decimal("19999.99")) == "1.999999亿元（19,999.99万元）"
    assert "2亿元" not in format_money(Decimal("19999.99"))
