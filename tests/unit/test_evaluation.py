"""The departmental scoring engine under both shipped schemes: quotas, ties, veto, pass line, two-year rule."""
from decimal import Decimal
from decimal import Decimal as D
from pathlib import Path

import pytest

from budget_eval.evaluation.domain.evaluation import Entry, evaluate, leadership_rate, target_rate, TargetScore
from budget_eval.evaluation.domain.scheme import load_scheme
from budget_eval.evaluation.domain.survey import satisfaction

SCHEMES = Path(__file__).resolve().parents[2] / "rules" / "schemes"
HZ = load_scheme(SCHEMES / "hangzhou.yaml")
HD = load_scheme(SCHEMES / "haidian.yaml")


def hz(n: int, total_rate: str, group: str = "city", **kw) -> Entry:
    rate = D(total_rate)
    return Entry(n, f"单位{n:03d}", group, {"target": rate, "leadership": rate, "social": rate}, **kw)


def test_hangzhou_points_are_45_5_50():
    assert [(c.label, c.points) for c in HZ.components] == [("目标考核", 45), ("领导考评", 5), ("社会评价", 50)]
    result = evaluate([hz(1, "0.9")], HZ)[0]
    assert result.components == {"target": D("40.50"), "leadership": D("4.50"), "social": D("45.00")}
    assert result.total == D("90.00")


def test_hangzhou_quotas_reproduce_2020_counts():
    """2020: 78 city departments → 18 优秀 (2 of them 专项晋优, beyond the quota), 16 良好, 44 达标; 15 dual-managed
    → 3, 3, 9. The quota (20%) leaves the two 专项晋优 places out, so they are not counted twice."""
    entries = [hz(n, str(D("0.99") - D(n) / 1000), promoted=n in (50, 51)) for n in range(78)]
    entries += [hz(100 + n, str(D("0.98") - D(n) / 1000), group="dual") for n in range(15)]
    results = evaluate(entries, HZ)
    for group, expected in (("city", (18, 16, 44)), ("dual", (3, 3, 9))):
        grades = [r.grade for r in results if r.group == group]
        assert (grades.count("优秀"), grades.count("良好"), grades.count("达标")) == expected
    city = [r for r in results if r.group == "city"]
    assert [r.rank for r in city[:3]] == [1, 2, 3] and city[0].group_size == 78


def test_pass_line_makes_不达标():
    results = evaluate([hz(1, "0.95"), hz(2, "0.83"), hz(3, "0.819")], HZ)
    assert [r.total for r in results] == [D("95.00"), D("83.00"), D("81.91")]
    assert results[-1].grade == "不达标"


def test_ties_share_rank_and_grade():
    entries = [hz(n, "0.95") for n in range(3)] + [hz(n, "0.90") for n in range(3, 10)]
    results = evaluate(entries, HZ)
    assert [r.rank for r in results[:4]] == [1, 1, 1, 4]
    # 10 × 20% = 2 places for 优秀, but the three tied at the top all get it
    assert [r.grade for r in results[:3]] == ["优秀"] * 3
    assert results[3].grade == "良好"


def test_veto_bars_the_top_grades_in_hangzhou():
    entries = [hz(1, "0.99", vetoes=("安全生产",)), hz(2, "0.90"), hz(3, "0.88"), hz(4, "0.86"), hz(5, "0.85")]
    results = evaluate(entries, HZ)
    first = results[0]
    assert first.rank == 1 and first.grade == "达标"
    assert "发生否决事项：安全生产" in first.notes
    assert results[1].grade == "优秀"


def test_bonus_and_deduction_are_capped():
    result = evaluate([hz(1, "0.8", bonus=D("7"), deduction=D("9"))], HZ)[0]
    assert (result.bonus, result.deduction, result.total) == (D("3.00"), D("5.00"), D("78.00"))
    assert any("超过上限" in n for n in result.notes)


def hd(n: int, rate: str, **kw) -> Entry:
    r = D(rate)
    return Entry(n, f"单位{n}", "all", {"duty": r, "efficiency": r, "service": r}, **kw)


@pytest.mark.parametrize(
    ("rate", "grade"),
    [("0.95", "达标先进"), ("0.90", "达标先进"), ("0.899", "达标"), ("0.80", "达标"), ("0.75", "基本达标"),
     ("0.70", "基本达标"), ("0.699", "不达标")],
)
def test_haidian_thresholds(rate, grade):
    assert evaluate([hd(1, rate)], HD)[0].grade == grade


