"""审核要点 scoring on the shipped rules: levels → points → indicator → dimension → total, with 依据不足 (no
points, never 0; every reviewer → a 补正 request) and per-要点 rounding; the rule snapshot keeps the mapping."""
from decimal import Decimal as D
from pathlib import Path

import pytest

from budget_eval.assessment.domain.assessment_rules import from_snapshot, load_assessment_rules
from budget_eval.assessment.domain.ratings import (
    analysis_problems, Citation, indicator_scores, listed, Rating, rating_problems,
)
from budget_eval.assessment.domain.scoring import aggregate, Sheet
from budget_eval.platform.domain.ruleset import RuleError

RULES_DIR = Path(__file__).resolve().parents[2] / "rules"
RULES = load_assessment_rules(RULES_DIR, "other")
T, S = RULES.template, RULES.scoring
POINTS = [p.key for p in T.audit_points]
OK = (Citation(1, 3),)


def ratings(level: str = "良", **overrides: str) -> dict[str, Rating]:
    out = {k: Rating(level, "理由", OK) for k in POINTS}
    for key, value in overrides.items():
        out[key.replace("__", ".")] = Rating(value, "理由", () if value == S.insufficient else OK)
    return out


def sheet(reviewer: int, level: str = "良", **overrides: str) -> Sheet:
    rated = ratings(level, **overrides)
    scores = {k: v for k, v in indicator_scores(rated, T, S).items() if v is not None}
    return Sheet(reviewer, scores, {k: r.level for k, r in rated.items()})


def test_the_shipped_mapping_and_modes():
    assert RULES.by_points and not load_assessment_rules(RULES_DIR, "infra").by_points  # free numbers stay there
    assert all(len(i.audit_points) == 2 and sum(p.points for p in i.audit_points) == i.points for i in T.indicators)
    assert [S.level_points(level, D(5)) for level in S.levels] == [D("5.00"), D("4.00"), D("3.00"), D("1.50")]
    assert S.level_points(S.insufficient, D(5)) is None


def test_levels_to_points_to_indicator_dimension_and_total():
    one = sheet(1, "良", necessity__relevance__a="优", funding__affordability__b="差")
    assert one.scores["necessity.relevance"] == D("9.00") and one.scores["funding.affordability"] == D("5.50")
    result = aggregate([one, sheet(2, "良"), sheet(3, "中")], T, S, by_points=True)
    # 要点 relevance.a: (5 + 4 + 3) / 3 = 4; relevance.b: (4 + 4 + 3) / 3 = 3.67 → indicator 7.67
    assert result.point_scores["necessity.relevance.a"] == D("4.00")
    assert result.point_scores["necessity.relevance.b"] == D("3.67")
    assert result.indicator_scores["necessity.relevance"] == D("7.67")
    assert result.dimension_scores["necessity"] == result.indicator_scores["necessity.relevance"] + \
        result.indicator_scores["necessity.feasibility"]
    assert result.outcome.total == sum(result.dimension_scores.values())
    assert not result.corrections and not result.insufficient


def test_rounding_per_point_can_move_the_total_off_the_mean_of_totals():
    result = aggregate([sheet(1, "良"), sheet(2, "良"), sheet(3, "中", necessity__relevance__a="良")], T, S,
                       by_points=True)
    # every 要点 but one averages (4 + 4 + 3) / 3 = 3.67 (rounded), the other 4.00
    assert result.outcome.total == D("3.67") * 19 + D("4.00")
    assert result.reviewers_mean == D("73.67")  # (80 + 80 + 61) / 3, while the total is 73.73
    assert result.outcome.total != result.reviewers_mean


def test_insufficient_is_left_out_not_counted_as_zero():
    result = aggregate([sheet(1, "良", plan__organisation__b=S.insufficient), sheet(2, "良"), sheet(3, "良")], T, S,
                       by_points=True)
    assert result.point_scores["plan.organisation.b"] == D("4.00")  # the two who rated it
    assert result.insufficient == {"plan.organisation.b": (1,)}
    assert not result.corrections
    assert result.outcome.total == D(80)
    assert result.reviewers_mean is None  # reviewer 1 has no total over every 要点
    assert "plan.organisation" not in aggregate([sheet(1, "良", plan__organisation__b=S.insufficient)], T, S,
                                                by_points=True).disagreements
    assert not result.outliers  # compared on what every reviewer scored, not punished for 依据不足


def test_every_reviewer_insufficient_is_a_correction_request():
    said = {"economy__economic_reason__a": S.insufficient}
    result = aggregate([sheet(n, "良", **said) for n in (1, 2, 3)], T, S, by_points=True)
    assert result.point_scores["economy.economic_reason.a"] is None
    assert result.corrections == ("economy.economic_reason.a",)
    assert result.insufficient["economy.economic_reason.a"] == (1, 2, 3)


def test_submission_problems():
    def resolve(c: Citation) -> str | None:
        return None if c.page <= 5 else f"材料只有5页，没有第{c.page}页"

    good = ratings("良")
    assert rating_problems(good, T, S, resolve) == []
    missing = dict(good)
    del missing[POINTS[0]]
    assert rating_problems(missing, T, S, resolve)[0] == (POINTS[0], "请选择档次，或选择“依据不足”")
    bad = good | {POINTS[1]: Rating("良", "", ())}
    assert "请引用所依据的材料和页码" in rating_problems(bad, T, S, resolve)[0][1]
    bad = good | {POINTS[2]: Rating("差", "", OK)}
    assert rating_problems(bad, T, S, resolve) == [(POINTS[2], "选择“差”须填写评语说明理由")]
    bad = good | {POINTS[3]: Rating(S.insufficient, "", ())}
    assert rating_problems(bad, T, S, resolve) == [(POINTS[3], "请写明缺少哪些材料")]
    bad = good | {POINTS[4]: Rating("优", "", (Citation(1, 9),))}
    assert rating_problems(bad, T, S, resolve) == [(POINTS[4], "材料只有5页，没有第9页")]


def test_analysis_needs_facts_problems_and_conclusion():
    full = {d.code: {"facts": "事实", "problems": "无", "conclusion": "结论"} for d in T.dimensions}
    assert analysis_problems(full, T) == []
    gaps = analysis_problems({**full, "plan": {"facts": "事实"}}, T)
    assert [key for key, _ in gaps] == ["problems-plan", "conclusion-plan"]
    assert listed("无") == [] and listed("测算偏粗\n\n单价无来源；") == ["测算偏粗", "单价无来源"]


def test_the_mapping_travels_with_the_snapshot():
    stored = RULES.snapshot()
    stored["scoring"]["level_rates"]["良"] = {"value": 0.7, "ref": "要点档次"}  # the file changes later …
    assert RULES.scoring.level_points("良", D(5)) == D("4.00")  # … the round keeps its own
    assert from_snapshot(stored).scoring.level_points("良", D(5)) == D("3.50")
    assert from_snapshot(RULES.snapshot()).by_points


def test_a_points_round_without_rates_is_refused():
    stored = RULES.snapshot()
    stored["scoring"].pop("level_rates")
    with pytest.raises(RuleError, match="level_rates"):
        from_snapshot(stored)
