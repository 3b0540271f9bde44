"""Demo data for the assessment route (art. 5 and art. 2): 第一人民医院's sector authority (卫健委), a commissioned
third-party assessment reviewed by finance, a report reviewed by the sector authority and waiting for finance, a
subordinate unit's self-assessment waiting for its parent unit (the 待我审核 of 卫健委's staff), a proposal being
revised after 调整完善后予以支持, and an adjustment confirmed by finance without a new round. Called once from budget_eval.demo._write."""
from __future__ import annotations

import dataclasses
import io
from decimal import Decimal

from budget_eval.assessment import materials, panels, route_records, self_assessment
from budget_eval.assessment.domain.states import MaterialStatus
from budget_eval.demo.review import opinion as review_opinion, sheet_reasons, sheet_scores
from budget_eval.intake import actions, attachments
from budget_eval.intake import operations as proposals
from budget_eval.intake.domain.intake import FundYear, ProposalDraft
from budget_eval.intake.models import Proposal
from budget_eval.intake.rules import screening_rules
from budget_eval.platform.extensions import db
from budget_eval.platform.models.department import Department
from budget_eval.platform.models.user import User

HOSPITAL, HEALTH = "杭州市第一人民医院", "杭州市卫生健康委员会"
AGENCY, CONTRACT = "浙江求是工程咨询有限公司", "HZCZ-JX-2027-018"


def designate(proposal: Proposal, finance: User, kind: str = "finance", agency: str = "", contract: str = "",
              staff: list[int] | None = None) -> None:
    """Finance records the assessor of record at the materials check."""
    problems = route_records.designate(proposal, kind, agency, contract, staff or [], finance)
    if problems:
        raise ValueError(f"演示数据的评估主体有误：{problems}")


def pass_reviews(proposal: Proposal, users: dict[str, User]) -> None:
    """The department sends its supported report; its sector authority (if any) and finance pass it."""
    staff = next(u for u in users.values() if u.department_id == proposal.department_id)
    if proposal.department.sector_authority_id is not None:
        actions.perform(proposal, "send_review", staff)
        sector = next(u for u in users.values() if u.department_id == proposal.department.sector_authority_id)
        actions.perform(proposal, "sector_pass", sector, "符合行业发展规划，同意报送。")
    else:
        actions.perform(proposal, "send_review_finance", staff)
    actions.perform(proposal, "finance_pass", users["reviewer1"], "评估报告依据充分，结论明确，同意提交会议。")


def _new(users: dict[str, User], username: str, name: str, like: str) -> Proposal:
    """A submitted proposal with the figures and texts of the demo's proposal `like`, under another name."""
    from budget_eval.demo.data import PROPOSALS, TEXTS
    from budget_eval.demo.review import PROJECT_TEXTS

    _, _, fields, years, sources, targets = next(row for row in PROPOSALS if row[2]["name"] == like)
    draft = ProposalDraft(
        year=2027, fund_years=tuple(FundYear(y, Decimal(a)) for y, a in years.items()),
        sources={code: Decimal(a) for code, a in sources.items()}, targets=tuple(targets),
        **(PROJECT_TEXTS.get(like) or TEXTS), **{**fields, "name": name})
    user = users[username]
    proposal = Proposal(department_id=user.department_id)
    proposals.submit(proposal, draft, user, screening_rules())
    return proposal


def _upload_report(proposal: Proposal, staff: User) -> None:
    """The agency's own report, uploaded as an attachment (a short Word file)."""
    from docx import Document

    document = Document()
    document.add_heading(f"{proposal.name}事前绩效评估报告", 1)
    document.add_paragraph(f"评估机构：{AGENCY}（委托合同编号 {CONTRACT}）。立项必要性、投入经济性、绩效目标合理性、"
                           "实施方案可行性和筹资合规性的评估情况及结论。")
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    attachments.store(proposal, buffer, "事前绩效评估报告（第三方评估机构）.docx", staff)


def _to_self_assessment(proposal: Proposal, finance: User, **assessor) -> None:
    actions.perform(proposal, "accept", finance)
    designate(proposal, finance, **assessor)
    from budget_eval.demo.review import attach_study

    attach_study(proposal, proposal.created_by)  # 已收 needs a file: the department's upload it was received as
    db.session.refresh(proposal)
    file = proposal.attachments[-1].id
    materials.record_check(proposal, {item.id: (MaterialStatus.RECEIVED.value, "", file)
                                      for item in proposal.materials}, finance)
    actions.perform(proposal, "materials_complete", finance)


def _self_assess(proposal: Proposal) -> None:
    record = proposal.self_assessment
    rules = self_assessment.rules_of(record)
    self_assessment.save(
        record, {i.key: Decimal("9") for i in rules.template.indicators},
        {d.code: {"facts": "已按要求开展前期论证。", "problems": "个别测算依据需补充。", "judgement": "总体符合要求。"}
         for d in rules.template.dimensions})


PANEL_REASON = "演示数据：财政评审人员参加评审，专家为专家库上线前指定"


