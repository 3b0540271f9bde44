"""Property tests of the pure readers: any cell content gives a result or a reason, never an exception."""
import math
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from budget_eval.evaluation.domain.scheme import load_scheme
from budget_eval.intake.domain.rule_files import load_screening_rules
from budget_eval.intake.domain.screening_rows import INPUT_HEADERS, INVALID, screen_row
from budget_eval.evaluation.survey_import import COL_REASON, validate

ROOT = Path(__file__).resolve().parents[2]
SCREENING = load_screening_rules(ROOT / "rules" / "screening.yaml")
SURVEY = load_scheme(ROOT / "rules" / "schemes" / "hangzhou.yaml").survey

cells = st.one_of(
    st.none(), st.text(max_size=20), st.integers(min_value=-10**30, max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
    st.sampled_from(["是", "否", "基建投资项目", "政策", "1,000", "2亿", "NaN", "", " "]),
)


@given(st.fixed_dictionaries({h: cells for h in INPUT_HEADERS}))
@settings(max_examples=300, deadline=None)
def test_any_row_screens_or_says_why(row):
    result, basis = screen_row(row, SCREENING)
    assert result in {"需要", "不需要", "免于评估", INVALID}
    assert basis


survey_cells = st.one_of(st.none(), st.text(max_size=12),
                         st.sampled_from(["满意", "不了解", "市民代表", "党代表", "杭州市教育局", "R1", ""]))


@given(st.lists(st.tuples(*([survey_cells] * 5)), max_size=30))
@settings(max_examples=150, deadline=None)
def test_any_survey_file_splits_into_good_and_rejected(rows):
    table = pd.DataFrame(rows, columns=["受访者编号", "受访者类别", "被评单位", "评价", "意见建议"], dtype=object)
    good, rejected = validate(table, {"杭州市教育局": 1}, SURVEY, set())
    assert len(good) + len(rejected) == len(table)
    assert (rejected[COL_REASON].str.len() > 0).all()
    assert set(good["answer"]) <= set(SURVEY.answers) | set(SURVEY.unknown)
    assert not good.duplicated(["respondent", "department_id"]).any()
    assert all(isinstance(r, str) and r for r in good["respondent"])
    assert all(c is None or (isinstance(c, str) and c) or (isinstance(c, float) and math.isnan(c))
               for c in good["comment"])


score_text = st.one_of(st.text(max_size=12), st.sampled_from(["", "10", "9.5", "-1", "1e999999", "NaN", "10.001"]),
                       st.decimals(allow_nan=True, allow_infinity=True).map(str))


@given(st.lists(score_text, min_size=10, max_size=10))
@settings(max_examples=200, deadline=None)
def test_any_score_sheet_reads_or_says_why(values):
    """The reviewers' and departments' score sheets: a valid score, a blank, or a Chinese reason."""
    from decimal import Decimal

    from budget_eval.assessment.sheets import read_scores
    from budget_eval.assessment.domain.assessment_rules import load_assessment_rules

    template = load_assessment_rules(ROOT / "rules", "infra").template
    form = {f"score-{i.key}": v for i, v in zip(template.indicators, values, strict=True)}
    scores, comments, problems = read_scores(form, template)
    bad = dict(problems)
    for indicator in template.indicators:
        score = scores[indicator.key]
        if indicator.key in bad:
            assert score is None and "得分应为0至" in bad[indicator.key]
        elif score is not None:
            assert Decimal(0) <= score <= indicator.points and score == score.quantize(Decimal("0.01"))