def test_haidian_veto_cannot_be_达标先进():
    result = evaluate([hd(1, "0.97", vetoes=("信访",))], HD)[0]
    assert result.grade == "达标"


@pytest.mark.parametrize(
    ("rate", "history", "flag"),
    [("0.65", (), True), ("0.75", ("基本达标",), True), ("0.75", ("达标",), False), ("0.75", (), False),
     ("0.85", ("基本达标",), False)],
)
def test_haidian_leadership_adjustment(rate, history, flag):
    result = evaluate([hd(1, rate, history=history)], HD)[0]
    assert result.adjust_leadership is flag
    assert ("建议组织部门调整其单位领导工作岗位" in result.notes) is flag


def test_missing_component_counts_zero_with_a_note():
    entry = Entry(1, "单位", "city", {"target": D("1"), "leadership": None, "social": D("1")})
    result = evaluate([entry], HZ)[0]
    assert result.total == D("95.00") and "领导考评暂无数据，按0分计" in result.notes


def test_target_and_leadership_rates():
    assert target_rate([TargetScore(D(60), D(90)), TargetScore(D(40), D(100))]) == D("0.94")
    assert target_rate([TargetScore(D(60), None)]) is None
    assert leadership_rate([D(90), D(80)]) == D("0.85")


def test_satisfaction_weights_groups_and_leaves_out_unknown():
    counts = {("市民代表", "满意"): 6, ("市民代表", "不满意"): 2, ("市民代表", "不了解"): 5, ("党代表", "比较满意"): 2}
    result = satisfaction(counts, HZ.survey)
    assert (result.respondents, result.unknown) == (10, 5)
    assert result.rate == D("0.8")
    # 市民代表 mean 75 (weight 3), 党代表 mean 80 (weight 1): (225 + 80) / 4
    assert result.score == D("76.25")


def test_unranked_units_are_scored_but_neither_ranked_nor_graded():
    scheme = HZ.model_copy(update={"unranked_units": ("市政府办公厅",)})
    entries = [Entry(1, "市政府办公厅", "city", {"target": Decimal(1), "leadership": Decimal(1), "social": Decimal(1)}),
               Entry(2, "甲局", "city", {"target": Decimal("0.9"), "leadership": Decimal("0.9"), "social": Decimal("0.9")})]
    results = {r.name: r for r in evaluate(entries, scheme)}
    assert results["市政府办公厅"].total == Decimal("100.00")
    assert results["市政府办公厅"].rank == 0 and results["市政府办公厅"].grade == ""
    assert "单列" in results["市政府办公厅"].notes[-1]
    assert results["甲局"].rank == 1 and results["甲局"].group_size == 1


def test_special_promotion_raises_nominated_units_beyond_the_quota_up_to_the_places():
    rates = [Decimal(x) for x in ("0.99", "0.98", "0.97", "0.96", "0.95", "0.94", "0.93", "0.92", "0.91", "0.90")]
    entries = [Entry(i, f"单位{i}", "city", {"target": r, "leadership": r, "social": r},
                     promoted=i in (6, 7, 8)) for i, r in enumerate(rates)]
    results = {r.name: r for r in evaluate(entries, HZ)}
    excellent = [n for n, r in results.items() if r.grade == "优秀"]
    assert HZ.promotion_grade == "优秀" and HZ.promotion_places == 2
    quota = int((Decimal("0.23") * 10).quantize(Decimal(1)))
    assert len(excellent) == quota + 2  # two of the three nominated units, the better ranked first
    assert "专项晋优" in results["单位6"].notes and "专项晋优" in results["单位7"].notes
    assert results["单位8"].grade != "优秀"


def test_a_veto_bars_special_promotion():
    r = Decimal("0.90")
    entries = [Entry(i, f"单位{i}", "city", {"target": r, "leadership": r, "social": r}) for i in range(9)]
    entries.append(Entry(9, "单位9", "city", {"target": Decimal("0.89"), "leadership": r, "social": r},
                         promoted=True, vetoes=("安全生产",)))
    assert {x.name: x for x in evaluate(entries, HZ)}["单位9"].grade != "优秀"