def score_and_conclude(proposal: Proposal, panel: list[User], admin: User, each: str, opinion: str,
                       problems: str = "", suggestions: str = "") -> None:
    """The panel scores around `each` per indicator (as the demo's other rounds) and the admin concludes."""
    round_ = proposal.current_assessment
    panels.assign(round_, proposal, panel, None, admin, reason=PANEL_REASON)
    keys = [i.key for i in panels.rules_of(round_).template.indicators]
    for n, member in enumerate(round_.members):
        panels.declare(member)
        policy = proposal.category == "policy"
        panels.save_sheet(member, sheet_scores(keys, each, n), sheet_reasons(keys, n, policy),
                          review_opinion(n, policy), submit=True)
    panels.conclude(proposal, round_, admin, opinion, problems, suggestions)


def seed(users: dict[str, User], departments: dict[str, Department]) -> None:
    finance, admin = users["reviewer1"], users["admin"]
    panel = [users["reviewer2"], users["expert1"], users["expert2"]]
    departments[HOSPITAL].sector_authority = departments[HEALTH]  # the parent unit is its sector authority too
    db.session.commit()

    # a commissioned third-party assessment: the agency's staff assess, upload their report; finance reviews it
    wetland = _new(users, "shengtai", "西溪湿地生态补水与水质提升工程", "城西综合交通枢纽配套道路工程")
    agency = users["zixun"]
    _to_self_assessment(wetland, finance, kind="third_party", agency=AGENCY, contract=CONTRACT, staff=[agency.id])
    _upload_report(wetland, agency)
    _self_assess(wetland)
    actions.perform(wetland, "submit_self_direct", agency)
    score_and_conclude(wetland, panel, admin, "9.3", "第三方评估报告论证充分，项目必要、方案可行，建议予以支持。")
    pass_reviews(wetland, users)

    # the hospital's report: its sector authority (卫健委) passed it after one return; finance still to review
    ward = _new(users, "yiyuan", "住院医技综合楼建设工程", "城西综合交通枢纽配套道路工程")
    _to_self_assessment(ward, finance, kind="department")
    _self_assess(ward)
    actions.perform(ward, "submit_self", users["yiyuan"])
    actions.perform(ward, "authority_approve", users["weijian"], "自评依据充分，同意报财政局评估。")
    score_and_conclude(ward, panel, admin, "9.3", "项目符合全市医疗卫生设施布局规划，建议予以支持。")
    actions.perform(ward, "send_review", users["yiyuan"])
    actions.perform(ward, "sector_return", users["weijian"], "请补充与全市医疗卫生设施布局规划的衔接分析。")
    actions.perform(ward, "resend_review", users["yiyuan"], "已在立项依据中补充与布局规划的衔接分析。")
    actions.perform(ward, "sector_pass", users["weijian"], "符合全市医疗卫生设施布局规划，同意。")

    # the hospital's self-assessment waiting for its parent unit: 卫健委's staff find it under 待我审核
    clinic = _new(users, "yiyuan", "门诊智慧服务平台建设", "主城区交通信号智能控制系统升级")
    _to_self_assessment(clinic, finance, kind="department")
    _self_assess(clinic)
    actions.perform(clinic, "submit_self", users["yiyuan"])

    # 调整完善后予以支持, being revised: the department edits it and answers the opinions on 调整完善说明
    greenway = _new(users, "jiaotong", "运河沿线慢行系统改造工程", "城西综合交通枢纽配套道路工程")
    _to_self_assessment(greenway, finance, kind="department")
    _self_assess(greenway)
    actions.perform(greenway, "submit_self_direct", users["jiaotong"])
    score_and_conclude(greenway, panel, admin, "8.1", "项目必要，但实施方案和绩效目标需完善。",
                       "1. 慢行系统与地铁站点接驳方案不明确；2. 绩效目标缺少使用人次指标。",
                       "补充接驳方案，增设日均使用人次目标。")
    actions.perform(greenway, "start_revision", users["jiaotong"])

    # 调整完善后予以支持, answered point by point and confirmed by finance without a new round
    sewage = _new(users, "chengguan", "城东再生水厂提标改造工程", "城西综合交通枢纽配套道路工程")
    _to_self_assessment(sewage, finance, kind="department")
    _self_assess(sewage)
    actions.perform(sewage, "submit_self_direct", users["chengguan"])
    score_and_conclude(sewage, panel, admin, "8.2", "项目必要，但投资测算依据不足。", "1. 投资估算缺少分项测算；2. 绩效目标未量化出水水质。",
                       "细化投资估算并量化出水水质目标。")
    staff = users["chengguan"]
    actions.perform(sewage, "start_revision", staff)
    draft = proposals.to_draft(sewage)
    proposals.save_draft(sewage, dataclasses.replace(
        draft, budget_text=draft.budget_text + "\n补充：按土建、设备、安装分项测算，附分项测算表。"), staff)
    opinions = route_records.opinions(route_records.answered_round(sewage))
    answers = [("补充土建、设备、安装分项测算表", "预算测算依据"), ("已将出水水质目标量化为一级A标准", "绩效目标表"),
               ("按意见细化投资估算并量化水质目标", "预算测算依据、绩效目标表")][:len(opinions)]
    problems = route_records.respond(sewage, answers, "按评估意见细化了投资估算，量化了出水水质目标。", staff)
    if problems:
        raise ValueError(f"演示数据的调整完善说明有误：{problems}")
    actions.perform(sewage, "confirm_adjustment", finance, "已按评估意见逐条调整到位，无需重新组织评审。")
    actions.perform(sewage, "finance_pass", finance, "调整后报告依据充分，同意提交会议。")
    db.session.commit()
