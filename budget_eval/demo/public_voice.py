"""Demo data where the public's voice meets the proposals: a metro-feeder and congestion project in finance review,
with a panel, whose name, 绩效目标 and 立项依据 name what the public raised in the published year (地铁, 拥堵).

With the demo's other proposals that name a hot word (天子岭生活垃圾分类处置中心 → 垃圾, 学前教育普惠性民办园 →
教育), the 十大热词 page of the published year lists at least three proposals under their topics, and a reviewer
of this project sees the comments on 地铁 and 拥堵 beside 立项必要性.
"""
from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from budget_eval.assessment import panels as assessment
from budget_eval.demo.data import T
from budget_eval.intake import operations as proposals
from budget_eval.intake.domain.intake import FundYear, ProposalDraft
from budget_eval.intake.models import Proposal
from budget_eval.platform.extensions import db
from budget_eval.intake.rules import screening_rules
from budget_eval.platform.models.user import User

METRO = "地铁站点接驳公交优化及拥堵节点改造"
TEXTS = dict(
    basis_text="2025年度社会评价中，市民对地铁早高峰换乘、站点接驳和主城区道路拥堵的意见集中。"
               "地铁站点周边公交接驳线路绕行、末班车衔接不上，学校门口和主要路口早晚高峰拥堵严重。\n"
               "本项目列入市交通运输局2027年民生实事计划，与“完善公共交通衔接、缓解城市拥堵”的职责直接相关。",
    plan_text="优化地铁站点接驳公交线路40条，改造拥堵节点25处（渠化、信号配时、公交港湾），2027年底前完成。",
    budget_text="按照交通设施定额和同类工程造价测算，详见预算明细表。",
)


def seed(users: dict[str, User], to_finance_review: Callable[[Proposal, User, User], Proposal]) -> Proposal:
    """Submit the project as 交通运输局 and take it to finance review (the demo's own walk, passed in) with a
    panel (expert1 yet to declare)."""
    staff, finance = users["jiaotong"], users["reviewer1"]
    draft = ProposalDraft(
        year=2027, name=METRO, category="other", is_new=True, start_year=2027, end_year=2027,
        fund_years=(FundYear(2027, Decimal("2600")),), sources={"general": Decimal("2600")},
        targets=(T("产出指标", "数量指标", "优化地铁站点接驳公交线路", "40", "条"),
                 T("产出指标", "数量指标", "改造拥堵节点", "25", "处"),
                 T("效益指标", "社会效益指标", "早高峰拥堵节点通行时间缩短", "≥15", "%"),
                 T("满意度指标", "服务对象满意度指标", "市民出行满意度", "≥85", "%")),
        **TEXTS,
    )
    proposal = Proposal(department_id=staff.department_id)
    proposals.submit(proposal, draft, staff, screening_rules())
    to_finance_review(proposal, staff, finance)
    assessment.assign(proposal.current_assessment, proposal, [finance, users["expert1"], users["expert2"]], None,
                      users["admin"], reason="演示数据：财政评审人员参加评审，专家为专家库上线前指定")
    db.session.commit()
    return proposal
