"""Comment sets shaped like the public's: topics raised by known numbers of people, each inside ordinary filler
sentences from a handful of frames, plus comments that are filler only. Used by the hot-word acceptance tests."""
from __future__ import annotations

import random
from dataclasses import dataclass

from budget_eval.evaluation.domain.hotwords import Comment

PEOPLE = (900, 800, 700, 600, 500, 450, 400, 350, 300, 250)
TOPIC_SETS = {
    "city": ("地铁", "拥堵", "教育", "垃圾分类", "停车", "养老", "医保", "菜价", "噪音", "公厕"),
    "hangzhou2017": ("跑改", "降费", "环保", "食药", "单车", "电费", "公交", "物业", "油烟", "学位"),
    "streets": ("加装电梯", "菜场", "绿道", "充电桩", "托育", "路灯", "积水", "违建", "外卖", "网约车"),
    # written after the extraction was tuned on the three above, and run once before any change for it
    "errands": ("地下通道", "菜市场", "停车位", "老年食堂", "公园厕所", "夜市", "电动车", "学区房", "物业费", "快递柜"),
}
FRAME_SETS = {
    "plain": (
        "希望{t}方面多下功夫，进一步加强管理",
        "{t}问题比较突出，建议相关部门高度重视，切实抓好落实",
        "对{t}不太满意，要下大力气解决，提升群众获得感",
        "关于{t}，建议进一步加大投入力度，把好事办好",
        "{t}还有差距，希望常抓不懈，落到实处",
    ),
    "official": (
        "建议在{t}上再下功夫，多为老百姓办实事",
        "{t}这块还要加把劲，切实提高服务质量",
        "希望政府把{t}当作民生大事来抓，进一步提升城市管理水平",
        "{t}的情况有待改进，工作作风还要转变",
        "盼望{t}早日改善，让市民有更多幸福感",
        "请有关单位重视{t}，拿出具体措施，做到件件有回音",
    ),
    "chatty": (
        "说实话{t}真的让人头疼，领导们要多听听群众的声音",
        "我觉得{t}还是老样子，希望今年能有变化",
        "{t}！！！再不解决真的不行了",
        "对于{t}这个事情，大家议论很多，希望认真对待",
    ),
    # written with the "errands" topics, after the tuning
    "blunt": (
        "麻烦领导关注一下{t}，这个事情拖了很久了",
        "{t}方面的工作要抓紧，不能光喊口号",
        "希望明年{t}能上一个台阶，让人民群众满意",
        "强烈建议改进{t}",
        "{t}做得还不够，希望相关职能部门拿出实招",
    ),
}
FILLER_ONLY = (
    "希望相关部门多下功夫，进一步加强管理",
    "总体满意，建议继续努力，切实提高服务水平",
    "工作作风还要转变，多为老百姓办实事",
    "希望政府多听听群众的声音，把好事办好",
    "无",
    "没有意见",
    "领导们辛苦了，希望再接再厉",
)


@dataclass(frozen=True)
class Corpus:
    comments: list[Comment]
    people: dict[str, int]  # topic → people who raised it


def corpus(topics: tuple[str, ...], frames: tuple[str, ...], seed: int, filler_only: int = 570,
           repeat_share: float = 0.05) -> Corpus:
    """Topic i raised by PEOPLE[i] distinct raters in frames chosen at random (so many texts are identical across
    raters); a few raters submit their comment twice; filler_only more raters write filler alone."""
    rnd = random.Random(seed)
    made: list[tuple[str, str]] = []
    n = 0
    for topic, people in zip(topics, PEOPLE):
        for _ in range(people):
            n += 1
            text = rnd.choice(frames).format(t=topic) + rnd.choice(("。", "", "！", "。谢谢"))
            made.append((f"R{n:05d}", text))
            if rnd.random() < repeat_share:
                made.append((f"R{n:05d}", text))
    for _ in range(filler_only):
        n += 1
        made.append((f"R{n:05d}", rnd.choice(FILLER_ONLY)))
    rnd.shuffle(made)
    units = ("市交通运输局", "市教育局", "市城管局", "市民政局")
    comments = [Comment(i, rnd.choice(units), text, rater) for i, (rater, text) in enumerate(made)]
    return Corpus(comments, dict(zip(topics, PEOPLE)))
