"""社会评价意见报告: headings are numbered without gaps (issue 23). Topics that are one another's parts merge in
the hot-word analysis itself (tests of evaluation/domain/hotwords)."""
from budget_eval.evaluation.feedback_report import numeral


def test_numerals():
    assert [numeral(n) for n in (1, 9, 10, 11, 20, 23)] == ["一", "九", "十", "十一", "二十", "二十三"]
