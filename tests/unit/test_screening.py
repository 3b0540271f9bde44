"""Art. 5 screening at and around every threshold, read from rules/screening.yaml."""
from decimal import Decimal
from pathlib import Path

import pytest

from budget_eval.platform.domain.ruleset import load_screening_rules
from budget_eval.intake.domain.screening import Outcome, screen, ScreeningInput

RULES_FILE = Path(__file__).resolve().parents[2] / "rules" / "screening.yaml"


@pytest.fixture(scope="module")
def rules():
    return load_screening_rules(RULES_FILE)


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
    assert "第五条" in result.basis and rules.category(category).clause in result.basis


def test_basis_names_amount_and_threshold_in_words(rules):
    result = screen(ScreeningInput("infra", True, Decimal("25000")), rules)
    assert result.basis.startswith("新出台基建投资项目，实施期内申请财政资金合计2.5亿元（25,000.00万元），达到2亿元的评估门槛")
    assert result.rule_version == rules.version and "@" in rules.version
    assert result.threshold_wan == Decimal("20000")


def test_below_threshold_says_below(rules):
    result = screen(ScreeningInput("other", True, Decimal("960")), rules)
    assert "960.00万元，低于1000万元的评估门槛" in result.basis


@pytest.mark.parametrize("category", ["infra", "other", "policy"])
def test_continuing_items_are_out_of_scope_whatever_the_amount(rules, category):
    result = screen(ScreeningInput(category, False, Decimal("900000")), rules)
    assert result.outcome is Outcome.NOT_REQUIRED
    assert rules.continuing_clause in result.basis


def test_no_fiscal_funds_is_out_of_scope(rules):
    result = screen(ScreeningInput("infra", True, Decimal("0")), rules)
    assert result.outcome is Outcome.NOT_REQUIRED
    assert rules.no_funds_clause in result.basis


def test_emergency_item_over_threshold_is_exempt(rules):
    result = screen(ScreeningInput("other", True, Decimal("1500"), is_emergency=True), rules)
    assert result.outcome is Outcome.EXEMPT
    assert result.outcome.label == "免于评估"
    assert rules.exemption_clause in result.basis


def test_emergency_item_under_threshold_is_simply_not_required(rules):
    result = screen(ScreeningInput("other", True, Decimal("500"), is_emergency=True), rules)
    assert result.outcome is Outcome.NOT_REQUIRED


def test_changing_the_rule_file_changes_the_result(tmp_path, rules):
    """No threshold lives in code: lowering it in the YAML brings an item into scope."""
    text = RULES_FILE.read_text(encoding="utf-8").replace('threshold_wan: "20000"', 'threshold_wan: "15000"')
    changed = tmp_path / "screening.yaml"
    changed.write_text(text, encoding="utf-8")
    item = ScreeningInput("infra", True, Decimal("18000"))
    assert screen(item, rules).outcome is Outcome.NOT_REQUIRED
    new_rules = load_screening_rules(changed)
    assert screen(item, new_rules).outcome is Outcome.REQUIRED
    assert new_rules.version != rules.version  # the content hash tells the two rule sets apart
