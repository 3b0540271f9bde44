"""Demo data of the expert pool (专家库): experts with specialties, declared relations and one inactive; and a
proposal of the health commission in finance review whose panel was drawn at random from the pool and whose
experts have signed the 回避与保密承诺."""
from __future__ import annotations

from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from budget_eval.demo.data import T, TEXTS
from budget_eval.intake import operations as proposals
from budget_eval.intake.domain.intake import FundYear, ProposalDraft
from budget_eval.intake.rules import screening_rules

from budget_eval.assessment import draws, panels
from budget_eval.assessment.models import Expert
from budget_eval.intake.models import Proposal
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.platform.models.department import Department
from budget_eval.platform.models.user import User

# username, name, 工作单位, 职称, specialties, departments to avoid, other organisations to avoid, active
POOL = [
    ("expert1", "李建国", "浙江大学公共管理学院", "教授", ["finance", "social", "education"], [], [], True),
    ("expert2", "赵慧", "杭州明正会计师事务所", "注册会计师、高级会计师", ["finance"], [], [], True),
    ("expert3", "孙涛", "杭州市城市规划设计研究院", "正高级工程师", ["construction", "transport"], [], [], True),
    ("expert4", "钱伟", "浙江工业大学土木工程学院", "教授", ["construction", "transport"], [], [], True),
    ("expert5", "周婷", "浙江财经大学财政税务学院", "副教授", ["finance", "economy"], [], [], True),
    ("expert6", "吴强", "浙江省交通规划设计研究院", "高级工程师", ["transport", "construction"], [], [], True),
    # declared: serves on a committee of the health commission
    ("expert7", "郑敏", "浙江大学医学院附属第二医院", "主任医师", ["health", "finance"], ["杭州市卫生健康委员会"], [], True),
    ("expert8", "王磊", "杭州市环境保护科学研究院", "高级工程师", ["environment"], [], [], True),
    # declared: audits the transport bureau's accounts
    ("expert9", "冯洁", "浙江天健会计师事务所", "注册会计师", ["finance", "transport"], [], ["杭州市交通运输局"], True),
    # works for the transport bureau: never drawn for its proposals
    ("expert10", "陈刚", "杭州市交通运输局", "高级工程师", ["transport", "construction"], [], [], True),
    ("expert11", "褚芳", "浙江省农业科学院", "研究员", ["agriculture", "environment"], [], [], True),
    ("expert12", "卫东", "浙江星韵律师事务所", "律师", ["law"], [], [], True),
    ("expert13", "蒋红", "浙江工商大学经济学院", "教授", ["economy", "social", "finance"], [], [], False),
    ("expert14", "沈洁", "浙江省医学科学院", "研究员", ["health", "finance"], [], [], True),
]

DRAWN_FOR = "社区卫生服务中心智慧化改造"
AWAITING_DRAW = "卫生应急物资储备库建设"  # in finance review, its panel yet to be drawn
DRAW_SEED = 20270115  # fixed so the demo's panel is the same on every machine


def seed(created: dict[str, Proposal], users: dict[str, User], password: str, walk) -> None:
    """Write the pool, then walk DRAWN_FOR to finance review with `walk(proposal, staff, finance)` (the demo's
    to_finance_review), draw its panel and let each drawn expert sign the pledge."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    departments = {d.name: d.id for d in db.session.scalars(select(Department))}
    for username, name, organisation, title, specialties, avoid, others, active in POOL:
        user = users.get(username) or db.session.scalar(select(User).where(User.username == username))
        if user is None:
            user = User(username=username, display_name=name, role=Role.EXPERT.value, organisation=organisation,
                        professional_title=title)
            user.set_password(password, method)
            db.session.add(user)
            db.session.flush()
            users[username] = user
        db.session.add(Expert(user_id=user.id, name=name, organisation=organisation, title=title,
                              specialties=specialties, phone=f"0571-0000{user.id:04d}",  # not a real number
                              avoid_department_ids=[departments[d] for d in avoid], avoid_organisations=others,
                              active=active))
    db.session.commit()
    staff, finance = users["weijian"], users["reviewer1"]
    targets = (T("产出指标", "数量指标", "完成智慧化改造的社区卫生服务中心", "40", "家"),
               T("效益指标", "社会效益指标", "居民线上预约率", "≥50", "%"),
               T("满意度指标", "服务对象满意度指标", "就诊居民满意度", "≥90", "%"))
    drawn = _in_finance_review(DRAWN_FOR, ("1800", "1400"), targets, staff, finance, created, walk)
    if drawn is not None:
        round_ = drawn.current_assessment
        draws.draw_panel(round_, drawn, "finance", 3, users["admin"], seed=DRAW_SEED)
        for member in round_.members:
            panels.declare(member)
    _in_finance_review(AWAITING_DRAW, ("2600", "0"), (
        T("产出指标", "数量指标", "储备库建筑面积", "≥6000", "平方米"),
        T("效益指标", "社会效益指标", "突发事件物资保障时间", "≤2", "小时")), staff, finance, created, walk)


def _in_finance_review(name: str, amounts: tuple[str, str], targets: tuple, staff: User, finance: User,
                       created: dict[str, Proposal], walk) -> Proposal | None:
    """A new proposal of the health commission, submitted and walked to finance review (if screened in)."""
    years = tuple(FundYear(y, Decimal(a)) for y, a in zip((2027, 2028), amounts) if Decimal(a))
    draft = ProposalDraft(
        year=2027, fund_years=years, sources={"general": sum((y.amount_wan for y in years), Decimal(0))},
        targets=targets,
        **(TEXTS | dict(name=name, category="other", is_new=True, start_year=2027, end_year=years[-1].year)),
    )
    proposal = Proposal(department_id=staff.department_id)
    proposals.submit(proposal, draft, staff, screening_rules())
    created[proposal.name] = proposal
    if proposal.screening_outcome != "required":
        return None
    walk(proposal, staff, finance)
    return proposal if proposal.current_assessment is not None else None
