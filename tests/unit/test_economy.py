"""投入经济性, pure: unit-cost statistics (quartiles, index adjustment, outliers, the comparison), the
cost–benefit figures against hand-computed cases, cost-line sums and threshold splitting (issue 26)."""
from datetime import date
from decimal import Decimal as D

import pytest

from budget_eval.assessment.domain import cost_benefit as cb
from budget_eval.assessment.domain.unit_costs import (
    adjust, classify, compare, IndexGap, index_factor, optimism_uplift, outliers, quantile, Sample, stats,
)
from budget_eval.intake.domain.cost_lines import CostLine, cost_line_problems, line_amount_wan
from budget_eval.intake.domain.splitting import Item, Rule, suspected_splits

BASES = ("quota", "quote", "contract", "other")


def close(a, b, places="0.0001"):
    return abs(D(a) - D(b)) <= D(places)


# --- unit-cost statistics ---------------------------------------------------------------------------------
def test_quartiles_interpolate_inclusively():
    assert quantile([D(4), D(1), D(3), D(2)], D("0.25")) == D("1.75")
    s = stats([D(1), D(2), D(3), D(4)])
    assert (s.q1, s.median, s.q3, s.iqr) == (D("1.75"), D("2.5"), D("3.25"), D("1.5"))
    s = stats([D(500), D(100), D(300), D(200), D(400)])
    assert (s.n, s.minimum, s.q1, s.median, s.q3, s.maximum) == (5, 100, 200, 300, 400, 500)
    assert stats([D(7)]).median == D(7) and stats([D(7)]).q3 == D(7)


def test_index_adjustment_compounds_each_later_year_and_inverts_backwards():
    index = {2025: D(102), 2026: D(103)}
    assert adjust(D(100), 2024, 2026, index) == D("105.06")
    assert adjust(D("105.06"), 2026, 2024, index) == D("100.00")
    assert index_factor(index, 2026, 2026) == 1
    with pytest.raises(IndexGap):
        adjust(D(100), 2023, 2026, index)


def test_outliers_beyond_tukey_fences():
    assert outliers([D(10), D(11), D(12), D(13), D(100)], D("1.5")) == [D(100)]
    assert outliers([D(10), D(11), D(12)], D("1.5")) == []
    assert outliers([D(5)], D("1.5")) == []


def sample(price, year=2026, label="x", kind="project", approved=None, actual=None, unit="公里"):
    return Sample("road", unit, year, D(price), label, f"src-{label}", kind=kind, approved_wan=approved,
                  actual_wan=actual)


SETTINGS = dict(max_age_years=6, min_class=3, fence=D("1.5"), uplift_min_class=5, uplift_quantile=D("0.8"))


def test_comparison_position_flags_and_quota():
    index = {y: D(100) for y in range(2020, 2028)}
    lib = [sample(100, label="a"), sample(200, label="b"), sample(300, label="c"), sample(400, label="d"),
           sample(500, label="e"), sample(50, label="old", year=2015), sample(999, label="m", unit="米"),
           sample(350, label="q", kind="quota")]
    c = compare(D(450), "road", "公里", 2026, lib, index, **SETTINGS)
    assert [x.sample.label for x in c.comparables] == ["a", "b", "c", "d", "e"]  # too old, other unit, quota out
    assert c.stats.median == 300 and c.stats.q3 == 400
    assert c.position == "高于上四分位数" and c.above_q3 and c.percentile == D("80.0")
    assert c.quota_yuan == D(350) and c.above_quota
    low = compare(D(150), "road", "公里", 2026, lib, index, **SETTINGS)
    assert low.position == "低于下四分位数" and not low.above_q3 and not low.above_quota
    few = compare(D(150), "road", "公里", 2026, lib[:2], index, **SETTINGS)
    assert few.stats is None and few.position == "可比项目不足"
    mine = compare(D(150), "road", "公里", 2026, lib, index, **SETTINGS, exclude="src-a")
    assert len(mine.comparables) == 4


def test_optimism_uplift_only_with_a_large_enough_class_with_actuals():
    with_actuals = [sample(100, label=str(i), approved=D(100), actual=D(100 + 10 * i)) for i in range(5)]
    assert optimism_uplift(with_actuals, 5, D("0.8")) == D("32.0")  # overruns 0,10,20,30,40% → P80 = 32%
    assert optimism_uplift(with_actuals[:4], 5, D("0.8")) is None
    assert optimism_uplift([sample(100, label="n")] * 6, 5, D("0.8")) is None  # no actuals: no uplift
    under = [sample(100, label=str(i), approved=D(100), actual=D(80)) for i in range(5)]
    assert optimism_uplift(under, 5, D("0.8")) == 0


def test_classify_by_keyword_and_unit():
    types = [("road", ("道路",), ("公里",)), ("training", ("培训",), ("人次",))]
    assert classify("文一路道路改造", "公里", types) == "road"
    assert classify("道路改造", "平方米", types) is None
    assert classify("业务培训", "人次", types) == "training"


# --- cost–benefit -----------------------------------------------------------------------------------------
def test_npv_bcr_payback_irr_against_hand_computed_case():
    costs, benefits = [D(100)], [D(0), D(60), D(60)]
    # −100 + 60/1.1 + 60/1.21 = −100 + 54.5455 + 49.5868
    assert close(cb.npv(costs, benefits, D("0.1")), "4.1322")
    assert close(cb.bcr(costs, benefits, D("0.1")), "1.041322")
    assert cb.payback_year(costs, benefits) == 2
    # 60x + 60x² = 100, x = 1/(1+r): x = (−1 + √(1 + 20/3)) / 2 = 0.884437 → r = 13.0662%
    assert close(cb.irr(costs, benefits), "0.130662", "0.000001")
    assert close(cb.irr([D(100)], [D(0), D(110)]), "0.1", "0.000001")


