"""社会评价意见报告: near-identical hot words are one topic, headings are numbered without gaps (issue 23)."""
from types import SimpleNamespace as W

from budget_eval.evaluation.feedback_report import merged_words, numeral


def issue(label: str, count: int):
    return W(label=label, count=count)


def test_a_narrower_word_on_comments_the_broader_counts_is_merged():
    education = W(word="教育", count=14, raters=10, examples=("a", "b"), issues=(issue("教育入学政策不透明", 5),))
    admission = W(word="教育入学", count=5, raters=4, examples=("a", "c"), issues=())
    metro = W(word="地铁", count=20, raters=12, examples=("d",), issues=())
    topics = merged_words([metro, education, admission])
    assert [[w.word for w in t] for t in topics] == [["地铁"], ["教育", "教育入学"]]


def test_same_comments_merge_and_unrelated_words_stay_apart():
    a = W(word="教育", count=5, raters=5, examples=("x",), issues=())
    b = W(word="教育入学", count=5, raters=5, examples=("x",), issues=())
    c = W(word="入学", count=3, raters=3, examples=("y",), issues=())  # 入学 ⊂ 教育入学 but other comments
    assert [[w.word for w in t] for t in merged_words([a, b, c])] == [["教育", "教育入学"], ["入学"]]


def test_numerals():
    assert [numeral(n) for n in (1, 9, 10, 11, 20, 23)] == ["一", "九", "十", "十一", "二十", "二十三"]
