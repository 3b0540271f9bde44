"""Hot words are topics: counted by the people who raised them, everyday phrasing and the background cannot rank."""
from collections import Counter
from pathlib import Path

import pytest

from budget_eval.evaluation.domain.hotword_ranking import analyse
from budget_eval.evaluation.domain.hotwords import Comment, Segmenter, normalise, read_word_list
from budget_eval.evaluation.sample_comments import TOPICS, generate

RULES = Path(__file__).resolve().parents[2] / "rules" / "hotwords"
ANSWERS_2017 = ["跑改", "降费", "地铁", "环保", "教育", "拥堵", "电费", "食药", "单车", "垃圾"]
EVERYDAY = ["努力", "总体", "希望", "建议", "反映", "问题", "加强"]


@pytest.fixture(scope="module")
def segmenter():
    return Segmenter.from_rules(RULES)


def comments(texts, unit="市交通运输局"):
    return [Comment(i, unit, text, f"R{i}") for i, text in enumerate(texts)]


def test_domain_dictionary_holds_vocabulary_not_the_topics():
    words = {line.split()[0] for line in read_word_list(RULES / "domain_words.txt")}
    assert {"跑改", "最多跑一次", "降费"} <= words
    assert not words & set(TOPICS)
    assert not words & {"地铁", "环保", "教育", "拥堵", "电费", "单车", "垃圾"}


def test_generated_corpus_finds_the_topics_with_counts_within_five_percent():
    segmenter = Segmenter.from_rules(RULES, without=ANSWERS_2017)
    sample = generate(3000, seed=7)
    expected = Counter(s.topic for s in sample if not s.praise)  # each comment is a different rater's
    analysis = analyse(comments(s.text for s in sample), segmenter)
    top = {w.word: w.count for w in analysis.city.criticism[:10]}
    found = [t for t in TOPICS if t in top and abs(top[t] - expected[t]) <= 0.05 * expected[t]]
    assert len(found) >= 8, (top, expected)
    assert not set(top) & set(EVERYDAY)


def test_everyday_words_cannot_rank_however_often_they_occur(segmenter):
    texts = [f"总体努力，希望建议反映问题，加强{i}次" for i in range(50)] + ["地铁太挤"] * 2 + ["地铁换乘不便"]
    ranking = analyse(comments(texts), segmenter).city.criticism
    assert not {w.word for w in ranking} & set(EVERYDAY)
    assert ranking[0].word == "地铁" and ranking[0].count == 3  # three raters, each a voice


def test_counted_once_per_rater_and_identical_texts_grouped_for_display(segmenter):
    texts = ["地铁太挤，地铁太挤，地铁太挤！", "地铁太挤 地铁太挤 地铁太挤。", "早高峰地铁换乘不方便"]
    analysis = analyse(comments(texts), segmenter)
    assert analysis.merged == 2
    word = analysis.city.criticism[0]
    assert (word.word, word.count, word.raw, word.raters, word.texts) == ("地铁", 3, 3, 3, 2)


def test_distinct_raters_writing_identical_texts_are_each_counted(segmenter):
    same = [Comment(i, "市交通运输局", "地铁早高峰太挤", f"R{i}") for i in range(7)]
    again = [Comment(100, "市交通运输局", "地铁早高峰太挤", "R0"), Comment(101, "市城管局", "地铁站门口太脏", "R1")]
    other = [Comment(200 + i, "市城管局", "垃圾清运不及时", f"S{i}") for i in range(3)]
    analysis = analyse(same + again + other, segmenter)
    counts = {w.word: (w.count, w.raw, w.texts) for w in analysis.city.criticism}
    assert counts["地铁"] == (7, 9, 2)  # seven people; R0's repeat and R1's second comment add no person
    assert counts["垃圾清运"] == (3, 3, 1)
    assert analysis.city.criticism[0].word == "地铁"
    assert [w.count for w in analysis.units["市城管局"].criticism if w.word.startswith("地铁")] == [1]  # R1 there


def test_ties_are_shown_as_ties_not_ordered_by_code_point(segmenter):
    texts = ["地铁太挤", "垃圾清运不及时", "电费太贵"]
    ranking = analyse(comments(texts), segmenter).city.criticism
    assert {w.rank for w in ranking} == {1} and all(w.tied for w in ranking)
    assert ranking[0].rank_label == "1（并列）"


def test_praise_is_counted_apart(segmenter):
    texts = ["地铁工作做得好，方便多了，点赞", "地铁早高峰太挤", "地铁末班车太早"]
    analysis = analyse(comments(texts), segmenter)
    assert (analysis.city.criticism[0].word, analysis.city.criticism[0].count) == ("地铁", 2)
    assert [(w.word, w.count) for w in analysis.city.praise] == [("地铁", 1)]


def test_each_hot_word_has_units_share_examples_and_issues(segmenter):
    sample = generate(800, seed=3)
    items = [Comment(i, "市城管局" if s.topic in ("垃圾", "噪音") else "市交通运输局", s.text, f"R{i}", "市民代表")
             for i, s in enumerate(sample)]
    analysis = analyse(items, segmenter, raters=2000)
    word = next(w for w in analysis.city.criticism if w.word == "垃圾")
    assert word.units == (("市城管局", word.raw),) and word.count == word.raw
    assert 0 < word.share < 1 and word.share == word.raters / 2000
    assert 3 <= len(word.examples) <= 5 and len(set(word.examples)) == len(word.examples)
    assert 2 <= len(word.issues) <= 5
    assert len({i.label for i in word.issues}) == len(word.issues)
    assert analysis.units["市城管局"].criticism[0].word in ("垃圾", "噪音")
    assert "地铁" not in {w.word for w in analysis.units["市城管局"].criticism}


def test_domain_words_stay_whole_and_content_words_kept(segmenter):
    assert "跑改" in segmenter.words("跑改以后办事方便")
    assert "降费" in segmenter.words("降费要落实")
    assert "拥堵" in segmenter.words("道路拥堵严重")  # a verb rare in everyday language is a topic
    assert segmenter.words("希望，进一步加强！！123 的") == []


def test_noun_phrase_stands_for_its_words_when_it_covers_them(segmenter):
    texts = [f"公交站台没有遮雨棚{i}号" for i in range(5)] + ["地铁太挤"]
    counts = {w.word: w.count for w in analyse(comments(texts), segmenter).city.criticism}
    assert counts["公交站台"] == 5 and "公交" not in counts and "站台" not in counts
