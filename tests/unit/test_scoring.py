"""Scoring, aggregation and conclusions at every cut-off and gate, on the shipped rules."""
from decimal import Decimal as D
from pathlib import Path

import pytest

from budget_eval.assessment.domain.assessment_rules import from_snapshot, load_assessment_rules
from budget_eval.assessment.domain.scoring import (
    aggregate,
    comment_required,
    grade_of,
    outcome_of,
    Sheet,
    sheet_problems,
    weight_sensitivity,
)

RULES = load_assessment_rules(Path(__file__).resolve().parents[2] / "rules", "infra")
T, S = RULES.template, RULES.scoring
KEYS = [i.key for i in T.indicators]
GATE = "funding.lawful_sources"


def sheet(total: str, reviewer: int = 1, **overrides) -> Sheet:
    """A sheet whose ten indicators share `total` evenly (overrides set single indicators)."""
    each = D(total) / len(KEYS)
    scores = {k: each for k in KEYS}
    for key, value in overrides.items():
        scores[key.replace("__", ".")] = D(value)
    return Sheet(reviewer, scores)


def test_template_has_five_dimensions_of_twenty_points():
    assert [d.label for d in T.dimensions] == ["立项必要性", "投入经济性", "绩效目标合理性", "实施方案可行性", "筹资合规性"]
    assert all(d.points == 20 and len(d.indicators) == 2 for d in T.dimensions)
    assert T.points == 100
    assert T.indicator(GATE).gate == D("6")


@pytest.mark.parametrize(
    ("total", "conclusion", "grade"),
    [("100", "予以支持", "优"), ("90", "予以支持", "优"), ("89.99", "调整完善后予以支持", "良"),
     ("80", "调整完善后予以支持", "良"), ("79.99", "调整完善后予以支持", "中"), ("70", "调整完善后予以支持", "中"),
     ("69.99", "不予支持", "中"), ("60", "不予支持", "中"), ("59.99", "不予支持", "差"), ("0", "不予支持", "差")],
)
def test_conclusion_and_grade_at_every_cut_off(total, conclusion, grade):
    remaining, scores = D(total), {}
    for key in [GATE] + [k for k in KEYS if k != GATE]:  # the gate indicator is filled first
        scores[key] = min(D(10), remaining)
        remaining -= scores[key]
    outcome = outcome_of(scores, T, S)
    assert (outcome.total, outcome.grade, outcome.conclusion.label) == (D(total), grade, conclusion)


def test_gate_forces_reject_whatever_the_total():
    scores = {k: D(10) for k in KEYS}
    scores[GATE] = D("5.99")
    outcome = outcome_of(scores, T, S)
    assert outcome.total == D("95.99")
    assert outcome.conclusion.label == "不予支持" and outcome.gate_failures == (GATE,)
    scores[GATE] = D(6)  # at the gate is not below it
    assert outcome_of(scores, T, S).conclusion.label == "予以支持"


@pytest.mark.parametrize(
    ("score", "required"),
    [("10", True), ("9.9", False), ("9", False), ("8", False), ("7.99", True), ("0", True)],
)
def test_comment_required_below_good_or_at_full_marks(score, required):
    assert comment_required(D(score), T.indicator(KEYS[0]), S) is required


def test_sheet_problems_name_each_indicator():
    scores = {k: D(9) for k in KEYS}
    scores[KEYS[0]], scores[KEYS[1]], scores[KEYS[2]] = None, D(11), D(5)
    problems = dict(sheet_problems(scores, {}, T, S))
    assert problems == {KEYS[0]: "请打分", KEYS[1]: "得分应在0至10分之间", KEYS[2]: "得分低于“良”，请填写评语说明理由"}
    assert sheet_problems({**scores, KEYS[0]: D(9), KEYS[1]: D(10), KEYS[2]: D(5)},
                          {KEYS[1]: "材料详实", KEYS[2]: "测算依据不足"}, T, S) == []


def test_mean_of_three_reviewers():
    result = aggregate([sheet("80", 1), sheet("90", 2), sheet("70", 3)], T, S)
    assert result.outcome.total == D("80.00")
    assert result.used == (1, 2, 3) and result.dropped == ()
    assert result.dimension_scores == {d.code: D("16.00") for d in T.dimensions}


def test_trimmed_with_five_reviewers_drops_highest_and_lowest_total():
    sheets = [sheet("80", 1), sheet("100", 2), sheet("50", 3), sheet("82", 4), sheet("78", 5)]
    result = aggregate(sheets, T, S)
    assert set(result.dropped) == {2, 3}
    assert result.outcome.total == D("80.00")
    assert result.median_total == D("80.00")
    assert set(result.outliers) == {2, 3}  # 20 and 30 points from the median, over the 15-point margin


def test_median_method():
    rules = S.model_copy(update={"aggregation": S.aggregation.model_copy(update={"method": "median"})})
    result = aggregate([sheet("60", 1), sheet("90", 2), sheet("95", 3)], T, rules)
    assert result.outcome.total == D("90.00")


def test_disagreement_flag_per_indicator():
    a = sheet("80", 1)
    b = sheet("80", 2, **{"necessity__relevance": "4.9"})
    assert aggregate([a, b], T, S).disagreements == ("necessity.relevance",)  # spread 3.1 > 30% of 10
    c = sheet("80", 3, **{"necessity__relevance": "5"})
    assert aggregate([a, c], T, S).disagreements == ()  # spread 3.0 is not above 3.0


def test_gate_uses_the_aggregated_score():
    low = sheet("80", 1, **{"funding__lawful_sources": "4"})
    high = sheet("80", 2, **{"funding__lawful_sources": "9"})
    result = aggregate([low, high], T, S)
    assert result.indicator_scores[GATE] == D("6.50") and result.outcome.gate_failures == ()


def test_sensitivity_robust_far_from_a_cut_off():
    scores = {k: D("9.5") for k in KEYS}
    assert weight_sensitivity(scores, T, S).label == "结论稳健"


def test_sensitivity_critical_near_a_cut_off():
    scores = {k: D(9) for k in KEYS}
    scores["necessity.relevance"] = D("10")
    scores["necessity.feasibility"] = D("10")
    scores["economy.budget_science"] = D("8")
    scores["economy.economic_reason"] = D("8")  # total 90: 予以支持 by a hair
    result = weight_sensitivity(scores, T, S)
    assert result.label == "结论临界"
    assert any(label != "予以支持" for *_, label in result.scenarios)
    assert len(result.scenarios) == 10


def test_snapshot_rebuilds_the_same_rules():
    rebuilt = from_snapshot(RULES.snapshot())
    assert rebuilt.template == T and rebuilt.scoring == S and rebuilt.version == RULES.version


def test_grade_of():
    assert [grade_of(D(x), D(10), S) for x in ("9", "8.99", "8", "6", "5.99")] == ["优", "良", "良", "中", "差"]
