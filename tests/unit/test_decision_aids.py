from decimal import Decimal
from pathlib import Path

from budget_eval.assessment.domain.decision_aids import Candidate, possible_duplicates, similarity, smart_check
from budget_eval.intake.domain.intake import Target
from budget_eval.intake.domain.rule_files import load_intake_rules

RULES = load_intake_rules(Path(__file__).resolve().parents[2] / "rules" / "intake.yaml")


def test_smart_check_passes_a_good_table():
    targets = [
        Target("产出指标", "数量指标", "新建道路里程", "12.5", "公里", "≥", "可研批复"),
        Target("产出指标", "时效指标", "主线通车", "2029年6月", "日期", "≤", "工期计划"),
        Target("效益指标", "社会效益指标", "通行时间缩短", "20", "%", "≥", "交通模型测算"),
        Target("成本指标", "经济成本指标", "每公里造价", "8000", "万元/公里", "≤", "同类工程造价"),
        Target("满意度指标", "服务对象满意度指标", "居民满意度", "90", "%", "≥", "往年调查"),
    ]
    assert [f.text for f in smart_check(targets, RULES) if not f.ok] == []


def test_smart_check_finds_each_gap():
    targets = [
        Target("产出指标", "数量指标", "改造食堂", "若干", "所", "="),
        Target("产出指标", "时效指标", "完工时间", "尽快", "—", "定性"),
        Target("效益指标", "社会效益指标", "学生就餐条件", "", "", "定性"),
        Target("成本指标", "经济成本指标", "改造成本", "较低", "", "定性"),
    ]
    failed = [f.text for f in smart_check(targets, RULES) if not f.ok]
    assert failed == [
        "数值目标缺少数字指标值或计量单位：改造食堂",
        "定性目标缺少描述：学生就餐条件",
        "未设置满意度指标",
        "产出指标未量化：改造食堂、完工时间",
        "时效指标未写明时间节点：完工时间",
        "成本指标未量化，或经济成本未写明单价或总额（计量单位含“元”）：改造成本",
    ]


def test_only_economic_cost_needs_a_money_unit():
    targets = [Target("成本指标", "经济成本指标", "每公里建设成本", "2000", "万元/公里", "≤"),
               Target("成本指标", "社会成本指标", "封闭施工", "30", "天", "≤"),
               Target("成本指标", "生态环境成本指标", "施工期碳排放", "500", "吨二氧化碳", "≤")]
    assert "成本指标均为数值目标，经济成本写明单价或总额" in [f.text for f in smart_check(targets, RULES) if f.ok]
    money_less = [Target("成本指标", "经济成本指标", "每公里建设成本", "2000", "公里", "≤")]
    assert any(f.text.endswith("：每公里建设成本") for f in smart_check(money_less, RULES) if not f.ok)


def test_targets_stored_before_comparators_are_read_by_their_value():
    old = [Target("产出指标", "数量指标", "新建道路里程", "12.5", "公里")]
    assert "数值目标均有数字指标值和计量单位" in [f.text for f in smart_check(old, RULES) if f.ok]


def test_the_indicator_tree_is_the_2021_one_from_the_rules():
    assert [level.label for level in RULES.indicator_levels] == ["产出指标", "效益指标", "成本指标", "满意度指标"]
    assert RULES.cost_levels == ("成本指标",)
    assert dict((lv.label, lv.children) for lv in RULES.indicator_levels)["成本指标"] == (
        "经济成本指标", "社会成本指标", "生态环境成本指标")
    assert RULES.comparators == ("≥", "≤", "=", "定性")


def test_similarity_of_chinese_names():
    assert similarity("城西综合交通枢纽配套道路工程", "城西综合交通枢纽配套道路工程") == 1
    assert similarity("城西综合交通枢纽配套道路工程", "城西交通枢纽配套道路建设工程") > Decimal("0.6")
    assert similarity("城西综合交通枢纽配套道路工程", "老年助餐服务补贴政策") == 0


def test_possible_duplicates_across_departments_and_years():
    candidates = [
        Candidate(1, "城西交通枢纽配套道路建设工程", "道路建设", "杭州市城市管理局", 2026),
        Candidate(2, "老年助餐服务补贴政策", "助餐", "杭州市民政局", 2027),
    ]
    matches = possible_duplicates("城西综合交通枢纽配套道路工程", "道路建设", candidates, Decimal("0.55"), (Decimal("0.7"), Decimal("0.3")))
    assert [m.candidate.id for m in matches] == [1]
