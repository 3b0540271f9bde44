from decimal import Decimal
from pathlib import Path

from budget_eval.assessment.domain.decision_aids import Candidate, possible_duplicates, similarity, smart_check
from budget_eval.intake.domain.intake import Target
from budget_eval.platform.domain.ruleset import load_intake_rules

RULES = load_intake_rules(Path(__file__).resolve().parents[2] / "rules" / "intake.yaml")


def test_smart_check_passes_a_good_table():
    targets = [
        Target("产出指标", "数量指标", "新建道路里程", "12.5", "公里"),
        Target("产出指标", "时效指标", "主线通车", "2029年6月前", "日期"),
        Target("效益指标", "社会效益指标", "通行时间缩短", "≥20", "%"),
        Target("满意度指标", "服务对象满意度指标", "居民满意度", "≥90", "%"),
    ]
    assert all(f.ok for f in smart_check(targets, RULES))


def test_smart_check_finds_each_gap():
    targets = [
        Target("产出指标", "数量指标", "改造食堂", "若干", "所"),
        Target("产出指标", "时效指标", "完工时间", "尽快", "—"),
        Target("效益指标", "社会效益指标", "学生就餐条件", "明显改善", ""),
    ]
    failed = [f.text for f in smart_check(targets, RULES) if not f.ok]
    assert failed == [
        "缺少指标值或计量单位：学生就餐条件",
        "未设置满意度指标",
        "产出指标未量化：改造食堂、完工时间",
        "时效指标未写明时间节点：完工时间",
    ]


def test_similarity_of_chinese_names():
    assert similarity("城西综合交通枢纽配套道路工程", "城西综合交通枢纽配套道路工程") == 1
    assert similarity("城西综合交通枢纽配套道路工程", "城西交通枢纽配套道路建设工程") > Decimal("0.6")
    assert similarity("城西综合交通枢纽配套道路工程", "老年助餐服务补贴政策") == 0


def test_possible_duplicates_across_departments_and_years():
    candidates = [
        Candidate(1, "城西交通枢纽配套道路建设工程", "道路建设", "杭州市城市管理局", 2026),
        Candidate(2, "老年助餐服务补贴政策", "助餐", "杭州市民政局", 2027),
    ]
    matches = possible_duplicates("城西综合交通枢纽配套道路工程", "道路建设", candidates, Decimal("0.55"))
    assert [m.candidate.id for m in matches] == [1]
