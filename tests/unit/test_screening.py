"""Art. 5 screening at and around every threshold, read from rules/screening.yaml."""
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from budget_eval.intake.domain.screening import BUREAU, Outcome, screen, ScreeningInput
from budget_eval.platform.domain.money import parse_amount
from budget_eval.intake.domain.rule_files import load_screening_rules

RULES_FILE = Path(__file__).resolve().parents[2] / "rules" / "screening.yaml"
ART5 = {  # the article's sentences, as published (DOMAIN.md §1): the file must hold exactly these
    "scope": "事前绩效评估对象为拟新出台且需财政预算资金安排的2亿元及以上的基建投资项目和1000万元及以上的其他政策和项目。",
    "duty": "部门单位拟新增上述政策和项目应按照本办法规定开展事前绩效评估，评估结果作为申请预算的必备要件。",
    "review": "事前绩效评估报告分别报送行业主管部门和市财政部门审核。",
    "decision": "审核通过后提交市政府常务会议或市长办公会议决策。",
    "exemption": "应急、抢险、救灾等急需项目可不进行事前绩效评估。",
}


@pytest.fixture(scope="module")
def rules():
    return load_screening_rules(RULES_FILE)


def quoted(basis: str) -> list[str]:
    return re.findall(r"“([^”]*)”", basis)


def assert_quotes_are_verbatim(basis: str, rules) -> None:
    """Everything inside quotation marks is a sentence of art. 5 as stored in rules/, with its citation."""
    quotes = quoted(basis)
    assert quotes, basis
    for quote in quotes:
        if quote in rules.quotes.values():
            assert f"{rules.citation}：“{quote}”" in basis
        else:  # a phrase of the article quoted inside our own words (e.g. “拟新出台”)
            assert quote in rules.quotes["scope"], quote


def test_stored_quotes_are_the_article_verbatim_with_document_article_and_date(rules):
    assert rules.quotes == ART5
    assert rules.citation == "《杭州市预算事前绩效评估管理办法》（杭州市财政局，2020-05-25）第五条"


@pytest.mark.parametrize(
    ("category", "amount", "expected"),
    [
        ("infra", "19999.99", Outcome.NOT_REQUIRED),
        ("infra", "20000.00", Outcome.REQUIRED),  # 2亿元 "及以上": the threshold itself is in scope
        ("infra", "20000.01", Outcome.REQUIRED),
        ("infra", "25000", Outcome.REQUIRED),
        ("infra", "5000", Outcome.NOT_REQUIRED),  # an infrastructure project is not judged by the 1000万 line
        ("other", "999.99", Outcome.NOT_REQUIRED),
        ("other", "1000.00", Outcome.REQUIRED),
        ("other", "1000.01", Outcome.REQUIRED),
        ("policy", "999.99", Outcome.NOT_REQUIRED),
        ("policy", "1000", Outcome.REQUIRED),
        ("policy", "0.01", Outcome.NOT_REQUIRED),
    ],
)
def test_new_items_against_their_threshold(rules, category, amount, expected):
    result = screen(ScreeningInput(category, True, Decimal(amount)), rules)
    assert result.outcome is expected
    assert_quotes_are_verbatim(result.basis, rules)
    assert f"“{ART5['scope']}”" in result.basis


def test_required_result_quotes_the_duty_sentence_too(rules):
    result = screen(ScreeningInput("infra", True, Decimal("25000")), rules)
    assert "申请财政资金合计25,000.00万元" in result.basis and "达到基建投资项目2亿元的评估门槛" in result.basis
    assert f"“{ART5['duty']}”" in result.basis
    assert result.rule_version == rules.version and "@" in rules.version
    assert result.threshold_wan == Decimal("20000") and result.amount_wan == Decimal("25000")


def test_just_below_two_yi_is_never_rounded_to_two_yi(rules):
    result = screen(ScreeningInput("infra", True, Decimal("19999.99")), rules)
    assert "19,999.99万元" in result.basis
    before_threshold = result.basis.split("低于")[0]
    assert "亿元" not in before_threshold  # no rounded 亿元 figure for the amount


def test_self_raised_money_does_not_count(rules):
    """800万 fiscal + 300万 单位自筹: art. 5 speaks of 需财政预算资金安排, so 800万 is compared with 1000万."""
    item = ScreeningInput("other", True, Decimal("1100"), sources={"general": Decimal("800"), "self": Decimal("300")},
                          fund_years=((2027, Decimal("800")),))
    result = screen(item, rules)
    assert result.outcome is Outcome.NOT_REQUIRED
    assert result.amount_wan == Decimal("800")
    assert "计入第五条金额的财政预算资金：一般公共预算800.00万元" in result.basis
    assert "不计入：单位自筹300.00万元（单位自筹资金不属于财政预算资金安排）" in result.basis
    assert "低于其他项目1000万元的评估门槛" in result.basis
    assert_quotes_are_verbatim(result.basis, rules)


