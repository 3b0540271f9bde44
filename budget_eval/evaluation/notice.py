"""The published results notice (结果通报) as Word, from report_templates/, and the results as .xlsx."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta
from decimal import Decimal


from budget_eval.evaluation.domain.states import InnovationStatus, YearStatus
from budget_eval.evaluation.models import EvaluationYear
from budget_eval.assessment.documents.context import chinese_date
from budget_eval.platform.documents import render
from budget_eval.evaluation.operations import EvaluationError, scheme_of, year_hot_words
from budget_eval.assessment.documents.build import template_path
from budget_eval.platform import spreadsheets
from budget_eval.platform.rules import report_settings
from budget_eval.platform.spreadsheets import Column

NOTICE = "evaluation_notice.docx"


def _published_units(year: EvaluationYear):
    if year.status != YearStatus.PUBLISHED:
        raise EvaluationError("结果公布后才能生成通报")
    return sorted(year.units, key=lambda u: (u.group, u.rank or 0, u.department.name))


def notice_docx(year: EvaluationYear) -> bytes:
    units = _published_units(year)
    scheme = scheme_of(year)
    settings = report_settings()
    shown = scheme.components[:settings.notice_components]  # the rest are in the results table
    codes = [c.code for c in shown]
    groups = []
    for code, label in scheme.groups:
        members = [u for u in units if u.group == code]
        if not members:
            continue
        counts = Counter(u.grade for u in members)
        summary = "，".join(f"{g.label}{counts[g.label]}个" for g in scheme.grades if counts[g.label])
        groups.append({"label": label, "count": len(members), "summary": f"其中{summary}。", "rows": [
            {"rank": u.rank, "name": u.department.name,
             **{f"c{i + 1}": (u.components or {}).get(c, "") for i, c in enumerate(codes)},
             "bonus": _bonus(u), "deduction": _deduction(u), "total": str(u.total), "grade": u.grade}
            for u in members
        ]})
    city, _ = year_hot_words(year)
    published = year.published_at
    context = {
        "year": year.year, "scheme_name": scheme.name, "count": len(units),
        "components": "、".join(f"{c.label}（{c.points}分）" for c in scheme.components),
        "headers": [f"{c.label}" for c in shown],
        "groups": groups, "hot_words": "、".join(w.word for w in city),
        "response_deadline": chinese_date(published + timedelta(days=settings.response_days)) if published else "",
        "appeal_deadline": f"{year.appeal_deadline.year}年{year.appeal_deadline.month}月{year.appeal_deadline.day}日"
        if year.appeal_deadline else "",
        "office": settings.evaluation_office, "date": chinese_date(published),
    }
    return render(template_path(NOTICE), context)


def _bonus(unit) -> str:
    return str(sum((i.verified for i in unit.innovations if i.status == InnovationStatus.VERIFIED and i.verified), Decimal(0)))


def _deduction(unit) -> str:
    return str(sum((d.points for d in unit.deductions), Decimal(0)))


def results_xlsx(year: EvaluationYear) -> bytes:
    units = _published_units(year)
    scheme = scheme_of(year)
    survey = scheme.component("survey")
    satisfaction = f"{survey.label if survey else ''}满意率（%）"
    columns = [Column("组别", "text"), Column("排名", "integer"), Column("单位", "text"),
               *(Column(c.label, "score") for c in scheme.components), Column(satisfaction, "score"),
               Column(scheme.bonus_label, "score"), Column(scheme.deduction_label, "score"), Column("总分", "score"),
               Column("等级", "text"), Column("说明", "text")]
    rows = [(scheme.group_label(u.group), u.rank, u.department.name,
             *(Decimal(str((u.components or {}).get(c.code) or 0)) for c in scheme.components),
             u.satisfaction_rate, Decimal(_bonus(u)), Decimal(_deduction(u)), u.total, u.grade,
             "；".join(u.notes or [])) for u in units]
    return spreadsheets.xlsx(spreadsheets.Table(f"{year.year}年度考评结果", columns, rows))
