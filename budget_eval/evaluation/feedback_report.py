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
from budget_eval.evaluation.hotwords import segmenter, year_hot_words
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


def _words(year: EvaluationYear, analysis) -> list[dict]:
    kept = stored(year)
    shown = segmenter().settings.report_units
    made = []
    for n, w in enumerate(analysis.city.criticism, 1):
        issues = kept.get((None, w.word))
        labels = [f"{i.label}（{i.count}条）" for i in issues] if issues else \
            [f"{i.label}（{i.count}条）" for i in w.issues]
        made.append({"n": n, "word": w.word, "count": w.raw, "raters": w.count, "share": f"{w.share:.2%}",
                     "tie": "（并列）" if w.tied else "", "units": "、".join(u for u, _ in w.units[:shown]),
                     "issues": "；".join(labels) or "（未归纳）", "examples": "；".join(e.rstrip("。！!；;，, ") for e in w.examples) + "。"})
    return made


def report_docx(year: EvaluationYear) -> bytes:
    analysis = year_hot_words(year)
    groups, units = _counts(year)
    answers = db.session.execute(
        select(Rectification, Department.name).join(EvaluationUnit, Rectification.unit_id == EvaluationUnit.id)
        .join(Department, EvaluationUnit.department_id == Department.id)
        .where(EvaluationUnit.year_id == year.id).order_by(Department.name, Rectification.id)).all()
    items = db.session.scalars(select(SupervisionItem).where(SupervisionItem.year_id == year.id)
                               .order_by(SupervisionItem.id)).all()
    praise = analysis.city.praise
    settings = report_settings()
    context = {
        "year": year.year, "raters": analysis.raters, "comments": analysis.comments, "merged": analysis.merged,
        "praise_count": analysis.praise,
        "groups": groups, "units": units, "words": _words(year, analysis),
        "hot_words_line": "十大热词依次为：" + "、".join(
            f"{w.word}{'（并列）' if w.tied else ''}" for w in analysis.city.criticism) + "。"
        if analysis.city.criticism else "本年度没有意见建议。",
        "praise_line": ("表扬较多的方面：" + "、".join(f"{w.word}（{w.count}人）" for w in praise) + "。")
        if praise else "本年度没有单独的表扬意见。",
        "answers": [{"unit": name, "topic": r.topic, "response": r.response, "measures": r.measures,
                     "public": "公开" if r.public else "内部", "deadline": str(r.deadline or "—"),
                     "status": label(r.status)} for r, name in answers],
        "items": [{"title": i.title, "lead": i.lead.name,
                   "supporting": "、".join(s.department.name for s in i.supporters) or "—",
                   "check_date": str(i.check_date),
                   "status": label(i.status) + (f"：{i.result}" if i.result else "")} for i in items],
        "office": settings.evaluation_office, "date": chinese_date(utcnow()),
    }
    return render(template_path(TEMPLATE), context)
