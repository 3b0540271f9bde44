"""Demo data for `flask seed-demo`: departments, one account per role and a dozen realistic proposals.

The data tables are in data.py (the review texts in review.py); this module writes them and walks the records through their lifecycles so
that every screen has something to show.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from budget_eval.demo import evidence, public_voice, waiting
from budget_eval.demo.review import (
    AFFILIATIONS,
    attach_study,
    HUB_CONCLUSION,
    PROJECT_TEXTS,
    sheet_reasons,
    sheet_scores,
)
from budget_eval.demo.review import opinion as review_opinion
from budget_eval.demo.data import (  # noqa: F401 (PASSWORD and USERS: the demo's logins, used by tests)
    DEPARTMENTS, PASSWORD, PROPOSALS, SURVEY_ANSWERS, SURVEY_GROUPS, TEXTS, USERS,
)
from budget_eval.demo import experts
from budget_eval.intake.domain.intake import FundYear, ProposalDraft
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.auth.passwords import password_problem
from budget_eval.platform.audit import audit, system
from budget_eval.platform.extensions import db
from budget_eval.platform.models.department import Department
from budget_eval.intake.models import Proposal
from budget_eval.platform.models.user import User
from budget_eval.assessment import panels as assessment, self_assessment
from budget_eval.demo import route
from budget_eval.intake import actions
from budget_eval.demo import budget
from budget_eval.demo import costs
from budget_eval.intake import operations as proposals
from budget_eval.intake.rules import screening_rules

DEMO_PANEL_REASON = "演示数据：财政评审人员参加评审，专家为专家库上线前指定"


@dataclass
class Logins:
    password: str
    users: list[tuple[str, str, str]]


DEMO = system("载入演示数据")  # the actor of the demo's writes that no demo user makes


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
        if problem := password_problem(PASSWORD, username, display_name=display):
            raise ValueError(f"演示密码不符合密码规则：{problem}")
        organisation, title = AFFILIATIONS.get(username, ("", ""))
        user = User(username=username, display_name=display, role=role, organisation=organisation,
                    professional_title=title, department=departments[department] if department else None)
        user.set_password(PASSWORD, method)
        users[username] = user
    db.session.add_all(users.values())
    audit("admin", "演示数据", f"载入演示数据：{len(departments)}个部门，{len(users)}个用户", DEMO)
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
    route.seed(users, departments)
    experts.seed(created, users, PASSWORD, to_finance_review)
    _evaluation(departments, users)
    waiting.seed(users)  # a submission waiting for 受理 (issue 21)
    public_voice.seed(users, to_finance_review)  # a metro / congestion project in finance review: the public's voice meets it
    evidence.attach_studies()  # the projects awaiting 审核要点 ratings get a study whose pages reviewers cite
    costs.seed(users, to_finance_review)  # 投入经济性: past projects with unit costs, a road project to compare, a split


def to_finance_review(proposal: Proposal, staff: User, finance: User) -> Proposal:
    """Accept, receive every material, self-assess and submit it (the authority's approval aside)."""
    actions.perform(proposal, "accept", finance)
    route.designate(proposal, finance)
    for item in proposal.materials:
        item.status = "received"
    actions.perform(proposal, "materials_complete", finance)
    _self_assess(proposal)
    actions.perform(proposal, "submit_self", staff)
    return proposal


def score_and_conclude(proposal: Proposal, panel: list[User], admin: User, each: str, opinion: str,
                       problems: str = "", suggestions: str = "", recommended: Decimal | None = None) -> None:
    """Each reviewer scores around `each` per indicator, apart by reviewer and dimension as real panels do."""
    round_ = proposal.current_assessment
    assessment.assign(round_, proposal, panel, None, admin, reason=DEMO_PANEL_REASON)
    keys = [i.key for i in assessment.rules_of(round_).template.indicators]
    by_points = assessment.rules_of(round_).by_points
    for n, member in enumerate(round_.members):
        assessment.declare(member)
        policy = proposal.category == "policy"
        if by_points:  # 审核要点 with citations, analyses, methods and steps (demo/evidence.py)
            evidence.rate(member, n, each, review_opinion(n, policy))
            continue
        assessment.save_sheet(member, sheet_scores(keys, each, n), sheet_reasons(keys, n, policy),
                              review_opinion(n, policy), submit=True)
    if by_points:
        evidence.record_work(round_, admin)
    assessment.conclude(proposal, round_, admin, opinion, problems, suggestions, recommended)


def _advance(created: dict[str, Proposal], users: dict[str, User]) -> None:
    """Move some demo proposals along the workflow so every stage has an example."""
    admin, finance = users["admin"], users["reviewer1"]
    panel = [users["reviewer2"], users["expert1"], users["expert2"]]
    # concluded 调整完善后予以支持: the department can revise and resubmit
    hub = to_finance_review(created["城西综合交通枢纽配套道路工程"], users["jiaotong"], finance)
    score_and_conclude(hub, panel, admin, "8.2", HUB_CONCLUSION["opinion"], HUB_CONCLUSION["problems"],
                       HUB_CONCLUSION["suggestions"], Decimal("23800"))
    # concluded 予以支持: one approved at a meeting, one awaiting a meeting's decision (demo/budget.py)
    signals = to_finance_review(created["主城区交通信号智能控制系统升级"], users["jiaotong"], finance)
    score_and_conclude(signals, panel, admin, "9.3", "项目必要、方案可行、目标合理，建议予以支持。")
    incubator = to_finance_review(created["科技企业孵化器运营补助政策"], users["keji"], finance)
    score_and_conclude(incubator, panel, admin, "9.4", "政策目标明确，补助标准有依据，建议予以支持。")
    route.pass_reviews(signals, users)
    route.pass_reviews(incubator, users)
    budget.seed(users, panel, to_finance_review, score_and_conclude)
    # in finance review: the panel's experts have work, and the finance reviewer has already submitted
    policy = to_finance_review(created["学前教育普惠性民办园补助政策"], users["jiaoyu"], finance)
    assessment.assign(policy.current_assessment, policy, [*panel, finance], None, admin, reason=DEMO_PANEL_REASON)
    early = next(m for m in policy.current_assessment.members if m.user_id == finance.id)
    assessment.declare(early)
    keys = [i.key for i in assessment.rules_of(policy.current_assessment).template.indicators]
    assessment.save_sheet(early, {k: Decimal("9.2") for k in keys}, {k: "" for k in keys},
                          "政策必要，补助标准与周边城市相当。", submit=True)
    # materials check in progress, and a self-assessment to fill in
    actions.perform(created["天子岭生活垃圾分类处置中心扩建工程"], "accept", finance)
    elderly = created["老年助餐服务补贴政策"]
    actions.perform(elderly, "accept", finance)
    route.designate(elderly, finance, "department")
    for item in elderly.materials:
        item.status = "received"
    actions.perform(elderly, "materials_complete", finance)
    # a draft with an attachment, as departments upload them before submitting
    attach_study(created["门急诊综合楼改扩建工程"], users["yiyuan"])


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
        record = evaluation.open_year(year, "hangzhou", DEMO)
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
        import_responses(record, table, evaluation.scheme_of(record).survey, DEMO, filename="演示问卷")
        if publish:
            # what the demo leaves out is published with its reason on record, as the office must
            from budget_eval.evaluation import publication

            publication.publish(record, DEMO, {gap.field: "演示数据未录入该项" for gap in publication.missing_data(record)})
            _feedback(record, users["kpb"])
            from budget_eval.evaluation import hotword_job

            hotword_job.changed(record, DEMO)  # the confirmed comments' hot words, as the office's confirming would


def _feedback(record, office: User) -> None:
    """The published year: comments confirmed to their units, and a 跟踪督办 item checked (it counts next year)."""
    from datetime import date

    from budget_eval.evaluation import feedback

    feedback.confirm_all(record, office)
    units = record.units
    item = feedback.supervise(record, "主城区早高峰拥堵治理", "拥堵", units[0].department_id,
                              [u.department_id for u in units[1:3]], date(record.year, 11, 30), office)
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
