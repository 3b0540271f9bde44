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
from budget_eval.evaluation.numbering import notice_number
from budget_eval.assessment.documents.build import template_path
from budget_eval.platform.rules import report_settings

NOTICE = "evaluation_notice.docx"


def _published_units(year: EvaluationYear):
    if year.status != "published":
        raise EvaluationError("结果公布后才能生成通报")
    return sorted(year.units, key=lambda u: (u.group, u.rank or 0, u.department.name))


def two(value) -> str:
    """Every score in the notice with two decimals: 0.00 beside 1.50, never 0."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(str(value)).quantize(Decimal('0.01'))}"


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
        groups.append({"label": label, "heading": f"{CN[len(groups)]}、{label}（{len(members)}个单位）",
                       "count": len(members), "summary": f"{label}共{len(members)}个单位，其中{summary}。", "rows": [
            {"rank": u.rank or "—", "name": u.department.name,
             **{f"c{i + 1}": two((u.components or {}).get(c)) for i, c in enumerate(codes[:3])},
             "bonus": two(_bonus(u)), "deduction": two(_deduction(u)), "total": two(u.total), "grade": u.grade}
            for u in members
        ]})
    city, _ = year_hot_words(year)
    published = year.published_at
    issued = (published + timedelta(hours=8)).year if published else year.year + 1
    context = {
        "issuer_mark": settings.notice_issuer_mark or settings.evaluation_office,
        "number": notice_number(year, issued, settings.notice_number),
        "recipients": settings.notice_recipients, "cc": settings.notice_cc.rstrip("。") + "。" if settings.notice_cc
        else "",
        "year": year.year, "scheme_name": scheme.name, "count": len(units),
        "components": "、".join(f"{c.label}（{c.points}分）" for c in scheme.components),
        "headers": [f"{c.label}" for c in scheme.components[:3]],
        "bonus_label": scheme.bonus_label, "deduction_label": scheme.deduction_label,
        "groups": groups, "hot_words": "、".join(w.word for w in city),
        "hot_heading": f"{CN[len(groups)]}、社会评价意见十大热词",
        "response_deadline": chinese_date(published + timedelta(days=settings.response_days)) if published else "",
        "appeal_deadline": f"{year.appeal_deadline.year}年{year.appeal_deadline.month}月{year.appeal_deadline.day}日"
        if year.appeal_deadline else "",
        "office": settings.evaluation_office, "date": chinese_date(published), "printed": chinese_date(published),
    }
    context["issuer_scale"] = _scale(context["issuer_mark"])
    context["office_indent"] = _office_indent(context["office"], context["date"])
    return render(template_path(NOTICE), context)


CN = "一二三四五六七八九十"
MARK_CHARS = 14.5  # characters of 30 pt that fit the 156 mm text width


def _width(text: str) -> float:
    """Width in full-width characters: digits and Latin letters count half."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in text)


def _scale(mark: str) -> int:
    """字符缩放 (percent) that keeps the 发文机关标志 on one line."""
    return max(50, min(100, int(MARK_CHARS / max(_width(mark), 1) * 100)))


def _office_indent(office: str, date: str) -> int:
    """Right indent, in characters, that centres the issuing office over the date (itself 4 characters in)."""
    return max(0, round(4 + (_width(date) - _width(office)) / 2))


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
