"""Word and Excel documents: the assessment report, reviewer opinion sheets and the meeting pack."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from flask import current_app

from budget_eval.platform.domain.money import format_wan
from budget_eval.assessment.models import Assessment, PanelMember
from budget_eval.intake.models import Proposal
from budget_eval.platform.models.types import utcnow
from budget_eval.assessment.documents.charts import radar_png
from budget_eval.assessment.documents.context import chinese_date, opinion_context, redact_for_variant, report_context
from budget_eval.platform.domain.visibility import Audience, report_variant
from budget_eval.platform import spreadsheets
from budget_eval.platform.documents import render
from budget_eval.platform.spreadsheets import Column
from budget_eval.assessment import self_assessment
from budget_eval.assessment.panels import rules_of
from budget_eval.platform.rules import intake_rules, report_settings, screening_rules

REPORT = "assessment_report.docx"
OPINION = "opinion_sheet.docx"
SUMMARY = "meeting_summary.docx"
ORDERS = ("score", "amount", "department", "given")
RADAR_WIDTH_MM = 110


class ReportError(ValueError):
    """A document that cannot be made; the message is Chinese and fit for the user."""


def template_path(name: str) -> Path:
    return Path(current_app.config["REPORT_TEMPLATES_DIR"]) / name


def concluded_round(proposal: Proposal) -> Assessment:
    rounds = [a for a in proposal.assessments if a.status == "concluded"]
    if not rounds:
        raise ReportError("该项目尚未出具评估结论，不能生成评估报告")
    return rounds[-1]


def assessment_report(proposal: Proposal, audience: Audience) -> bytes:
    """The latest concluded round's report in the variant rules/reports.yaml gives this audience."""
    round_ = concluded_round(proposal)
    rules, settings = rules_of(round_), report_settings()
    context, chart = report_context(proposal, round_, rules, settings, screening_rules(), intake_rules())
    context = redact_for_variant(context, report_variant(audience, settings))
    compare = None
    record = proposal.self_assessment
    if record is not None and record.status in ("submitted", "approved"):
        own = self_assessment.scores(record)
        compare = [float(sum((own.get(i.key, Decimal(0)) for i in d.indicators), Decimal(0)) / d.points * 100)
                   for d in rules.template.dimensions]
    png = radar_png(chart["labels"], chart["rates"], compare)
    return render(template_path(REPORT), context, {"radar": (png, RADAR_WIDTH_MM)})


def opinion_sheet(member: PanelMember) -> bytes:
    if member.status != "submitted":
        raise ReportError("该评审人尚未提交评分")
    round_ = member.assessment
    context = opinion_context(round_.proposal, round_, member, rules_of(round_), screening_rules(), intake_rules())
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


def summary_docx(rows: list[SummaryRow], title: str) -> bytes:
    requested = sum((r.proposal.fiscal_total_wan for r in rows), Decimal(0))
    recommended = sum((r.round_.recommended_wan or Decimal(0) for r in rows), Decimal(0))
    context = {
        "title": title,
        "assessing_unit": report_settings().assessing_unit,
        "date": chinese_date(utcnow()),
        "rows": [
            {"seq": n, "name": r.proposal.name, "department": r.proposal.department.name,
             "category": _category(r.proposal.category), "requested": format_wan(r.proposal.fiscal_total_wan, unit=False),
             "score": str(r.round_.total), "conclusion": r.round_.conclusion_label,
             "recommended": format_wan(r.round_.recommended_wan or Decimal(0), unit=False), "opinion": r.round_.opinion}
            for n, r in enumerate(rows, 1)
        ],
        "totals": {"requested": format_wan(requested, unit=False), "recommended": format_wan(recommended, unit=False)},
    }
    return render(template_path(SUMMARY), context)


def summary_xlsx(rows: list[SummaryRow], title: str) -> bytes:
    return spreadsheets.xlsx(summary_table(rows, title))


def safe_name(text: str) -> str:
    """A file name inside the zip: no path separators or characters Windows refuses."""
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", text).strip(" .")[:80] or "项目"


def meeting_pack(proposals: list[Proposal], title: str, order: str = "score") -> bytes:
    """One zip: the summary as .docx and .xlsx, and each project's assessment report."""
    if not proposals:
        raise ReportError("请选择至少一个已出结论的项目")
    rows = _rows(proposals, order)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as pack:  # .docx and .xlsx are zip files already
        pack.writestr(f"{safe_name(title)}_汇总表.docx", summary_docx(rows, title))
        pack.writestr(f"{safe_name(title)}_汇总表.xlsx", summary_xlsx(rows, title))
        for n, row in enumerate(rows, 1):
            pack.writestr(f"评估报告/{n:02d}_{safe_name(row.proposal.name)}.docx", assessment_report(row.proposal, Audience.MEETING))
    return out.getvalue()
