"""The meeting pack: one zip with the whole pack as one Word document (cover, 目录, 汇报说明, summary table, every
project's report), its PDF when LibreOffice is installed, and the summary sheet as .xlsx."""
from __future__ import annotations

import io
import zipfile
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from budget_eval.assessment.documents.build import (
    concluded_round,
    RADAR_WIDTH_MM,
    report_parts,
    ReportError,
    safe_name,
)
from budget_eval.assessment.models import Assessment
from budget_eval.intake.models import Proposal
from budget_eval.meetings.models import Meeting
from budget_eval.meetings.operations import meeting_name
from budget_eval.platform import spreadsheets
from budget_eval.platform.documents import chinese_date, Image, render, render_paginated, template_path
from budget_eval.platform.domain.money import format_wan
from budget_eval.platform.models.types import utcnow
from budget_eval.intake.rules import screening_rules
from budget_eval.platform.rules import report_settings
from budget_eval.platform.spreadsheets import Column

PACK = "meeting_pack.docx"
ORDERS = ("score", "amount", "department", "given")
MARKING = "内部资料　注意保存"


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


def yi(amount: Decimal) -> str:
    """From 1亿元 up, the amount in 亿元, exact (万元 have two decimals, so 亿元 need at most six), with 万元 beside
    it; below 1亿元 in 万元 only (1,450.00万元, never 0.145亿元)."""
    if abs(amount) < Decimal(10000):
        return format_wan(amount)
    value = (amount / Decimal(10000)).normalize()
    text = f"{value:f}"
    return f"{text}亿元（{format_wan(amount)}）"


def meeting_title(meeting: Meeting | None, fallback: str) -> str:
    """The cover's title: the kind's name as stored, session and year when recorded (2027年第3次市长办公会议), else
    the meeting's title (or the given one without a meeting)."""
    if meeting is None:
        return fallback
    return meeting_name(meeting.kind_label, meeting.session_no, meeting.meeting_date) or meeting.title


def _briefing(rows: list[SummaryRow], title: str, requested: Decimal, recommended: Decimal,
              meeting: Meeting | None = None) -> list[str]:
    counts = Counter(r.round_.conclusion_label for r in rows)
    by_conclusion = "，".join(f"{label}{count}个" for label, count in counts.items())
    basis = []
    if meeting is not None and meeting.kind_quote:  # the sentence as stored with the meeting, verbatim
        basis = [f"依据{meeting.kind_source}：“{meeting.kind_quote}”本次会议为{meeting.kind_label}。"]
    text = [f"本次提请{title}审议的事前绩效评估项目共{len(rows)}个，申请财政资金合计{yi(requested)}，"
            f"评估建议安排资金合计{yi(recommended)}。"]
    if recommended < requested:
        text[0] = text[0][:-1] + f"，较申请数核减{yi(requested - recommended)}。"
    text.append(f"按评估结论分：{by_conclusion}。")
    text.append("各项目的评估得分、评估结论、建议安排资金和主要意见见事前绩效评估项目汇总表，各项目评估报告附后。")
    return basis + text


def _motions(rows: list[SummaryRow], title: str, requested: Decimal, recommended: Decimal) -> list[str]:
    """提请审议事项: what the meeting is asked to decide, from the projects in the pack."""
    groups: dict[str, list[SummaryRow]] = {}
    for row in rows:
        groups.setdefault(row.round_.conclusion_label, []).append(row)
    motions = [f"审议{len(rows)}个项目的事前绩效评估结论，决定是否将其纳入预算安排。"]
    for label, members in groups.items():
        names = "、".join(f"“{r.proposal.name}”" for r in members)
        amount = sum((r.round_.recommended_wan or Decimal(0) for r in members), Decimal(0))
        motions.append(f"评估结论为{label}的项目{len(members)}个：{names}，建议安排资金合计{yi(amount)}。")
    motions.append(f"审议上述项目建议安排资金合计{yi(recommended)}，申请财政资金合计{yi(requested)}。")
    return [f"{n}. {text}" for n, text in enumerate(motions, 1)]


