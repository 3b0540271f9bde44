"""Demo panels that score on evidence (issue 20): the department's 可行性研究报告 as a real multi-page PDF, each
审核要点 rated with a citation of the page it rests on, one 要点 left 依据不足 by one reviewer, every dimension
analysed (事实依据 → 存在问题 → 分析 → 结论 → 建议), and the methods and procedure steps the assessor recorded."""
from __future__ import annotations

import io
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select

from budget_eval.assessment import panels as assessment, records
from budget_eval.assessment.domain.ratings import Citation, Rating
from budget_eval.demo.evidence_pdf import pdf_document
from budget_eval.intake import attachments
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.platform.domain.calendar import BEIJING
from budget_eval.platform.models.types import utcnow
from budget_eval.platform.models.user import User

if TYPE_CHECKING:
    from budget_eval.assessment.models import Assessment, PanelMember
    from budget_eval.intake.models import Attachment, Proposal

STUDY = "可行性研究报告.pdf"
# the page of the study each dimension's 要点 rest on
PAGE_OF = {"necessity": 2, "economy": 3, "targets": 4, "plan": 5, "funding": 6}
SIGNALS = "主城区交通信号智能控制系统升级"
SIGNALS_COSTS = [
    "投资估算：项目总投资1450万元，全部申请一般公共预算安排。",
    "1. 信号机更换：320台，单价2.8万元/台，合计896万元（单价参考2025年本市同类采购中标价）。",
    "2. 视频检测器：640套，单价0.5万元/套，合计320万元。",
    "3. 中心控制平台软件升级：150万元（未附询价或评审依据）。",
    "4. 安装调试及其他费用：84万元。",
]
# a reviewer's analysis per dimension: facts, problems, analysis, conclusion, suggestions
ANALYSES = {
    "necessity": ("可研报告第2页说明项目依据城市综合交通规划，高峰期主干道平均车速偏低。",
                  "无",
                  "立项依据与部门职责相符，与现有项目无重复。",
                  "立项必要性充分。", ""),
    "economy": ("可研报告第3页列明信号机320台、单价2.8万元，平台软件150万元。",
                "中心控制平台软件150万元未附询价或评审依据\n视频检测器数量按每路口2套测算，未说明依据",
                "软件费用占总投资约10%，缺少测算依据，可能偏高；检测器数量按统一标准配置，未区分路口规模。",
                "投入经济性基本合理，软件费用需补充依据。",
                "补充中心控制平台软件的询价或第三方评审意见\n按路口规模分类测算视频检测器数量"),
    "targets": ("可研报告第4页列有改造路口数、平均车速提升和满意度三项指标。",
                "效益指标“主干道平均车速提升≥8%”未说明基期数据",
                "缺少基期数据，事后难以评价目标是否实现。",
                "绩效目标基本合理。",
                "补充平均车速的基期数据和统计口径"),
    "plan": ("可研报告第5页明确由市交通运输局牵头、分两期实施。", "无",
             "组织分工和进度安排清楚，夜间施工安排可减少对交通的影响。", "实施方案可行。", ""),
    "funding": ("可研报告第6页说明资金全部来源于一般公共预算。", "无",
                "资金来源合法合规，不涉及新增债务。", "筹资合规。", ""),
}
METHODS = (
    ("comparison", "信号机单价2.8万元/台，与2025年本市两个同类采购项目（2.7万元、2.9万元）相当。",
     "可行性研究报告.pdf 第3页；市公共资源交易中心2025年中标公告"),
    ("cost_benefit", "按高峰时段车速提升8%估算，年节约通行时间成本约1900万元，高于年均投入。",
     "可行性研究报告.pdf 第4页"),
)
STEPS = (("document_review", "审核申报材料和可行性研究报告"), ("site_visit", "实地查看武林广场等6个路口"),
         ("formal_meeting", "召开专家评审会"))


