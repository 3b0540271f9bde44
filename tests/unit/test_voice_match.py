"""Which hot words bear on a proposal (pure): named in its name, 绩效目标 or text, or its department's own."""
from pathlib import Path

import pytest

from budget_eval.evaluation.domain.hotword_ranking import analyse
from budget_eval.evaluation.domain.hotwords import Comment, Segmenter
from budget_eval.evaluation.domain.voice_match import matches

RULES = Path(__file__).resolve().parents[2] / "rules" / "hotwords"


@pytest.fixture(scope="module")
def analysis():
    texts = ([("交通局", "地铁早高峰太挤")] * 6 + [("交通局", "早晚拥堵严重")] * 4 + [("交通局", "公交班次太少")] * 3
             + [("城管局", "垃圾清运不及时")] * 5 + [("教育局", "教育资源不均衡")] * 2)
    return analyse([Comment(i, unit, text, f"R{i}") for i, (unit, text) in enumerate(texts)],
                   Segmenter.from_rules(RULES))


def test_named_topics_first_then_the_departments_own(analysis):
    found = matches(analysis, "交通局", [("项目名称", "地铁站点接驳优化"), ("绩效目标", "拥堵节点通行时间缩短15%"),
                                         ("申报内容", "")])
    assert [(m.word.word, m.reason) for m in found][:2] == [("地铁", "项目名称提到“地铁”"), ("拥堵", "绩效目标提到“拥堵”")]
    assert found[0].word.count == 6
    assert any(m.word.word.startswith("公交") and m.reason == "申报部门的社会评价热词" and m.scope == "交通局"
               for m in found)  # 公交班次: the department's own, though the proposal does not name it
    assert "垃圾" not in {m.word.word for m in found}


def test_nothing_named_and_no_department_ranking_is_nothing(analysis):
    assert matches(analysis, "科技局", [("项目名称", "孵化器运营补助")]) == []
