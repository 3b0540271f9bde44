"""The report's aggregation note says what happened: trimming only when a sheet was dropped, and why a total differs
from the mean of the reviewers' totals (per-indicator rounding, or 依据不足)."""
from decimal import Decimal as D
from pathlib import Path
from types import SimpleNamespace

from budget_eval.assessment.documents.context import aggregation_note
from budget_eval.assessment.domain.assessment_rules import load_assessment_rules

RULES = load_assessment_rules(Path(__file__).resolve().parents[2] / "rules", "infra").scoring


def member(user_id: int, *scores: str | None):
    return SimpleNamespace(user_id=user_id, scores=[SimpleNamespace(score=None if s is None else D(s)) for s in scores])


def test_three_reviewers_nothing_dropped_no_trimming_named():
    members = [member(1, "8", "9"), member(2, "8", "9"), member(3, "8", "9")]
    note = aggregation_note(RULES, {"used": [1, 2, 3], "dropped": []}, members, D(17), by_points=False)
    assert "去掉" not in note and "对3名评审人的评分算术平均" in note and "相差" not in note


def test_trimming_named_when_it_happened():
    members = [member(n, "8") for n in range(1, 6)]
    note = aggregation_note(RULES, {"used": [2, 3, 4], "dropped": [1, 5]}, members, D(8), by_points=False)
    assert "去掉总分最高和最低的评审人各1名后，对其余3名评审人的评分算术平均" in note


def test_a_total_off_the_mean_of_totals_says_why():
    members = [member(1, "8", "9"), member(2, "8", "8"), member(3, "9", "8")]  # totals 17, 16, 17: mean 16.67
    note = aggregation_note(RULES, {"used": [1, 2, 3], "dropped": []}, members, D("16.66"), by_points=False)
    assert "分别平均并保留两位小数后相加，故总分（16.66分）与评审人总分的平均值（16.67分）相差0.01分" in note
    partial = aggregation_note(RULES, {"used": [1, 2], "dropped": []}, [member(1, "8", None), member(2, "8", "8")],
                               D(16), by_points=True)
    assert "有1名评审人将部分审核要点评为“依据不足”，其总分不含这些要点" in partial