def test_zero_discount_rate_is_the_plain_sum():
    costs, benefits = [D(100), D(20)], [D(0), D(70), D(70)]
    assert cb.npv(costs, benefits, D(0)) == D(20)
    assert cb.bcr(costs, benefits, D(0)) == D(140) / D(120)


def test_zero_and_negative_flows():
    assert cb.npv([], [], D("0.08")) == 0
    assert cb.bcr([D(0)], [D(50)], D("0.08")) is None  # no costs: no ratio
    assert cb.irr([D(0)], [D(0)]) is None  # no flows: no rate
    assert cb.payback_year([D(0)], [D(0)]) == 0
    assert cb.irr([D(100), D(10)], [D(0), D(5)]) is None  # never positive: no IRR
    assert cb.payback_year([D(100)], [D(0), D(10), D(10)]) is None  # never paid back
    # a negative benefit (a loss in operation) counts against the project
    assert cb.npv([D(100)], [D(0), D(-10)], D(0)) == D(-110)
    # two sign changes (−100, +230, −132): the rate is not unique, so none is given
    assert cb.irr([D(100), D(0), D(132)], [D(0), D(230)]) is None


def test_sensitivity_table():
    rows = cb.sensitivity([D(100)], [D(0), D(60), D(60)], D("0.1"), D("0.2"), D("0.2"), 1)
    assert [r.label for r in rows] == ["基准情形", "成本增加20%", "效益减少20%", "效益推迟1年"]
    assert close(rows[1].npv, "-15.8678")  # −120 + 104.1322
    assert close(rows[2].npv, "-16.6942")  # −100 + 0.8 × 104.1322
    assert close(rows[3].npv, "-5.3344")  # −100 + 60/1.21 + 60/1.331
    assert rows[3].payback == 3


def test_cost_per_unit_of_outcome():
    assert cb.cost_per_unit(D(300), D(3000)) == D("1000.00")  # 300万元 / 3,000 人次 = 1,000元/人次
    assert cb.cost_per_unit(D(300), D(0)) is None


# --- cost lines -------------------------------------------------------------------------------------------
def line(item="道路改造", q="12", unit="公里", price="5000000", amount="6000.00", basis="quota", doc="市政定额",
         target="道路改造里程"):
    return CostLine(item, D(q) if q else None, unit, D(price) if price else None, D(amount) if amount else None,
                    basis, doc, target)


def test_cost_lines_add_up_and_each_is_quantity_times_price():
    assert line_amount_wan(D(12), D(5000000)) == D("6000.00")
    ok = [line(), line("培训", "3000", "人次", "1000", "300.00", "quote", "询价单", "")]
    assert cost_line_problems(ok, D("6300.00"), BASES, ["道路改造里程"], complete=True) == []
    problems = dict(cost_line_problems(ok, D("6400.00"), BASES, ["道路改造里程"], complete=True))
    assert "费用明细合计6,300.00万元" in problems["cost_lines"] and "6,400.00万元" in problems["cost_lines"]
    wrong = dict(cost_line_problems([line(amount="5000.00")], D("5000.00"), BASES, ["道路改造里程"], complete=False))
    assert "数量×单价为6,000.00万元" in wrong["cost_lines-0-amount"]
    missing = dict(cost_line_problems([line(doc="", target="别的")], D("6000.00"), BASES, ["道路改造里程"],
                                      complete=True))
    assert set(missing) == {"cost_lines-0-document", "cost_lines-0-target"}


# --- splitting ----------------------------------------------------------------------------------------------
RULE = Rule(365, D("0.5"), D("0.6"), ("项目", "工程"), ("路", "街道"), ("面",))


def item(id, name, amount, on=date(2026, 3, 1), dept=1, purpose="", targets=()):
    return Item(id, dept, name, on, D(amount), D(1000), purpose, targets)


def test_two_600_items_of_one_purpose_are_flagged_and_unrelated_ones_not():
    a = item(1, "文一路道路提升改造（东段）", 600, purpose="改善文一路通行条件", targets=("道路改造里程",))
    b = item(2, "文一路道路提升改造（西段）", 600, on=date(2026, 9, 1), purpose="改善文一路通行条件",
             targets=("道路改造里程",))
    group = suspected_splits(a, [a, b], RULE)
    assert group is not None and group.ids == (1, 2) and group.total_wan == D(1200)
    assert "名称相近" in group.evidence[0] and "地点相同：文一路" in group.evidence[0]
    assert "产出指标相同：道路改造里程" in group.evidence[0]
    from budget_eval.intake.domain.splitting import places, shared_places
    assert shared_places(places("对西湖区五常街道背街小巷路面改造", ("街道", "路"), ("面",)),
                         places("改善五常街道通行", ("街道", "路"), ("面",))) == {"五常街道"}
    unrelated = item(3, "基层医疗机构设备购置", 600, purpose="更新设备")
    assert suspected_splits(unrelated, [a, unrelated], RULE) is None
    assert suspected_splits(a, [a, item(2, b.name, 600, dept=2)], RULE) is None  # another department
    assert suspected_splits(a, [a, item(2, b.name, 600, on=date(2027, 6, 1))], RULE) is None  # outside the window
    assert suspected_splits(a, [a, item(2, b.name, 300)], RULE) is None  # together still under
    assert suspected_splits(item(1, a.name, 1000), [b], RULE) is None  # itself at the threshold: screened anyway
