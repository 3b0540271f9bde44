"""The meeting pack as one Word document: cover, 目录, 汇报说明, summary table, every project's report."""
from __future__ import annotations

from collections import Counter
from decimal import Decimal

from budget_eval.platform.domain.money import format_wan
from budget_eval.meetings.models import Meeting
from budget_eval.platform.models.types import utcnow
from budget_eval.platform.documents import chinese_date, Image, render, template_path
from budget_eval.assessment.documents.build import (
    _category,
    PACK,
    RADAR_WIDTH_MM,
    report_parts,
    SummaryRow,
)
from budget_eval.meetings.operations import meeting_name
from budget_eval.platform.rules import report_settings

MARKING = "内部资料　注意保存"


def yi(amount: Decimal) -> str:
    """An amount in 亿元, exact (万元 have two decimals, so 亿元 need at most six), with 万元 beside it."""
    value = (amount / Decimal(10000)).normalize()
    text = f"{value:f}"
    return f"{text}亿元（{format_wan(amount)}）"


def meeting_title(meeting: Meeting | None, fallback: str) -> str:
    """The cover's title: kind, session and year when recorded (2027年第3次市政府常务会议), else the given title."""
    if meeting is None:
        return fallback
    return meeting_name(meeting.kind, meeting.session_no, meeting.meeting_date) or meeting.title


def _briefing(rows: list[SummaryRow], title: str, requested: Decimal, recommended: Decimal) -> list[str]:
    counts = Counter(r.round_.conclusion_label for r in rows)
    by_conclusion = "，".join(f"{label}{count}个" for label, count in counts.items())
    text = [f"本次提请{title}审议的事前绩效评估项目共{len(rows)}个，申请财政资金合计{yi(requested)}，"
            f"评估建议安排资金合计{yi(recommended)}。"]
    if recommended < requested:
        text[0] = text[0][:-1] + f"，较申请数核减{yi(requested - recommended)}。"
    text.append(f"按评估结论分：{by_conclusion}。")
    text.append("各项目的评估得分、评估结论、建议安排资金和主要意见见事前绩效评估项目汇总表，各项目评估报告附后。")
    return text


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
           {"label": "二、事前绩效评估项目汇总表", "bookmark": "hzb", "indent": 0, "page": ""},
           {"label": "三、项目评估报告", "bookmark": "xm1", "indent": 0, "page": ""}]
    toc += [{"label": f"{n}. {row.proposal.name}", "bookmark": f"xm{n}", "indent": 640, "page": ""}
            for n, row in enumerate(rows, 1)]
    when = meeting.meeting_date if meeting is not None and meeting.meeting_date else None
    return {
        "marking": MARKING,
        "meeting_title": title,
        "assessing_unit": settings.assessing_unit,
        "date": f"{when.year}年{when.month}月{when.day}日" if when else chinese_date(utcnow()),
        "toc": toc,
        "briefing": _briefing(rows, title, requested, recommended),
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


def pack_docx(rows: list[SummaryRow], title: str, meeting: Meeting | None = None) -> bytes:
    return render(template_path(PACK), pack_context(rows, title, meeting))
