"""The yearly 社会评价意见报告 (.docx, GB/T 9704 layout): hot words and their issues, counts by rater group and
unit, the units' answers and commitments, and the 跟踪督办 items."""
from __future__ import annotations

from sqlalchemy import func, select

from budget_eval.evaluation.domain.comment_lifecycles import Feedback, label
from budget_eval.platform.extensions import db
from budget_eval.evaluation.feedback_models import SupervisionItem
from budget_eval.evaluation.models import EvaluationUnit, EvaluationYear, Rectification, SurveyResponse
from budget_eval.platform.models.department import Department
from budget_eval.platform.models.types import utcnow
from budget_eval.platform.documents import chinese_date, render, template_path
from budget_eval.evaluation.hotword_issues import stored
from budget_eval.evaluation.hotwords import required_hot_words, segmenter
from budget_eval.platform.rules import report_settings

TEMPLATE = "feedback_report.docx"


def _counts(year: EvaluationYear):
    routed = func.coalesce(SurveyResponse.routed_department_id, SurveyResponse.department_id)
    base = select(func.count()).where(SurveyResponse.year_id == year.id, SurveyResponse.comment.is_not(None))
    groups = db.session.execute(base.add_columns(SurveyResponse.group).group_by(SurveyResponse.group)
                                .order_by(func.count().desc())).all()
    units = db.session.execute(
        base.add_columns(Department.name, func.sum(
            db.case((SurveyResponse.feedback_status == Feedback.CONFIRMED.value, 1), else_=0)))
        .join(Department, routed == Department.id).group_by(Department.name).order_by(func.count().desc())).all()
    return ([{"group": g, "count": n} for n, g in groups],
            [{"unit": u, "count": n, "confirmed": int(c or 0)} for n, u, c in units])


CN = "一二三四五六七八九十"


def numeral(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (headings and sub-headings up to 99)."""
    if n <= 10:
        return CN[n - 1]
    tens, units = divmod(n, 10)
    return ("十" if tens == 1 else CN[tens - 1] + "十") + (CN[units - 1] if units else "")


def _date(value) -> str:
    """A stored date written the Chinese way (2025年11月30日), "—" when there is none."""
    if not value:
        return "—"
    return f"{value.year}年{value.month}月{value.day}日"


def _words(year: EvaluationYear, analysis) -> list[dict]:
    kept = stored(year)
    shown = segmenter().settings.report_units
    made = []
    for n, w in enumerate(analysis.city.criticism, 1):
        issues = kept.get((None, w.word))
        labels = [f"{i.label}（{i.count}条）" for i in (issues or w.issues)]
        examples = [e.rstrip("。！!；;，, ") for e in w.examples if e.strip()]
        made.append({"n": n, "cn": numeral(n), "word": w.word, "count": w.raw, "raters": w.count,
                     "share": f"{w.share:.2%}", "tie": "（并列）" if w.tied else "",
                     "units": "、".join(u for u, _ in w.units[:shown]),
                     "issues": "；".join(labels), "examples": "；".join(examples) + "。" if examples else ""})
    return made


def _headings(context: dict) -> dict:
    """一、二、… for the sections that have content, in order, with no gap."""
    present = [("overview", "总体情况", True), ("words", "十大热词及反映的主要问题", bool(context["words"])),
               ("praise", "表扬情况", bool(context["praise_line"])),
               ("answers", "各单位回应和整改承诺", bool(context["answers"])),
               ("supervision", "跟踪督办事项", bool(context["items"]))]
    shown = [(key, label) for key, label, there in present if there]
    return {key: f"{numeral(n)}、{label}" for n, (key, label) in enumerate(shown, 1)}


def _tables(context: dict) -> dict:
    present = [key for key in ("groups", "units", "answers", "items") if context[key]]
    return {("supervision" if key == "items" else key): n for n, key in enumerate(present, 1)}


def report_docx(year: EvaluationYear) -> bytes:
    """The report from the year's stored hot words (hotwords.NotComputed while the job computes them)."""
    analysis = required_hot_words(year)
    groups, units = _counts(year)
    answers = db.session.execute(
        select(Rectification, Department.name).join(EvaluationUnit, Rectification.unit_id == EvaluationUnit.id)
        .join(Department, EvaluationUnit.department_id == Department.id)
        .where(EvaluationUnit.year_id == year.id).order_by(Department.name, Rectification.id)).all()
    items = db.session.scalars(select(SupervisionItem).where(SupervisionItem.year_id == year.id)
                               .order_by(SupervisionItem.id)).all()
    praise = analysis.city.praise
    settings = report_settings()
    words = _words(year, analysis)
    overview = (f"{year.year}年度社会评价共有{analysis.raters}人参加评价，提出意见建议{analysis.comments}条，"
                f"合并相同意见后{analysis.merged}条")
    overview += f"，其中表扬{analysis.praise}条。" if analysis.praise else "。"
    if groups or units:
        overview += "各评价层面和各被评单位的意见条数见下表。"
    context = {
        "year": year.year, "overview": overview,
        "groups": groups, "units": units, "words": words,
        "hot_words_line": ("十大热词依次为：" + "、".join(f"{w['word']}{w['tie']}" for w in words) + "。")
        if words else "",
        "praise_line": ("表扬较多的方面：" + "、".join(f"{w.word}（{w.count}人）" for w in praise) + "。")
        if praise else "",
        "answers": [{"unit": name, "topic": r.topic, "response": r.response, "measures": r.measures,
                     "public": "公开" if r.public else "内部", "deadline": _date(r.deadline),
                     "status": label(r.status)} for r, name in answers],
        "items": [{"title": i.title, "lead": i.lead.name,
                   "supporting": "、".join(s.department.name for s in i.supporters) or "—",
                   "check_date": _date(i.check_date),
                   "status": label(i.status) + (f"：{i.result}" if i.result else "")} for i in items],
        "office": settings.evaluation_office, "date": chinese_date(utcnow()),
    }
    context["h"] = _headings(context)
    context["t"] = _tables(context)
    context["office_indent"] = max(0, round(4 + (_width(context["date"]) - _width(context["office"])) / 2))
    return render(template_path(TEMPLATE), context)


def _width(text: str) -> float:
    return sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in text)