def _by_conclusion(rows: list[SummaryRow]) -> list[dict]:
    groups: dict[str, list[SummaryRow]] = {}
    for row in rows:
        groups.setdefault(row.round_.conclusion_label, []).append(row)
    return [{"label": label, "count": len(members),
             "requested": format_wan(sum((r.proposal.fiscal_total_wan for r in members), Decimal(0)), unit=False),
             "recommended": format_wan(sum((r.round_.recommended_wan or Decimal(0) for r in members), Decimal(0)),
                                       unit=False)}
            for label, members in groups.items()]


def pack_context(rows: list[SummaryRow], title: str, meeting: Meeting | None = None) -> dict:
    settings = report_settings()
    title = meeting_title(meeting, title)
    requested = sum((r.proposal.fiscal_total_wan for r in rows), Decimal(0))
    recommended = sum((r.round_.recommended_wan or Decimal(0) for r in rows), Decimal(0))
    reports = []
    for n, row in enumerate(rows, 1):
        context, png = report_parts(row.proposal)
        reports.append({**context, "radar": Image(png, RADAR_WIDTH_MM), "bookmark": f"xm{n}", "seq": n})
    toc = [{"label": "一、汇报说明", "bookmark": "hbsm", "indent": 0, "page": ""},
           {"label": "二、提请审议事项", "bookmark": "tqsy", "indent": 0, "page": ""},
           {"label": "三、事前绩效评估项目汇总表", "bookmark": "hzb", "indent": 0, "page": ""},
           {"label": "四、项目评估报告", "bookmark": "xm1", "indent": 0, "page": ""}]
    toc += [{"label": f"{n}. {row.proposal.name}", "bookmark": f"xm{n}", "indent": 640, "page": ""}
            for n, row in enumerate(rows, 1)]
    when = meeting.meeting_date if meeting is not None and meeting.meeting_date else None
    return {
        "marking": MARKING,
        "meeting_title": title,
        "assessing_unit": settings.assessing_unit,
        "date": f"{when.year}年{when.month}月{when.day}日" if when else chinese_date(utcnow()),
        "toc": toc,
        "briefing": _briefing(rows, title, requested, recommended, meeting),
        "motions": _motions(rows, title, requested, recommended),
        "by_conclusion": _by_conclusion(rows),
        "rows": [
            {"seq": n, "name": r.proposal.name, "department": r.proposal.department.name,
             "category": _category(r.proposal.category),
             "requested": format_wan(r.proposal.fiscal_total_wan, unit=False), "score": str(r.round_.total),
             "conclusion": r.round_.conclusion_label,
             "recommended": format_wan(r.round_.recommended_wan, unit=False) if r.round_.recommended_wan else "—",
             "opinion": r.round_.opinion}
            for n, r in enumerate(rows, 1)
        ],
        "totals": {"requested": format_wan(requested, unit=False), "recommended": format_wan(recommended, unit=False)},
        "reports": reports,
    }


def pack_docx(rows: list[SummaryRow], title: str, meeting: Meeting | None = None,
              paginate: bool = True) -> tuple[bytes, bytes | None]:
    """The pack as .docx and, when LibreOffice is installed and `paginate`, its PDF (the 目录's page numbers read
    from it and cached in the .docx)."""
    context = pack_context(rows, title, meeting)
    if not paginate:
        return render(template_path(PACK), context), None
    return render_paginated(template_path(PACK), context)


def meeting_pack(proposals: list[Proposal], title: str, order: str = "score", meeting: Meeting | None = None,
                 pdf: bool = True) -> bytes:
    """One zip: the whole pack as one .docx (and .pdf when LibreOffice is installed), and the summary .xlsx."""
    if not proposals:
        raise ReportError("请选择至少一个已出结论的项目")
    rows = _rows(proposals, order)
    document, printed = pack_docx(rows, title, meeting, paginate=pdf)
    name = safe_name(title)
    files = {f"{name}_会议材料.docx": document}
    if printed is not None:
        files[f"{name}_会议材料.pdf"] = printed
    files[f"{name}_汇总表.xlsx"] = summary_xlsx(rows, title)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as pack:
        for filename, data in files.items():
            pack.writestr(filename, data)
    return out.getvalue()
