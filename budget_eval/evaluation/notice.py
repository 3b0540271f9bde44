"""The published results notice (结果通报) as Word, from report_templates/, and the results as .xlsx."""
from __future__ import annotations

from collections import Counter
from budget_eval.platform.domain.calendar import BEIJING
from decimal import Decimal


from budget_eval.evaluation.domain.states import InnovationStatus, YearStatus
from budget_eval.evaluation.models import EvaluationYear
from budget_eval.platform.documents import chinese_date, render_with_imprint, template_path
from budget_eval.evaluation.hotwords import required_hot_words
from budget_eval.evaluation.operations import EvaluationError, scheme_of
from budget_eval.evaluation.numbering import notice_number
from budget_eval.platform import spreadsheets
from budget_eval.platform.rules import holidays, report_settings
from budget_eval.platform.spreadsheets import Column

NOTICE = "evaluation_notice.docx"


def _published_units(year: EvaluationYear):
    if year.status != YearStatus.PUBLISHED:
        raise EvaluationError("结果公布后才能生成通报")
    return sorted(year.units, key=lambda u: (u.group, u.rank or 0, u.department.name))


def two(value) -> str:
    """Every score in the notice with two decimals: 0.00 beside 1.50, never 0."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(str(value)).quantize(Decimal('0.01'))}"


def notice_docx(year: EvaluationYear, actor=None) -> bytes:
    """The notice (run by notice_job: its layout takes seconds); `actor` is who asked for it (its 文号 is given,
    and audited, the first time)."""
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
        groups.append({"label": label, "heading": f"{CN[len(groups)]}、{label}（{len(members)}个单位）",
                       "count": len(members), "summary": f"{label}共{len(members)}个单位，其中{summary}。", "rows": [
            {"rank": u.rank or "—", "name": u.department.name,
             **{f"c{i + 1}": two((u.components or {}).get(c)) for i, c in enumerate(codes)},
             "bonus": two(_bonus(u)), "deduction": two(_deduction(u)), "total": two(u.total), "grade": u.grade}
            for u in members
        ]})
    city = required_hot_words(year).city.criticism  # stored by the hot-word job (NotComputed until it has)
    published = year.published_at
    issued = (published + BEIJING).year if published else year.year + 1
    calendar = holidays()
    response = calendar.deadline((published + BEIJING).date(), settings.response_days) \
        if published else None
    issuer = settings.notice_issuer or settings.evaluation_office
    context = {
        "issuer_mark": settings.notice_issuer_mark or settings.evaluation_office,
        "issuer": issuer,
        "basis": settings.notice_basis.format(year=year.year) if settings.notice_basis else "",
        "grading_rule": grading_rule(scheme),
        "promoted": promoted_line(scheme, units),
        "number": notice_number(year, issued, settings.notice_number, actor),
        "recipients": settings.notice_recipients, "cc": settings.notice_cc.rstrip("。") + "。" if settings.notice_cc
        else "",
        "year": year.year, "count": len(units),
        "components": "、".join(f"{c.label}（{c.points}分）" for c in scheme.components),
        "headers": [f"{c.label}" for c in shown],
        "bonus_label": scheme.bonus_label, "deduction_label": scheme.deduction_label,
        "groups": groups, "hot_words": "、".join(f"{w.word}{'（并列）' if w.tied else ''}" for w in city),
        "hot_heading": f"{CN[len(groups)]}、社会评价意见十大热词",
        "response_deadline": _cn(response),
        "appeal_deadline": _cn(calendar.working_day_on_or_after(year.appeal_deadline) if year.appeal_deadline
                               else None),
        "office": settings.evaluation_office, "date": chinese_date(published), "printed": chinese_date(published),
    }
    context["issuer_scale"] = _scale(context["issuer_mark"])
    context["office_indent"] = _office_indent(issuer, context["date"])
    return render_with_imprint(template_path(NOTICE), context, "抄送" if context["cc"] else context["office"], "印发")


def _cn(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def grading_rule(scheme) -> str:
    """How the grades were given, in words, from the year's scheme (quota or thresholds, pass line, veto)."""
    grading = scheme.grading
    grades = scheme.grades
    if grading.method == "quota":
        quotas = "，".join(f"{g.label}不超过组内单位数的{Decimal(str(g.quota)) * 100:.0f}%"
                          for g in grades if g.quota is not None)
        text = (f"各组别内按总分排名评定等次：{quotas}；其余总分达到{plain(grading.pass_line)}分的为{grades[-2].label}，"
                f"低于{plain(grading.pass_line)}分的为{grades[-1].label}")
    else:
        bands = "，".join(f"{g.label}{plain(g.min_total)}分及以上" for g in grades[:-1])
        text = f"按总分评定等次：{bands}，其余为{grades[-1].label}"
    if scheme.veto_items and scheme.veto_blocks:
        text += (f"。发生{'、'.join(scheme.veto_items)}一票否决事项的单位，不得评为"
                 f"{'、'.join(scheme.veto_blocks)}")
    if scheme.promotion_grade and scheme.promotion_places:
        text += (f"。经认定专项工作突出的单位，可在名额外晋升为{scheme.promotion_grade}（专项晋优），"
                 f"每组不超过{scheme.promotion_places}个")
    return text + "。"


def promoted_line(scheme, units) -> str:
    """Which units were raised by 专项晋优 this year (from the grading notes), or nothing."""
    names = [u.department.name for u in units if "专项晋优" in (u.notes or [])]
    if not names:
        return ""
    return f"本年度{'、'.join(names)}经专项晋优评为{scheme.promotion_grade}。"


def plain(value) -> str:
    number = Decimal(str(value))
    return f"{number.normalize():f}" if number == number.to_integral() else f"{number}"


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