def study_pages(proposal: Proposal) -> list[list[str]]:
    """The six pages of the study: each from the proposal's own texts (the signals project's costs in full)."""
    record = proposal.versions[-1].snapshot if proposal.versions else {}
    name, amount = proposal.name, proposal.fiscal_total_wan
    costs = SIGNALS_COSTS if name == SIGNALS else [record.get("budget_text") or "按定额测算。"]
    targets = [f"{t[0]}—{t[1]}：{t[2]}，指标值{t[3] if len(t) == 5 else str(t[3]) + str(t[4])}"
               for t in record.get("targets") or []]
    return [
        [f"第一章 项目概况", f"项目名称：{name}", f"申报单位：{proposal.department.name}",
         f"申请财政资金：{amount}万元"],
        ["第二章 建设必要性", record.get("basis_text") or "依据城市发展规划。"],
        ["第三章 建设方案与投资估算", *costs],
        ["第四章 绩效目标", *(targets or ["绩效目标见绩效目标申报表。"])],
        ["第五章 组织实施与进度", record.get("plan_text") or "分阶段实施。"],
        ["第六章 资金筹措与风险", "资金来源：一般公共预算。", "项目不涉及新增政府债务。"],
    ]


def study_of(proposal: Proposal) -> Attachment:
    """The proposal's study, uploaded by its department's staff (once)."""
    existing = next((a for a in proposal.attachments if a.filename == STUDY), None)
    if existing is not None:
        return existing
    staff = db.session.scalar(select(User).where(User.department_id == proposal.department_id,
                                                 User.role == Role.DEPARTMENT.value).order_by(User.id))
    data = pdf_document(f"{proposal.name}可行性研究报告", study_pages(proposal))
    return attachments.store(proposal, io.BytesIO(data), STUDY, staff)


def quote(proposal: Proposal, dimension: str) -> str:
    page = study_pages(proposal)[PAGE_OF[dimension] - 1]
    return (page[1] if len(page) > 1 else page[0])[:60]


def rate(member: PanelMember, n: int, each: str, opinion: str) -> None:
    """Rate every 要点 around `each` (points out of 10 per indicator), citing the study's page for its dimension;
    the second reviewer finds the platform software's costing unsupported (依据不足)."""
    round_ = member.assessment
    proposal, rules = round_.proposal, assessment.rules_of(round_)
    study = study_of(proposal)
    levels = rules.scoring.levels
    ratings = {}
    for k, indicator in enumerate(rules.template.indicators):
        dimension = indicator.key.split(".")[0]
        high = Decimal(each) >= 9
        for j, point in enumerate(indicator.audit_points):
            level = levels[0] if high and (k + j + n) % 3 else levels[1]
            if dimension == "economy" and j == 1:
                level = levels[1] if high else levels[2]
            comment = "" if level not in rules.scoring.comment_levels else "测算依据不足，需补充说明。"
            citation = Citation(study.id, PAGE_OF[dimension], quote(proposal, dimension) if j == 0 else "")
            ratings[point.key] = Rating(level, comment or "与材料所述一致。", (citation,))
    if n == 1:
        point = rules.template.indicator("economy.economic_reason").audit_points[0]
        ratings[point.key] = Rating(rules.scoring.insufficient, "未提供中心控制平台软件的询价记录或评审意见，无法判断单价。")
    analyses = {code: dict(zip(("facts", "problems", "analysis", "conclusion", "suggestions"), texts, strict=True))
                for code, texts in ANALYSES.items()}
    problems = assessment.save_sheet(member, {}, {}, opinion, submit=True, ratings=ratings, analyses=analyses)
    if problems:
        raise RuntimeError(f"demo sheet refused: {problems}")


def record_work(round_: Assessment, admin: User) -> None:
    """The methods the assessor used and the steps taken, as recorded on the panel page."""
    for method, finding, evidence in METHODS:
        records.record_method(round_, admin, method, finding, evidence)
    today = (utcnow() + BEIJING).date()  # the demo's workflow all happens today, so do its steps
    for step, note in STEPS:
        records.record_step(round_, admin, step, today.isoformat(), note)


def attach_studies() -> None:
    """Every project awaiting its panel's 审核要点 ratings gets its study, so the reviewers have pages to cite."""
    from budget_eval.assessment.rules import rules_of
    from budget_eval.intake.domain.workflow import Status
    from budget_eval.intake.models import Proposal

    for proposal in db.session.scalars(select(Proposal).where(Proposal.status == Status.FINANCE_REVIEW)
                                       .order_by(Proposal.id)):
        round_ = proposal.current_assessment
        if round_ is not None and rules_of(round_).by_points:
            study_of(proposal)
