"""The published results notice (结果通报) as Word, from report_templates/, and the results as .xlsx."""
from __future__ import annotations

import io
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pandas as pd
from openpyxl.styles import Font, PatternFill

from budget_eval.evaluation.models import EvaluationYear
from budget_eval.assessment.documents.context import chinese_date
from budget_eval.platform.documents import render
from budget_eval.evaluation.operations import EvaluationError, scheme_of, year_hot_words
from budget_eval.assessment.documents.build import template_path
from budget_eval.platform.rules import report_settings

NOTICE = "evaluation_notice.docx"


def _published_units(year: EvaluationYear):
    if year.status != "published":
        raise EvaluationError("结果公布后才能生成通报")
    return sorted(year.units, key=lambda u: (u.group, u.rank or 0, u.department.name))


def notice_docx(year: EvaluationYear) -> bytes:
    units = _published_units(year)
    scheme = scheme_of(year)
    settings = report_settings()
    codes = [c.code for c in scheme.components]
    groups = []
    for code, label in scheme.groups:
        members = [u for u in units if u.group == code]
        if not members:
            continue
        counts = Counter(u.grade for u in members)
        summary = "，".join(f"{g.label}{counts[g.label]}个" for g in scheme.grades if counts[g.label])
        groups.append({"label": label, "count": len(members), "summary": f"其中{summary}。", "rows": [
            {"rank": u.rank, "name": u.department.name,
             **{f"c{i + 1}": (u.components or {}).get(c, "") for i, c in enumerate(codes[:3])},
             "bonus": _bonus(u), "deduction": _deduction(u), "total": str(u.total), "grade": u.grade}
            for u in members
        ]})
    city = year_hot_words(year, units=False).city.criticism
    published = year.published_at
    context = {
        "year": year.year, "scheme_name": scheme.name, "count": len(units),
        "components": "、".join(f"{c.label}（{c.points}分）" for c in scheme.components),
        "headers": [f"{c.label}" for c in scheme.components[:3]],
        "groups": groups, "hot_words": "、".join(f"{w.word}{'（并列）' if w.tied else ''}" for w in city),
        "response_deadline": chinese_date(published + timedelta(days=settings.response_days)) if published else "",
        "appeal_deadline": f"{year.appeal_deadline.year}年{year.appeal_deadline.month}月{year.appeal_deadline.day}日"
        if year.appeal_deadline else "",
        "office": settings.evaluation_office, "date": chinese_date(published),
    }
    return render(template_path(NOTICE), context)


def _bonus(unit) -> str:
    return str(sum((i.verified for i in unit.innovations if i.status == "verified" and i.verified), Decimal(0)))


def _deduction(unit) -> str:
    return str(sum((d.points for d in unit.deductions), Decimal(0)))


def results_xlsx(year: EvaluationYear) -> bytes:
    units = _published_units(year)
    scheme = scheme_of(year)
    rows = [{
        "组别": scheme.group_label(u.group), "排名": u.rank, "单位": u.department.name,
        **{c.label: float((u.components or {}).get(c.code) or 0) for c in scheme.components},
        "社会评价满意率(%)": float(u.satisfaction_rate) if u.satisfaction_rate is not None else None,
        scheme.bonus_label: float(_bonus(u)), scheme.deduction_label: float(_deduction(u)),
        "总分": float(u.total), "等级": u.grade, "说明": "；".join(u.notes or []),
    } for u in units]
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        pd.DataFrame(rows).to_excel(writer, index=False, sheet_name=f"{year.year}年度考评结果")
        sheet = writer.sheets[f"{year.year}年度考评结果"]
        for cell in sheet[1]:
            cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DDE7F3")
        for column in sheet.columns:
            sheet.column_dimensions[column[0].column_letter].width = 28 if column[0].value in ("单位", "说明") else 12
            if column[0].value not in ("组别", "排名", "单位", "等级", "说明"):
                for cell in column[1:]:
                    cell.number_format = "0.00"
        sheet.freeze_panes = "D2"
    return out.getvalue()
