"""What a draft may hold, and what a submission must hold."""
from decimal import Decimal
from pathlib import Path

import pytest

from budget_eval.intake.domain.intake import draft_problems, FundYear, ProposalDraft, submission_problems, Target
from budget_eval.intake.domain.rule_files import load_intake_rules

RULES = load_intake_rules(Path(__file__).resolve().parents[2] / "rules" / "intake.yaml")
TARGET = Target("产出指标", "数量指标", "新建道路里程", "12.5", "公里", "≥", "可研批复")
COUNTED = {"general", "fund", "soe", "bond"}


def complete(**fields) -> ProposalDraft:
    values = dict(
        name="项目", year=2027, category="other", is_new=True, start_year=2027, end_year=2028,
        fund_years=(FundYear(2027, Decimal("600")), FundYear(2028, Decimal("600"))),
        sources={"general": Decimal("1000"), "self": Decimal("200")},
        basis_text="依据", plan_text="方案", budget_text="测算", targets=(TARGET,),
    )
    values.update(fields)
    return ProposalDraft(**values)


def keys(problems):
    return {key for key, _ in problems}


def test_complete_proposal_has_no_problems():
    assert submission_problems(complete(), RULES) == []
    assert complete().fiscal_total_wan == Decimal("1200.00")


def test_a_draft_needs_only_a_name():
    assert draft_problems(ProposalDraft(name="只有名称"), RULES) == []
    assert keys(draft_problems(ProposalDraft(name="  "), RULES)) == {"name"}


def test_submission_lists_every_missing_field():
    problems = submission_problems(ProposalDraft(name="只有名称"), RULES)
    assert keys(problems) == {
        "year", "category", "is_new", "start_year", "end_year", "basis_text", "plan_text", "budget_text",
        "fund_years", "targets",
    }
    assert all(message.startswith("请") for _, message in problems)


def test_sources_must_add_up_to_the_total():
    problems = submission_problems(complete(sources={"general": Decimal("1000")}), RULES)
    assert problems == [("sources", "资金来源合计1,000.00万元，与分年度申请本级财政资金合计1,200.00万元不一致")]


@pytest.mark.parametrize(
    ("fields", "key", "message"),
    [
        (dict(start_year=2028, end_year=2027), "end_year", "结束年度不能早于开始年度"),
        (dict(start_year=2027, end_year=2040), "end_year", "实施期不能超过"),
        (dict(fund_years=(FundYear(2026, Decimal("1200")),), sources={"general": Decimal("1200")}),
         "fund_years-0-year", "不在实施期"),
        (dict(fund_years=(FundYear(2027, Decimal("600")), FundYear(2027, Decimal("600")))),
         "fund_years-1-year", "重复"),
        (dict(targets=(Target("产出指标", "社会效益指标", "x", "1", "个"),)), "targets-0-level2", "不属于"),
    ],
)
def test_contradictions_are_refused_even_in_drafts(fields, key, message):
    problems = draft_problems(complete(**fields), RULES)
    assert [m for k, m in problems if k == key and message in m], problems


def test_emergency_needs_a_reason():
    assert keys(submission_problems(complete(is_emergency=True), RULES)) == {"emergency_reason"}
    assert submission_problems(complete(is_emergency=True, emergency_reason="汛期急需"), RULES) == []


def test_half_filled_target_row_names_each_missing_cell():
    problems = submission_problems(complete(targets=(TARGET, Target("效益指标", "", "通行时间缩短", "", "%"))), RULES)
    assert keys(problems) == {"targets-1-level2", "targets-1-value", "targets-1-comparator", "targets-1-basis"}


def test_yearly_fiscal_funds_must_equal_the_sources_that_count():
    """Total investment 1,200万 = 1,000万 一般公共预算 + 200万 自筹; this level's fiscal request is 1,000万."""
    draft = complete(fund_years=(FundYear(2027, Decimal("500")), FundYear(2028, Decimal("500"))))
    assert submission_problems(draft, RULES, COUNTED) == []
    problems = submission_problems(complete(), RULES, COUNTED)
    assert problems == [("sources", "资金来源中计入本级财政预算资金的部分合计1,000.00万元，"
                                    "与分年度申请本级财政资金合计1,200.00万元不一致")]


@pytest.mark.parametrize(
    ("target", "key", "message"),
    [
        (Target("产出指标", "数量指标", "里程", "较多", "公里", "≥", "可研"), "targets-0-value", "应为数字"),
        (Target("效益指标", "社会效益指标", "就餐条件", "", "", "定性", "调研"), "targets-0-value", "请填写定性描述"),
        (Target("成本指标", "经济成本指标", "造价", "较低", "", "定性", "估算"), "targets-0-comparator", "成本指标应为数值目标"),
        (Target("产出指标", "数量指标", "里程", "12", "公里", "≥", "可研", 2031), "targets-0-year", "不在实施期"),
    ],
)
def test_targets_are_checked_by_their_comparator(target, key, message):
    problems = submission_problems(complete(targets=(target,)), RULES)
    assert [m for k, m in problems if k == key and message in m], problems


def test_a_qualitative_target_needs_no_unit():
    target = Target("效益指标", "社会效益指标", "就餐条件", "明显改善", "", "定性", "学校调研")
    assert submission_problems(complete(targets=(target,)), RULES) == []


def test_an_estimated_amount_needs_its_basis():
    assert keys(submission_problems(complete(amount_estimated=True), RULES)) == {"estimate_basis"}
    assert submission_problems(complete(amount_estimated=True, estimate_basis="6000人×2000元"), RULES) == []