@pytest.mark.parametrize("text", ["2亿元", "20,000万", "200000000元", "２亿元"])
def test_amounts_in_any_unit_screen_alike(rules, text):
    amount, _ = parse_amount(text, "万元")
    assert amount == Decimal("20000.00")
    assert screen(ScreeningInput("infra", True, amount), rules).outcome is Outcome.REQUIRED


def test_whole_period_or_largest_year_is_a_switch_in_the_rules(tmp_path, rules):
    item = ScreeningInput("other", True, Decimal("1500"), sources={"general": Decimal("1500")},
                          fund_years=((2027, Decimal("500")), (2028, Decimal("500")), (2029, Decimal("500"))))
    whole = screen(item, rules)
    assert whole.outcome is Outcome.REQUIRED and "按实施期（2027—2029年）合计计算" in whole.basis
    changed = tmp_path / "screening.yaml"
    changed.write_text(RULES_FILE.read_text(encoding="utf-8").replace("basis: whole_period", "basis: largest_year"),
                       encoding="utf-8")
    annual = screen(item, load_screening_rules(changed))
    assert annual.outcome is Outcome.NOT_REQUIRED and annual.amount_wan == Decimal("500")
    assert "按分年度申请本级财政资金中最大的一年（2027年）计算" in annual.basis


@pytest.mark.parametrize("category", ["infra", "other", "policy"])
def test_continuing_items_follow_the_bureaus_own_rule(rules, category):
    result = screen(ScreeningInput(category, False, Decimal("900000")), rules)
    assert result.outcome is Outcome.NOT_REQUIRED
    assert "第五条对此未作规定" in result.basis and BUREAU + rules.silent_cases["continuing"].rule in result.basis
    assert_quotes_are_verbatim(result.basis, rules)


@pytest.mark.parametrize("nature", ["expiring", "changed"])
def test_expiring_and_changed_items_by_default_follow_new_only_and_can_be_switched(tmp_path, rules, nature):
    item = ScreeningInput("other", False, Decimal("1500"), nature=nature)
    assert screen(item, rules).outcome is Outcome.NOT_REQUIRED
    data = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    for case in data["silent_cases"]:
        if case["code"] == nature:
            case["needs_assessment"] = True
    changed = tmp_path / "screening.yaml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = screen(item, load_screening_rules(changed))
    assert result.outcome is Outcome.REQUIRED and BUREAU in result.basis


def test_midyear_adjustment_items_are_new_by_default(rules):
    result = screen(ScreeningInput("other", True, Decimal("1500"), midyear=True), rules)
    assert result.outcome is Outcome.REQUIRED
    assert "年中预算调整新增" in result.basis and BUREAU in result.basis


def test_no_fiscal_funds_is_out_of_scope(rules):
    result = screen(ScreeningInput("infra", True, Decimal("0")), rules)
    assert result.outcome is Outcome.NOT_REQUIRED and "未申请财政预算资金" in result.basis


def test_estimated_policy_amount_is_screened_on_the_estimate_and_marked(rules):
    item = ScreeningInput("policy", True, Decimal("1200"), estimate_basis="约6000名老人×2000元/年")
    result = screen(item, rules)
    assert result.outcome is Outcome.REQUIRED and result.estimated
    assert "按估算金额判定（测算依据：约6000名老人×2000元/年）" in result.basis


def test_emergency_item_over_threshold_is_exempt(rules):
    result = screen(ScreeningInput("other", True, Decimal("1500"), is_emergency=True), rules)
    assert result.outcome is Outcome.EXEMPT
    assert result.outcome.label == "免于评估"
    assert f"“{ART5['exemption']}”" in result.basis


def test_emergency_item_under_threshold_is_simply_not_required(rules):
    result = screen(ScreeningInput("other", True, Decimal("500"), is_emergency=True), rules)
    assert result.outcome is Outcome.NOT_REQUIRED


def test_changing_the_rule_file_changes_the_result(tmp_path, rules):
    """No threshold lives in code: lowering it in the YAML brings an item into scope."""
    text = RULES_FILE.read_text(encoding="utf-8").replace("threshold_wan: {value: 20000", "threshold_wan: {value: 15000")
    changed = tmp_path / "screening.yaml"
    changed.write_text(text, encoding="utf-8")
    item = ScreeningInput("infra", True, Decimal("18000"))
    assert screen(item, rules).outcome is Outcome.NOT_REQUIRED
    new_rules = load_screening_rules(changed)
    assert screen(item, new_rules).outcome is Outcome.REQUIRED
    assert new_rules.version != rules.version  # the content hash tells the two rule sets apart
