"""Word and Excel documents: the assessment report, reviewer opinion forms and the meeting pack."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd
from flask import current_app
from openpyxl.styles import Alignment, Font, PatternFill

from budget_eval.assessment.models import Assessment, PanelMember
from budget_eval.meetings.models import Meeting
from budget_eval.intake.models import Proposal
from budget_eval.assessment.documents.charts import radar_png
from budget_eval.assessment.documents.context import opinion_context, report_context
from budget_eval.platform.pdf import convert
from budget_eval.platform.documents import render
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


def template_path(name: str) -> Path:
    return Path(current_app.config["REPORT_TEMPLATES_DIR"]) / name


def concluded_round(proposal: Proposal) -> Assessment:
    rounds = [a for a in proposal.assessments if a.status == "concluded"]
    if not rounds:
        raise ReportError("该项目尚未出具评估结论，不能生成评估报告")
    return rounds[-1]


def report_parts(proposal: Proposal) -> tuple[dict, bytes]:
    """The report's context and its radar chart (panel and, when submitted, the department's own rates)."""
    round_ = concluded_round(proposal)
    rules = rules_of(round_)
    context, chart = report_context(proposal, round_, rules, report_settings(), screening_rules(), intake_rules())
    compare = None
    record = proposal.self_assessment
    if record is not None and record.status in ("submitted", "approved"):
        own = self_assessment.scores(record)
        compare = [float(sum((own.get(i.key, Decimal(0)) for i in d.indicators), Decimal(0)) / d.points * 100)
                   for d in rules.template.dimensions]
    return context, radar_png(chart["labels"], chart["rates"], compare)


def assessment_report(proposal: Proposal) -> bytes:
    context, png = report_parts(proposal)
    return render(template_path(REPORT), context, {"radar": (png, RADAR_WIDTH_MM)})


def opinion_sheet(member: PanelMember) -> bytes:
    if member.status != "submitted":
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


def summary_table(rows: list[SummaryRow]) -> pd.DataFrame:
    return pd.DataFrame([
        {
            "序号": n,
            "项目名称": r.proposal.name,
            "申报单位": r.proposal.department.name,
            "类别": _category(r.proposal.category),
            "申请资金(万元)": r.proposal.fiscal_total_wan,
            "评估得分": r.round_.total,
            "评估结论": r.round_.conclusion_label,
            "建议安排资金(万元)": r.round_.recommended_wan or Decimal("0.00"),
            "主要意见": r.round_.opinion,
        }
        for n, r in enumerate(rows, 1)
    ])


def summary_xlsx(rows: list[SummaryRow], title: str) -> bytes:
    table = summary_table(rows)
    money = ["申请资金(万元)", "建议安排资金(万元)"]
    for column in money + ["评估得分"]:
        table[column] = table[column].astype(float)  # Excel stores numbers as binary floats; 2 decimals are exact enough
    total = {"序号": "合计", "项目名称": f"{len(rows)}个项目", **{c: table[c].sum().round(2) for c in money}}
    table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        table.to_excel(writer, index=False, sheet_name="汇总表", startrow=1)
        sheet = writer.sheets["汇总表"]
        sheet["A1"] = f"{title} 事前绩效评估项目汇总表"
        sheet["A1"].font = Font(bold=True, size=14)
        widths = {"A": 6, "B": 34, "C": 22, "D": 12, "E": 16, "F": 10, "G": 20, "H": 18, "I": 60}
        for letter, width in widths.items():
            sheet.column_dimensions[letter].width = width
        for cell in sheet[2]:
            cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DDE7F3")
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        last = sheet.max_row
        for row in sheet.iter_rows(min_row=3, max_row=last):
            for cell in row:
                cell.alignment = Alignment(vertical="top", wrap_text=cell.column_letter in "BCGI")
            row[4].number_format = row[7].number_format = "#,##0.00"
            row[5].number_format = "0.00"
        for cell in sheet[last]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "C3"
    return out.getvalue()


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
