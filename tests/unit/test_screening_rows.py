"""Reading one spreadsheet row for batch screening."""
from pathlib import Path

import pytest

from budget_eval.intake.domain.rule_files import load_screening_rules
from budget_eval.intake.domain.screening_rows import INVALID, screen_row

RULES = load_screening_rules(Path(__file__).resolve().parents[2] / "rules" / "screening.yaml")


def row(**cells):
    base = {"项目名称": "项目", "申报部门": "市交通运输局", "项目类别": "基建投资项目", "是否新出台": "是",
            "申请财政资金(万元)": "25,000", "是否应急抢险救灾": "否"}
    base.update(cells)
    return base


@pytest.mark.parametrize(
    ("cells", "result"),
    [
        ({}, "需要"),
        ({"申请财政资金(万元)": 19999.99}, "不需要"),
        ({"申请财政资金(万元)": "20,000"}, "需要"),
        ({"项目类别": "政策", "申请财政资金(万元)": 1000}, "需要"),
        ({"项目类别": "其他", "申请财政资金(万元)": "999.99"}, "不需要"),
        ({"是否新出台": "否"}, "不需要"),
        ({"是否新出台": "延续"}, "不需要"),
        ({"是否应急抢险救灾": "是"}, "免于评估"),
        ({"是否应急抢险救灾": None}, "需要"),  # blank means 否
        ({"是否应急抢险救灾": float("nan")}, "需要"),
    ],
)
def test_good_rows(cells, result):
    assert screen_row(row(**cells), RULES)[0] == result


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ({"项目类别": "道路"}, "项目类别“道路”无法识别"),
        ({"项目类别": None}, "项目类别为空"),
        ({"是否新出台": "也许"}, "是否新出台“也许”无法识别"),
        ({"是否新出台": ""}, "是否新出台为空"),
        ({"申请财政资金(万元)": "两千万"}, "申请财政资金(万元)：“两千万”不是有效的金额"),
        ({"申请财政资金(万元)": -5}, "不能为负数"),
        ({"申请财政资金(万元)": None}, "申请财政资金(万元)为空"),
        ({"项目名称": "  "}, "项目名称为空"),
    ],
)
def test_bad_rows_say_why(cells, reason):
    result, basis = screen_row(row(**cells), RULES)
    assert result == INVALID
    assert reason in basis


def test_every_problem_of_a_row_is_reported():
    _, basis = screen_row(row(项目类别="道路", 是否新出台="也许"), RULES)
    assert "项目类别" in basis and "是否新出台" in basis


@pytest.mark.parametrize("cell", ["2亿元", "20,000万", "200000000元", "２亿元", 20000.0])
def test_amount_column_reads_any_unit(cell):
    result, basis = screen_row(row(**{"申请财政资金(万元)": cell}), RULES)
    assert result == "需要" and "申请财政资金合计20,000.00万元" in basis


def test_a_row_just_below_two_yi_is_described_without_a_rounded_yi_figure():
    result, basis = screen_row(row(**{"申请财政资金(万元)": "19,999.99"}), RULES)
    assert result == "不需要"
    assert "申请财政资金合计19,999.99万元，低于基建投资项目2亿元的评估门槛" in basis
    assert "亿元（19,999.99万元）" not in basis
