"""Comments written the way citizens write them, for the demo, the tests and the benchmark.

Each comment wraps one topic in everyday phrasing ("对拥堵工作总体满意，但还需要继续努力") that is more common
than any topic; many add a detail, a place or a personal aside, and some are praise. Deterministic per seed.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

TOPICS = {  # topic → details that belong to it only
    "地铁": ["早高峰太挤", "换乘通道太长", "末班车太早"],
    "环保": ["执法要更严格", "河道还有黑臭", "工厂晚上偷排"],
    "教育": ["资源不均衡", "入学政策不透明", "课后服务跟不上"],
    "拥堵": ["早晚高峰很严重", "学校门口天天堵", "路口信号灯配时不合理"],
    "电费": ["阶梯价格太高", "缴费渠道太少", "账单看不懂"],
    "单车": ["乱停乱放", "占用盲道", "坏车没人收"],
    "垃圾": ["清运不及时", "桶边堆满", "分类投放点太远"],
    "公交": ["班次太少", "站台没有遮雨棚", "线路绕路"],
    "噪音": ["工地夜间施工", "广场舞音响太响", "商铺喇叭扰民"],
    "物价": ["菜价涨得快", "停车收费太贵", "药品价格偏高"],
}
EVERYDAY = [
    "对{t}工作总体满意，但还需要继续努力",
    "希望{t}问题能尽快解决，建议相关部门进一步加强",
    "{t}方面还有不少问题，群众反映比较多，希望重视",
    "关于{t}，建议加大管理力度，尽快改善",
    "{t}{d}，希望有关部门重视，尽快解决",
    "我家住在{p}，{t}{d}，老百姓意见很大",
]
PRAISE = ["{t}工作做得好，方便多了，点赞", "今年{t}改善了，感谢辛苦付出"]
PLACES = ["西湖区", "上城区", "拱墅区", "滨江区", "萧山区", "余杭区", "临平区", "钱塘区"]
STREETS = ["文三路", "庆春路", "凤起路", "延安路", "莫干山路", "秋涛路", "古墩路", "江南大道", "天目山路", "解放路",
           "中河路", "环城北路", "体育场路", "湖墅南路", "东新路", "石桥路", "德胜路", "丰潭路", "教工路", "学院路"]
ASIDES = ["", "，说了好几次了", "，谢谢", "，请认真对待", "，盼回复"]


@dataclass(frozen=True)
class SampleComment:
    topic: str
    text: str
    praise: bool


def generate(count: int, seed: int = 2017, topics: dict[str, list[str]] | None = None,
             praise_share: float = 0.08) -> list[SampleComment]:
    """count comments over the topics (weights 10:9:…:1 so ranks are clear), everyday phrasing throughout."""
    rnd = random.Random(seed)
    topics = topics or TOPICS
    names = list(topics)
    weights = [len(names) - i + 4 for i in range(len(names))]
    made = []
    for _ in range(count):
        topic = rnd.choices(names, weights)[0]
        if rnd.random() < praise_share:
            made.append(SampleComment(topic, rnd.choice(PRAISE).format(t=topic), True))
            continue
        text = rnd.choice(EVERYDAY).format(t=topic, d=rnd.choice(topics[topic]),
                                           p=rnd.choice(PLACES) + rnd.choice(STREETS))
        if rnd.random() < 0.5:
            text = f"{rnd.choice(PLACES)}{rnd.choice(STREETS)}附近，{text}"
        made.append(SampleComment(topic, text + rnd.choice(ASIDES) + "。", False))
    return made
