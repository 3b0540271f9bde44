"""Word and Excel documents: the assessment report, reviewer opinion forms and the meeting pack."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from budget_eval.assessment.models import Assessment, PanelMember
from budget_eval.meetings.models import Meeting
from budget_eval.intake.models import Proposal
from budget_eval.assessment.documents.charts import radar_png
from budget_eval.assessment.documents.context import opinion_context, redact_for_variant, report_context
from budget_eval.assessment.domain.states import RoundStatus, SETTLED_SELF, SheetStatus
from budget_eval.platform import spreadsheets
from budget_eval.assessment.domain.visibility import Audience, report_variant
from budget_eval.platform.spreadsheets import Column
from budget_eval.platform.pdf import convert
from budget_eval.platform.documents import render, template_path
from budget_eval.assessment import self_assessment
from budget_eval.assessment.panels import rules_of
from budget_eval.platform.rules import intake_rules, report_settings, screening_rules

REPORT = "assessment_report.docx"
OPINION = "opinion_sheet.docx"
PACK = "meeting_pack.docx"
ORDERS = ("score", "amount", "department", "given")
RADAR_WIDTH_MM = 120


class ReportError(ValueError):
    """A document that cannot be made; the message is Chinese and fit for the user."""


def concluded_round(proposal: Proposal) -> Assessment:
    rounds = [a for a in proposal.assessments if a.status == RoundStatus.CONCLUDED]
    if not rounds:
        raise ReportError("该项目尚未出具评估结论，不能生成评估报告")
    return rounds[-1]


def report_parts(proposal: Proposal, audience: Audience = Audience.MEETING) -> tuple[dict, bytes]:
    """The report's context in this audience's variant, and its radar chart (panel and the department's own)."""
    round_ = concluded_round(proposal)
    rules, settings = rules_of(round_), report_settings()
    context, chart = report_context(proposal, round_, rules, settings, screening_rules(), intake_rules())
    context = redact_for_variant(context, report_variant(audience, settings))
    compare = None
    record = proposal.self_assessment
    if record is not None and record.status in SETTLED_SELF:
        own = self_assessment.scores(record)
        compare = [float(sum((own.get(i.key, Decimal(0)) for i in d.indicators), Decimal(0)) / d.points * 100)
                   for d in rules.template.dimensions]
    return context, radar_png(chart["labels"], chart["rates"], compare)


def assessment_report(proposal: Proposal, audience: Audience) -> bytes:
    """The latest concluded round's report in the variant rules/reports.yaml gives this audience."""
    context, png = report_parts(proposal, audience)
    return render(template_path(REPORT), context, {"radar": (png, RADAR_WIDTH_MM)})


def opinion_sheet(member: PanelMember) -> bytes:
    if member.status != SheetStatus.SUBMITTED:
        raise ReportError("该评审人尚未提交评分")
    round_ = member.assessment
    context = opinion_context(round_.proposal, round_, member, rules_of(round_), screening_rules(), intake_rules(),
                              report_settings())
    return render(template_path(OPINION), context)


@dataclass
class SummaryRow:
    proposal: Proposal
    round_: Assessment


def _rows(proposals: list[Proposal], order: str) -> list[SummaryRow]:
    rows = [SummaryRow(p, concluded_round(p)) for p in proposals]
    keys = {
        "score": lambda r: (-(r.round_.total or 0), r.proposal.id),
        "amount": lambda r: (-r.proposal.fiscal_total_wan, r.proposal.id),
        "department": lambda r: (r.proposal.department.name, r.proposal.id),
    }
    if order in keys:
        rows.sort(key=keys[order])
    return rows


def _category(code: str | None) -> str:
    try:
        return screening_rules().category(code).label
    except KeyError:
        return code or ""


SUMMARY_COLUMNS = (Column("序号", "integer"), Column("项目名称", "text"), Column("申报单位", "text"),
                   Column("类别", "text"), Column("申请资金", "money"), Column("评估得分", "score"),
                   Column("评估结论", "text"), Column("建议安排资金", "money"), Column("主要意见", "text"))


def summary_table(rows: list[SummaryRow], title: str) -> spreadsheets.Table:
    """The meeting's summary sheet; its total row sums the money columns with formulas."""
    data = [(n, r.proposal.name, r.proposal.department.name, _category(r.proposal.category),
             r.proposal.fiscal_total_wan, r.round_.total, r.round_.conclusion_label,
             r.round_.recommended_wan or Decimal("0.00"), r.round_.opinion) for n, r in enumerate(rows, 1)]
    return spreadsheets.Table("汇总表", SUMMARY_COLUMNS, data, title=f"{title} 事前绩效评估项目汇总表",
                              total_label="合计", total_note=f"{len(rows)}个项目",
                              sums=("申请资金", "建议安排资金"))


def summary_xlsx(rows: list[SummaryRow], title: str) -> bytes:
    return spreadsheets.xlsx(summary_table(rows, title))


def safe_name(text: str) -> str:
    """A file name inside the zip: no path separators or characters Windows refuses."""
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", text).strip(" .")[:80] or "项目"


def meeting_pack(proposals: list[Proposal], title: str, order: str = "score", meeting: Meeting | None = None,
                 pdf: bool = True) -> bytes:
    """One zip: the whole pack as one .docx (and .pdf when LibreOffice is installed), and the summary .xlsx."""
    from budget_eval.assessment.documents.meeting_pack import pack_docx

    if not proposals:
        raise ReportError("请选择至少一个已出结论的项目")
    rows = _rows(proposals, order)
    document = pack_docx(rows, title, meeting)
    name = safe_name(title)
    files = {f"{name}_会议材料.docx": document}
    if pdf:
        files.update(convert({f"{name}_会议材料.docx": document}, template_path("")))
    files[f"{name}_汇总表.xlsx"] = summary_xlsx(rows, title)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as pack:
        for filename, data in files.items():
            pack.writestr(filename, data)
    return out.getvalue()
