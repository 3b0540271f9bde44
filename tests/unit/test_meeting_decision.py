"""The meeting decision's checks (pure) and rules/meetings.yaml's declaration."""
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from budget_eval.meetings.domain.decision import check, DecisionInput
from budget_eval.meetings.domain.rule_files import load_meeting_rules, MeetingsFile
from budget_eval.meetings.domain.states import Decision, DECISION_LABELS
from budget_eval.platform.domain.rule_schemas import validate_rules
from budget_eval.platform.domain.ruleset import RuleError

RULES = Path(__file__).resolve().parents[2] / "rules"
REQUESTED = {2027: Decimal("800.00"), 2028: Decimal("650.00")}


def decide(decision: str, approved: dict, reason: str = ""):
    return check(DecisionInput(decision, REQUESTED, approved, reason), DECISION_LABELS)


def test_nothing_chosen_is_refused_on_the_decision_field():
    checked, problems = decide("", {2027: None, 2028: None})
    assert checked is None and problems == {"decision": "请选择会议决策：通过、不通过、暂缓"}


def test_approval_takes_every_year_within_its_request():
    checked, problems = decide("approved", {2027: Decimal("800"), 2028: None})
    assert problems == {"approved-2028": "请填写2028年安排资金（万元；未安排填0）"}
    checked, problems = decide("approved", {2027: Decimal("800.01"), 2028: Decimal("650")})
    assert problems == {"approved-2027": "2027年安排资金不能超过该年申请数800.00万元"}
    checked, problems = decide("approved", {2027: Decimal("800"), 2028: Decimal("650")})
    assert problems == {} and checked.approved == REQUESTED and not checked.is_cut


def test_a_cut_needs_its_reason():
    approved = {2027: Decimal("800"), 2028: Decimal("600")}
    checked, problems = decide("approved", approved)
    assert list(problems) == ["cut_reason"] and "少于申请数1,450.00万元" in problems["cut_reason"]
    checked, problems = decide("approved", approved, "运维费核减")
    assert checked.decision is Decision.APPROVED and checked.is_cut


def test_an_approval_of_nothing_and_amounts_beside_a_refusal_are_refused():
    assert "合计应大于0" in decide("approved", {2027: Decimal(0), 2028: Decimal(0)}, "全部核减")[1]["approved-2027"]
    assert decide("rejected", {2027: Decimal(1), 2028: None})[1] == {
        "approved-2027": "会议决策为“不通过”，不安排资金，请清空2027年金额"}
    checked, problems = decide("deferred", {2027: None, 2028: None})
    assert problems == {} and checked.approved == {} and checked.decision is Decision.DEFERRED


def test_the_rule_file_loads_and_quotes_art_5_verbatim():
    rules = load_meeting_rules(RULES / "meetings.yaml")
    screening = yaml.safe_load((RULES / "screening.yaml").read_text(encoding="utf-8"))
    assert [k.label for k in rules.meeting_kinds] == ["市政府常务会议", "市长办公会议"]
    assert {k.quote for k in rules.meeting_kinds} == {screening["quotes"]["decision"]}
    assert "杭财绩效〔2020〕9号" in rules.source_of(rules.kind_of("mayor"))


@pytest.mark.parametrize("change, message", [
    (lambda d: d["budget_export"]["projects"]["columns"].pop(0), "缺少 field：number"),
    (lambda d: d["budget_export"]["projects"]["columns"][4].update(header="年度金额"), "{year}"),
    (lambda d: d["budget_export"]["projects"]["columns"][1].update(header="{year}项目"), "{year}"),
    (lambda d: d["meeting_kinds"][0].update(ref="第六条"), "第六条"),
    (lambda d: d["budget_export"]["targets"].update(sheet="项目清单"), "工作表名称应不同"),
])
def test_a_broken_layout_is_refused_with_a_chinese_message(change, message):
    data = yaml.safe_load((RULES / "meetings.yaml").read_text(encoding="utf-8"))
    change(data)
    problems = validate_rules(data, "meetings.yaml", schemas={"meetings": MeetingsFile})
    assert problems and any(message in p for p in problems), problems


def test_a_missing_file_is_a_rule_error(tmp_path):
    with pytest.raises(RuleError):
        load_meeting_rules(tmp_path / "meetings.yaml")


def test_rules_check_refuses_a_quote_that_is_not_art_5s_sentence(tmp_path):
    import shutil

    from budget_eval.rules_check import check_directory

    shutil.copytree(RULES, tmp_path / "rules")
    path = tmp_path / "rules" / "meetings.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "quote: 审核通过后提交市政府常务会议或市长办公会议决策。", "quote: 审核通过后提交市长办公会议决策。", 1), encoding="utf-8")
    report = check_directory(tmp_path / "rules")
    assert not report.ok and any("executive 的 quote 不是第五条原文" in e for e in report.errors)
