"""Demo data for `flask seed-demo`: departments, one account per role and a dozen realistic proposals.

Later features extend this module so that every screen has something to show.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from budget_eval.platform.demo_review import (
    AFFILIATIONS,
    attach_study,
    HUB_CONCLUSION,
    PROJECT_TEXTS,
    sheet_reasons,
    sheet_scores,
)
from budget_eval.platform.demo_review import opinion as review_opinion
from budget_eval.intake.domain.intake import FundYear, ProposalDraft, Target
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.auth.passwords import password_problem
from budget_eval.platform.extensions import db
from budget_eval.platform.models.department import Department
from budget_eval.intake.models import Proposal
from budget_eval.platform.models.user import User
from budget_eval.assessment import panels as assessment, self_assessment, workflow
from budget_eval.meetings import operations as meetings
from budget_eval.intake import operations as proposals
from budget_eval.platform.rules import screening_rules

PASSWORD = "Hz-Demo@2026"  # passes the password policy (checked when seeding)

# name, authority (主管部门) or None
DEPARTMENTS = [
    ("杭州市财政局", None),
    ("杭州市综合考评委员会办公室", None),
    ("杭州市交通运输局", None),
    ("杭州市城市管理局", None),
    ("杭州市教育局", None),
    ("杭州市卫生健康委员会", None),
    ("杭州市第一人民医院", "杭州市卫生健康委员会"),
    ("杭州市生态环境局", None),
    ("杭州市民政局", None),
    ("杭州市应急管理局", None),
    ("杭州市科学技术局", None),
]

# username, display name, role, department
USERS = [
    ("admin", "周敏", Role.ADMIN, "杭州市财政局"),
    ("reviewer1", "陈立", Role.REVIEWER, "杭州市财政局"),
    ("reviewer2", "王婷", Role.REVIEWER, "杭州市财政局"),
    ("expert1", "李建国", Role.EXPERT, None),
    ("expert2", "赵慧", Role.EXPERT, None),
    ("expert3", "孙涛", Role.EXPERT, None),
    ("kpb", "何静", Role.EVAL_OFFICE, "杭州市综合考评委员会办公室"),
    ("jiaotong", "刘洋", Role.DEPARTMENT, "杭州市交通运输局"),
    ("chengguan", "吴斌", Role.DEPARTMENT, "杭州市城市管理局"),
    ("jiaoyu", "郑丽", Role.DEPARTMENT, "杭州市教育局"),
    ("weijian", "冯磊", Role.DEPARTMENT, "杭州市卫生健康委员会"),
    ("yiyuan", "许静", Role.DEPARTMENT, "杭州市第一人民医院"),
    ("shengtai", "蒋峰", Role.DEPARTMENT, "杭州市生态环境局"),
    ("minzheng", "沈芳", Role.DEPARTMENT, "杭州市民政局"),
    ("yingji", "韩冬", Role.DEPARTMENT, "杭州市应急管理局"),
    ("keji", "杨帆", Role.DEPARTMENT, "杭州市科学技术局"),
]

BASES = {"产出指标": "实施方案及可行性研究报告", "效益指标": "行业统计数据及测算", "成本指标": "概算及同类项目造价",
         "满意度指标": "往年满意度调查结果"}


def T(level1: str, level2: str, name: str, value: str, unit: str, year: int | None = None) -> Target:
    """A demo target: "≥20" reads as comparator ≥ and value 20; a date as ≤; words as 定性."""
    if value[:1] in "≥≤=":
        comparator, value = value[0], value[1:]
    elif "年" in value:
        comparator = "≤"
    else:
        comparator = "=" if value.replace(".", "").isdigit() else "定性"
    return Target(level1, level2, name, value, "" if unit == "—" else unit, comparator, BASES[level1], year)


# username, submit?, draft fields, this level's fiscal funds by year {year: 万元}, total investment by source, targets
PROPOSALS = [
    ("jiaotong", True, dict(name="城西综合交通枢纽配套道路工程", category="infra", is_new=True, start_year=2027, end_year=2029),
     {2027: "8000", 2028: "10000", 2029: "7000"}, {"general": "15000", "bond": "10000"},
     [T("产出指标", "数量指标", "新建道路里程", "12.5", "公里"), T("产出指标", "时效指标", "主线通车时间", "2029年6月前", "日期"),
      T("效益指标", "社会效益指标", "枢纽高峰时段通行时间缩短", "≥20", "%"), T("成本指标", "经济成本指标", "每公里建设成本", "≤2000", "万元/公里"),
      T("产出指标", "数量指标", "当年完成路基工程", "≥4", "公里", 2027), T("满意度指标", "服务对象满意度指标", "沿线居民满意度", "≥90", "%")]),
    ("jiaotong", True, dict(name="主城区交通信号智能控制系统升级", category="other", is_new=True, start_year=2027, end_year=2028),
     {2027: "800", 2028: "650"}, {"general": "1450"},
     [T("产出指标", "数量指标", "改造信号控制路口", "320", "个"), T("效益指标", "社会效益指标", "主干道平均车速提升", "≥8", "%"),
      T("满意度指标", "服务对象满意度指标", "市民出行满意度", "≥85", "%")]),
    ("chengguan", True, dict(name="天子岭生活垃圾分类处置中心扩建工程", category="infra", is_new=True, start_year=2027, end_year=2030),
     {2027: "9000", 2028: "12000", 2029: "8000", 2030: "3000"}, {"fund": "20000", "bond": "12000"},
     [T("产出指标", "数量指标", "新增日处理能力", "1500", "吨/日"), T("产出指标", "质量指标", "排放达标率", "100", "%"),
      T("效益指标", "生态效益指标", "原生垃圾零填埋", "实现", "—"), T("满意度指标", "服务对象满意度指标", "周边居民满意度", "≥80", "%")]),
    ("chengguan", True, dict(name="城市道路养护（延续）", category="other", is_new=False, nature="expiring",
                             start_year=2027, end_year=2027),
     {2027: "5200"}, {"general": "5200"},
     [T("产出指标", "数量指标", "养护道路面积", "860", "万平方米"), T("效益指标", "社会效益指标", "道路完好率", "≥98", "%")]),
    ("jiaoyu", False, dict(name="中小学食堂提升改造", category="other", is_new=True, start_year=2027, end_year=2027),
     {2027: "700"}, {"general": "700", "self": "160"},
     [T("产出指标", "数量指标", "改造食堂", "46", "所")]),
    ("jiaoyu", True, dict(name="学前教育普惠性民办园补助政策", category="policy", is_new=True, start_year=2027, end_year=2029),
     {2027: "1000", 2028: "1000", 2029: "1000"}, {"general": "3000", "transfer": "600"},
     [T("产出指标", "数量指标", "受补助普惠性民办园", "180", "所"), T("效益指标", "社会效益指标", "普惠性幼儿园在园幼儿占比", "≥90", "%"),
      T("满意度指标", "服务对象满意度指标", "家长满意度", "≥90", "%")]),
    ("weijian", True, dict(name="基层医疗卫生机构服务能力提升", category="other", is_new=False, start_year=2027, end_year=2028),
     {2027: "2000", 2028: "2000"}, {"general": "4000", "transfer": "1000"},
     [T("产出指标", "数量指标", "达标社区卫生服务中心", "60", "家"), T("效益指标", "社会效益指标", "基层就诊率", "≥65", "%")]),
    ("yiyuan", False, dict(name="门急诊综合楼改扩建工程", category="infra", is_new=True, start_year=2027, end_year=2030),
     {2027: "3000", 2028: "5000", 2029: "4000", 2030: "2000"}, {"general": "14000", "self": "6000"},
     [T("产出指标", "数量指标", "新增建筑面积", "5.2", "万平方米"), T("效益指标", "社会效益指标", "门诊候诊时间缩短", "≥30", "%")]),
    ("shengtai", True, dict(name="大气环境质量监测网络加密建设", category="other", is_new=True, start_year=2027, end_year=2027),
     {2027: "960"}, {"general": "960"},
     [T("产出指标", "数量指标", "新建微型监测站", "200", "个"), T("产出指标", "质量指标", "数据有效率", "≥90", "%")]),
    ("minzheng", True, dict(name="老年助餐服务补贴政策", category="policy", is_new=True, start_year=2027, end_year=2028,
                            amount_estimated=True, estimate_basis="约1万名老年人×每月20餐×每餐补助5元×12个月，每年约1200万元"),
     {2027: "1200", 2028: "1200"}, {"general": "2400"},
     [T("产出指标", "数量指标", "助餐服务点", "1200", "个"), T("效益指标", "社会效益指标", "受益老年人", "≥8", "万人次/月"),
      T("成本指标", "经济成本指标", "每餐补助标准", "≤5", "元/餐"), T("满意度指标", "服务对象满意度指标", "老年人满意度", "≥90", "%")]),
    ("yingji", True, dict(name="防汛防台应急物资储备补充", category="other", is_new=True, start_year=2027, end_year=2027,
                          is_emergency=True, emergency_reason="入汛前须补齐防汛防台物资，经市防指会议确定为急需事项"),
     {2027: "1500"}, {"general": "1500"},
     [T("产出指标", "数量指标", "补充冲锋舟", "60", "艘"), T("产出指标", "时效指标", "物资入库时间", "2027年4月底前", "日期")]),
    ("keji", True, dict(name="科技企业孵化器运营补助政策", category="policy", is_new=True, start_year=2027, end_year=2027),
     {2027: "3000"}, {"general": "3000"},
     [T("产出指标", "数量指标", "补助孵化器", "45", "家"), T("效益指标", "经济效益指标", "在孵企业新增研发投入", "≥3", "亿元")]),
]

TEXTS = dict(
    basis_text="依据《杭州市国民经济和社会发展第十五个五年规划纲要》及部门年度工作计划，项目与部门职能直接相关。",
    plan_text="由部门成立项目领导小组，按“前期—实施—验收”三个阶段推进，明确责任分工和进度节点。",
    budget_text="按照现行定额标准和市场询价测算，详见预算明细表。",
)


@dataclass
class Logins:
    password: str
    users: list[tuple[str, str, str]]


def seed(reset: bool = False) -> Logins:
    """Write the demo data once (or afresh with reset) and return the logins to print."""
    if reset:
        _clear()
    if db.session.scalar(select(User).limit(1)) is None:
        _write()
    elif db.session.scalar(select(User).where(User.username == "admin")) is None:
        raise ValueError("数据库中已有非演示数据，未写入演示数据（如需覆盖请加 --reset）")
    rows = db.session.execute(
        select(User.username, User.role, Department.name).outerjoin(Department, User.department_id == Department.id)
        .where(User.username.in_([u[0] for u in USERS])).order_by(User.id)
    ).all()
    return Logins(PASSWORD, [(u, Role(r).label, d or "") for u, r, d in rows])


def _clear() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def _write() -> None:
    departments: dict[str, Department] = {}
    for name, authority in DEPARTMENTS:
        departments[name] = Department(name=name, authority=departments.get(authority) if authority else None)
    db.session.add_all(departments.values())
    method = current_app.config["PASSWORD_HASH_METHOD"]
    users = {}
    for username, display, role, department in USERS:
        if problem := password_problem(PASSWORD, username):
            raise ValueError(f"演示密码不符合密码规则：{problem}")
        organisation, title = AFFILIATIONS.get(username, ("", ""))
        user = User(username=username, display_name=display, role=role, organisation=organisation,
                    professional_title=title, department=departments[department] if department else None)
        user.set_password(PASSWORD, method)
        users[username] = user
    db.session.add_all(users.values())
    db.session.commit()
    rules = screening_rules()
    created = {}
    for username, submit, fields, years, sources, targets in PROPOSALS:
        user = users[username]
        draft = ProposalDraft(
            year=2027,
            fund_years=tuple(FundYear(y, Decimal(a)) for y, a in years.items()),
            sources={code: Decimal(a) for code, a in sources.items()},
            targets=tuple(targets),
            **(PROJECT_TEXTS.get(fields["name"]) or TEXTS),
            **fields,
        )
        proposal = Proposal(department_id=user.department_id)
        if submit:
            proposals.submit(proposal, draft, user, rules)
        else:
            proposals.save_draft(proposal, draft, user)
        created[proposal.name] = proposal
    _advance(created, users)
    _evaluation(departments, users)


def to_finance_review(proposal: Proposal, staff: User, finance: User) -> Proposal:
    """Accept, receive every material, self-assess and submit it (the authority's approval aside)."""
    workflow.perform(proposal, "accept", finance)
    for item in proposal.materials:
        item.status = "received"
    workflow.perform(proposal, "materials_complete", finance)
    _self_assess(proposal)
    workflow.perform(proposal, "submit_self", staff)
    return proposal


def score_and_conclude(proposal: Proposal, panel: list[User], admin: User, each: str, opinion: str,
                       problems: str = "", suggestions: str = "", recommended: Decimal | None = None) -> None:
    """Each reviewer scores around `each` per indicator, apart by reviewer and dimension as real panels do."""
    round_ = proposal.current_assessment
    assessment.assign(round_, proposal, panel, None, admin)
    keys = [i.key for i in assessment.rules_of(round_).template.indicators]
    for n, member in enumerate(round_.members):
        assessment.declare(member)
        policy = proposal.category == "policy"
        assessment.save_sheet(member, sheet_scores(keys, each, n), sheet_reasons(keys, n, policy),
                              review_opinion(n, policy), submit=True)
    assessment.conclude(proposal, round_, admin, opinion, problems, suggestions, recommended)


def _advance(created: dict[str, Proposal], users: dict[str, User]) -> None:
    """Move some demo proposals along the workflow so every stage has an example."""
    admin, finance = users["admin"], users["reviewer1"]
    panel = [users["reviewer2"], users["expert1"], users["expert2"]]
    # concluded 调整完善后予以支持: the department can revise and resubmit
    hub = to_finance_review(created["城西综合交通枢纽配套道路工程"], users["jiaotong"], finance)
    score_and_conclude(hub, panel, admin, "8.2", HUB_CONCLUSION["opinion"], HUB_CONCLUSION["problems"],
                       HUB_CONCLUSION["suggestions"], Decimal("23800"))
    # approved at a meeting
    signals = to_finance_review(created["主城区交通信号智能控制系统升级"], users["jiaotong"], finance)
    score_and_conclude(signals, panel, admin, "9.3", "项目必要、方案可行、目标合理，建议予以支持。")
    meeting = meetings.create("", date(2027, 1, 20), [signals.id], "score", admin, "executive", 1)
    meetings.decide(meeting.items[0], "approved", Decimal("1400"), "按评估意见压减50万元", admin)
    # concluded 予以支持 and put on the next meeting's agenda, awaiting its decision
    incubator = to_finance_review(created["科技企业孵化器运营补助政策"], users["keji"], finance)
    score_and_conclude(incubator, panel, admin, "9.4", "政策目标明确，补助标准有依据，建议予以支持。")
    meetings.create("", date(2027, 2, 24), [incubator.id], "score", admin, "executive", 2)
    # in finance review: the panel's experts have work, and the finance reviewer has already submitted
    policy = to_finance_review(created["学前教育普惠性民办园补助政策"], users["jiaoyu"], finance)
    assessment.assign(policy.current_assessment, policy, [*panel, finance], None, admin)
    early = next(m for m in policy.current_assessment.members if m.user_id == finance.id)
    assessment.declare(early)
    keys = [i.key for i in assessment.rules_of(policy.current_assessment).template.indicators]
    assessment.save_sheet(early, {k: Decimal("9.2") for k in keys}, {k: "" for k in keys},
                          "政策必要，补助标准与周边城市相当。", submit=True)
    # materials check in progress, and a self-assessment to fill in
    workflow.perform(created["天子岭生活垃圾分类处置中心扩建工程"], "accept", finance)
    elderly = created["老年助餐服务补贴政策"]
    workflow.perform(elderly, "accept", finance)
    for item in elderly.materials:
        item.status = "received"
    workflow.perform(elderly, "materials_complete", finance)
    # a draft with an attachment, as departments upload them before submitting
    attach_study(created["门急诊综合楼改扩建工程"], users["yiyuan"])


SURVEY_GROUPS = ["党代表", "人大代表", "企业代表", "社区负责人", "市民代表", "市民代表", "市民代表"]
SURVEY_ANSWERS = ["满意", "满意", "满意", "比较满意", "比较满意", "基本满意", "不满意", "不了解"]


def _evaluation(departments: dict[str, Department], users: dict[str, User]) -> None:
    """Two years of the departmental evaluation: 2025 published (appeals open), 2026 in progress."""
    import pandas as pd

    from budget_eval.evaluation.models import Deduction, EvalTarget, Innovation, LeaderScore
    from budget_eval.evaluation import operations as evaluation
    from budget_eval.evaluation.survey_import import import_responses
    from budget_eval.evaluation.sample_comments import generate

    for name in ("杭州市第一人民医院",):
        departments[name].eval_group = "dual"  # a dual-managed unit, ranked in its own group
    db.session.commit()
    for year, publish in ((2025, True), (2026, False)):
        record = evaluation.open_year(year, "hangzhou")
        rows = []
        sample = iter(generate(len(record.units) * 15, seed=year))
        for n, unit in enumerate(record.units):
            unit.targets = [EvalTarget(name=f"重点工作目标{i + 1}", weight=Decimal(w), score=Decimal(85 + (n * 7 + i * 3) % 15))
                            for i, w in enumerate(("40", "35", "25"))]
            unit.leader_scores = [LeaderScore(leader="市领导", score=Decimal(86 + (n * 5) % 12))]
            for r in range(60):
                answer = SURVEY_ANSWERS[(r * 3 + n + year) % len(SURVEY_ANSWERS)]
                comment = next(sample).text if r % 4 == 0 else ""
                rows.append((f"{year}R{r:04d}", SURVEY_GROUPS[r % len(SURVEY_GROUPS)], unit.department.name, answer, comment))
        record.units[2].deductions.append(Deduction(points=Decimal("0.5"), reason="明察暗访发现窗口工作人员脱岗",
                                                    created_by_id=users["kpb"].id))
        record.units[4].special_promotion = True  # 专项晋优 nomination by the office
        record.units[3].innovations.append(Innovation(title="城市大脑便民应用", claimed=Decimal("2"),
                                                      verified=Decimal("1.5"), status="verified", verify_note="专家核验"))
        db.session.commit()
        table = pd.DataFrame(rows, columns=["受访者编号", "受访者类别", "被评单位", "评价", "意见建议"])
        import_responses(record, table, evaluation.scheme_of(record).survey)
        if publish:
            evaluation.publish(record)
            _feedback(record, users["kpb"])


def _feedback(record, office: User) -> None:
    """The published year: comments confirmed to their units, and a 跟踪督办 item checked (it counts next year)."""
    from datetime import date

    from budget_eval.evaluation import feedback

    feedback.confirm_all(record, office)
    units = record.units
    item = feedback.supervise(record, "主城区早高峰拥堵治理", "拥堵", units[0].department_id,
                              [u.department_id for u in units[1:3]], date(record.year, 11, 30))
    db.session.flush()
    feedback.check(item, "基本完成", "主要路口配时已优化，部分路段仍拥堵", office,
                   feedback.supervision_rules(record.scheme_snapshot)["results"])
    db.session.commit()


def _self_assess(proposal: Proposal) -> None:
    record = proposal.self_assessment
    rules = self_assessment.rules_of(record)
    self_assessment.save(
        record,
        {i.key: Decimal("9") for i in rules.template.indicators},
        {d.code: {"facts": "已按要求开展前期论证。", "problems": "个别测算依据需补充。", "judgement": "总体符合要求。"}
         for d in rules.template.dimensions},
    )
