"""Hot words on a fixed comment set with known top words."""
from pathlib import Path

import pytest

from budget_eval.evaluation.domain.hotwords import hot_words, Segmenter

RULES = Path(__file__).resolve().parents[2] / "rules" / "hotwords"


@pytest.fixture(scope="module")
def segmenter():
    return Segmenter.from_rules(RULES)


COMMENTS = [
    ("市交通运输局", "地铁太挤，希望地铁增加班次"),
    ("市交通运输局", "早晚高峰拥堵严重，地铁换乘不方便"),
    ("市交通运输局", "共享单车乱停乱放，拥堵人行道"),
    ("市城管局", "垃圾分类宣传要加强，垃圾分类设施不够"),
    ("市城管局", "小区垃圾分类做得好"),
    ("市发改委", "跑改以后办事方便多了，希望跑改继续深化"),
    ("市发改委", "降费政策要落实到位，企业降费感受不明显"),
    ("市发改委", "跑改"),
    ("市城管局", ""),
]


def test_domain_words_stay_whole(segmenter):
    assert "垃圾分类" in segmenter.words("垃圾分类设施不够")
    assert "跑改" in segmenter.words("跑改以后办事方便")
    assert "降费" in segmenter.words("降费要落实")
    assert "地铁" in segmenter.words("地铁太挤")


def test_stop_words_and_punctuation_are_left_out(segmenter):
    words = segmenter.words("希望，进一步加强！！123 的")
    assert words == []


def test_city_and_department_top_words(segmenter):
    city, departments = hot_words(COMMENTS, segmenter, top=4)
    assert [(w.word, w.count) for w in city] == [("地铁", 3), ("垃圾分类", 3), ("跑改", 3), ("拥堵", 2)]
    assert city[0].examples == ("地铁太挤，希望地铁增加班次", "早晚高峰拥堵严重，地铁换乘不方便")
    assert [w.word for w in departments["市发改委"][:2]] == ["跑改", "降费"]
    assert departments["市城管局"][0].word == "垃圾分类"
    assert set(departments) == {"市交通运输局", "市城管局", "市发改委"}


def test_examples_are_capped(segmenter):
    many = [("市交通运输局", f"地铁第{i}条意见") for i in range(10)]
    city, _ = hot_words(many, segmenter, examples=3)
    assert city[0].word == "地铁" and city[0].count == 10 and len(city[0].examples) == 3
