"""The office's pages from comment to rectification: hot words and their issues, 反馈确认, 跟踪督办, the report."""
from __future__ import annotations

import io
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from budget_eval.platform.worklist import beijing_today
from budget_eval.evaluation.domain.comment_lifecycles import (
    ACTION_LABELS,
    FEEDBACK,
    SUPERVISION,
    LifecycleError,
    label,
    overdue,
)
from budget_eval.platform import datatable
from budget_eval.platform.downloads import send_download
from budget_eval.platform.extensions import db
from budget_eval.platform.kept import NOTHING, Kept
from budget_eval.evaluation.feedback_models import HotWordIssue, SupervisionItem
from budget_eval.evaluation.models import SurveyResponse
from budget_eval.platform.models.department import Department
from budget_eval.evaluation.permissions import ROUTES
from budget_eval.platform import public_voice
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.permissions import guard
from budget_eval.platform.request_input import id_arg, ids_from
from budget_eval.evaluation import feedback, hotword_issues
from budget_eval.evaluation.operations import scheme_of, units_of
from budget_eval.evaluation.hotword_export import analysis_xlsx, comments_xlsx
from budget_eval.evaluation import hotword_job
from budget_eval.evaluation.hotwords import NotComputed, hot_word_ids, year_hot_words
from budget_eval.evaluation.page_helpers import year_or_404

bp = Blueprint("feedback", __name__, url_prefix="/evaluation")
guard(bp, ROUTES)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
REFRESH_SECONDS = 2  # the pending page follows its job as the job's own page does


def _date(text: str | None, label_: str) -> date:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise feedback.FeedbackError(f"{label_}的格式应为 2027-11-30") from None


def _done(message: str, endpoint: str, **values):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(endpoint, **values))


def _refused(exc: Exception, endpoint: str, **values):
    db.session.rollback()
    flash(str(exc), "danger")
    return redirect(url_for(endpoint, **values))


def _sent_back(exc: Exception, page, record, form):
    """A refused form on a page of several: the page again with what was typed in that one and the error on it."""
    db.session.rollback()
    flash(str(exc), "danger")
    step = form.get("step") or "confirm"
    key = step if step in ("add", "all") else f"{step}-{form.get('id', '')}"
    return page(record, Kept(key, form, str(exc)))


@bp.get("/<int:year>/hotwords")
def hotwords(year: int):
    """The top ten as a bar chart and table, each word with its units, comments and issues; city or one unit.
    Read from what the year's hot-word job stored; until it has, the job's progress (never computed here)."""
    record = year_or_404(year)
    if not record.is_published and current_user.role_enum is not Role.EVAL_OFFICE:
        abort(404)  # others read a year's hot words once its results are published
    analysis = year_hot_words(record)
    job = hotword_job.active(record)
    if analysis is None:
        return _pending(record, job)
    unit = request.args.get("unit", "")
    ranking = analysis.units.get(unit) if unit else analysis.city
    if unit and ranking is None:
        abort(404)
    answers = public_voice.answers_for([w.word for w in ranking.criticism], current_user)
    department = db.session.scalar(select(Department).where(Department.name == unit)) if unit else None
    kept = hotword_issues.stored(record)
    return render_template("evaluation/hotwords.html", record=record, analysis=analysis, ranking=ranking, unit=unit,
                           answers=answers, job=job,
                           kept={w: v for (d, w), v in kept.items() if d == (department.id if department else None)})


def _pending(record, job):
    """十大热词正在计算 (with the job's progress, followed in place) — or, with no job queued or running, not yet
    computed for the present comments (the word lists changed, say) or failed: the office may start it."""
    last = job or hotword_job.latest(record)
    failed = last if last is not None and last.is_failed else None
    return render_template("evaluation/hotwords_pending.html", record=record, job=job, failed=failed,
                           refresh=REFRESH_SECONDS if job else None)


@bp.post("/<int:year>/hotwords/recompute")
def recompute(year: int):
    """「重新计算」: queue the year's hot-word job in the office user's name (or follow the one already running)."""
    record = year_or_404(year)
    _, started = hotword_job.start(record, current_user)
    flash("已开始重新计算十大热词，完成后本页显示新的结果。" if started else "十大热词已在计算中，请等待其完成。",
          "success" if started else "warning")  # nothing done: someone was first
    return redirect(url_for(".hotwords", year=year))


def _pending_redirect(exc: NotComputed, year: int):
    flash(str(exc), "warning")
    return redirect(url_for(".hotwords", year=year))


@bp.get("/<int:year>/hotwords/comments")
def hotword_comments(year: int):
    """Drill-down: every comment behind one hot word (city-wide or one unit's), or as .xlsx."""
    record = year_or_404(year)
    unit = request.args.get("unit", "")
    if not request.args.get("word"):
        return redirect(url_for(".hotwords", year=year, unit=unit))
    analysis = year_hot_words(record)
    if analysis is None:
        return _pending_redirect(NotComputed(record), year)
    ranking = analysis.units.get(unit) if unit else analysis.city
    words = (ranking.criticism + ranking.praise) if ranking else ()
    word = next((w for w in words if w.word == request.args.get("word")), None)
    if word is None:
        abort(404)
    ids = hot_word_ids(record, unit, word.word)  # stored beside the analysis (the page's own figure has none)
    if ids is None:
        return _pending_redirect(NotComputed(record), year)
    rows = db.session.execute(select(SurveyResponse.id, Department.name, SurveyResponse.comment)
                              .join(Department, SurveyResponse.department_id == Department.id)
                              .where(SurveyResponse.id.in_(ids)).order_by(SurveyResponse.id)).all()
    if request.args.get("format") == "xlsx":
        return send_download(io.BytesIO(comments_xlsx(word, rows)), f"{year}年度热词_{word.word}_意见.xlsx", XLSX)
    return render_template("evaluation/hotword_comments.html", record=record, word=word, unit=unit, rows=rows)


@bp.get("/<int:year>/hotwords.xlsx")
def hotwords_xlsx(year: int):
    record = year_or_404(year)
    analysis = year_hot_words(record)
    if analysis is None:
        return _pending_redirect(NotComputed(record), year)
    return send_download(io.BytesIO(analysis_xlsx(analysis)), f"{year}年度社会评价十大热词.xlsx", XLSX)


@bp.post("/<int:year>/hotwords/issues")
def issues(year: int):
    """Store a hot word's computed issues, or save the office's edits and confirmations."""
    record = year_or_404(year)
    back = {"year": year, "unit": request.form.get("unit", "")}
    if request.form.get("step") == "keep":
        unit = request.form.get("unit", "")
        analysis = year_hot_words(record)
        if analysis is None:
            return _pending_redirect(NotComputed(record), year)
        ranking = analysis.units.get(unit) if unit else analysis.city
        word = next((w for w in (ranking.criticism if ranking else ()) if w.word == request.form.get("word")), None)
        if word is None:
            abort(404)
        department = db.session.scalar(select(Department).where(Department.name == unit)) if unit else None
        hotword_issues.keep(record, department, word, current_user)
        return _done(f"已保存“{word.word}”的问题清单，可修改后确认。", ".hotwords", **back)
    issue = db.session.get(HotWordIssue, id_arg(request.form.get("id")) or 0)
    if issue is None or issue.year_id != record.id:
        abort(404)
    try:
        hotword_issues.edit(issue, request.form.get("label", ""), request.form.get("confirmed") == "yes", current_user)
    except ValueError as exc:
        return _refused(exc, ".hotwords", **back)
    return _done("问题清单已保存。", ".hotwords", **back)


@bp.route("/<int:year>/feedback", methods=["GET", "POST"])
def confirm(year: int):
    """反馈确认: the office confirms, re-routes or merges each comment before its unit sees it."""
    record = year_or_404(year)
    if request.method == "POST":
        try:
            message = _feedback_action(record, request.form)
        except (feedback.FeedbackError, LifecycleError) as exc:
            return _sent_back(exc, _confirm_page, record, request.form)
        db.session.commit()
        hotword_job.changed(record, current_user)  # routing, merging and confirming change the hot words
        return _done(message, ".confirm", year=year)
    return _confirm_page(record)


def _confirm_page(record, kept: Kept = NOTHING):
    units = units_of(record)
    names = {u.department_id: u.department.name for u in units}
    unit_name = select(Department.name).where(Department.id == SurveyResponse.department_id).scalar_subquery()
    spec = datatable.Spec(f"{record.year}年度待确认意见", (
        datatable.Col("id", "编号", lambda r: r.id, SurveyResponse.id, "integer"),
        datatable.Col("unit", "被评单位", lambda r: names.get(r.department_id, ""), unit_name),
        datatable.Col("comment", "意见建议", lambda r: r.comment, SurveyResponse.comment),
        datatable.Col("status", "状态", lambda r: label(r.feedback_status)),
    ), default="id", tiebreak=SurveyResponse.id, search=(SurveyResponse.comment,), search_hint="意见内容")
    query = feedback.pending_query(record)
    if datatable.exporting():
        return datatable.export_select(query, spec)
    listing = datatable.from_select(query, spec, per_page=50)
    return render_template("evaluation/feedback.html", record=record, listing=listing, units=units,
                           names=names, pending_count=feedback.pending_count(record), kept=kept,
                           actions=lambda r: FEEDBACK.actions(r.feedback_status, current_user.role_enum),
                           action_labels=ACTION_LABELS, label=label)


def _feedback_action(record, form) -> str:
    if form.get("step") == "all":
        return f"已确认全部待确认意见 {feedback.confirm_all(record, current_user)} 条。"
    response = db.session.get(SurveyResponse, id_arg(form.get("id")) or 0)
    if response is None or response.year_id != record.id:
        abort(404)
    if form.get("step") == "merge":
        feedback.merge_into(response, id_arg(form.get("target")) or 0, current_user)
        return f"第{response.id}条意见已合并。"
    feedback.confirm(response, current_user, id_arg(form.get("department")))
    return f"第{response.id}条意见已确认，{'已改派' if response.routed_department_id else '按原单位'}反馈。"


@bp.route("/<int:year>/supervision", methods=["GET", "POST"])
def supervision(year: int):
    """跟踪督办: the office picks items with a lead unit and supporting units, and checks them by a date."""
    record = year_or_404(year)
    if request.method == "POST":
        try:
            message = _supervision_action(record, request.form)
        except (feedback.FeedbackError, LifecycleError) as exc:
            return _sent_back(exc, _supervision_page, record, request.form)
        return _done(message, ".supervision", year=year)
    return _supervision_page(record)


def _supervision_page(record, kept: Kept = NOTHING):
    lead_name = select(Department.name).where(Department.id == SupervisionItem.lead_id).scalar_subquery()
    spec = datatable.Spec(f"{record.year}年度跟踪督办", (
        datatable.Col("title", "督办事项", lambda i: i.title, SupervisionItem.title),
        datatable.Col("word", "热词", lambda i: i.hot_word or "—", SupervisionItem.hot_word),
        datatable.Col("lead", "牵头单位", lambda i: i.lead.name, lead_name),
        datatable.Col("supporters", "配合单位", lambda i: "、".join(s.department.name for s in i.supporters) or "—"),
        datatable.Col("check", "检查日期", lambda i: i.check_date, SupervisionItem.check_date),
        datatable.Col("progress", "单位进展", lambda i: i.progress or "—"),
        datatable.Col("status", "状态和结果", lambda i: label(i.status) + (f"：{i.result} {i.result_note}" if i.result
                                                                          else ""), SupervisionItem.status),
    ), default="id", tiebreak=SupervisionItem.id, search=(SupervisionItem.title, SupervisionItem.hot_word),
        search_hint="督办事项或热词")
    query = select(SupervisionItem).where(SupervisionItem.year_id == record.id)
    if datatable.exporting():
        return datatable.export_select(query, spec)
    listing = datatable.from_select(query, spec, per_page=50)
    analysis = year_hot_words(record)  # while they are being computed, no hot word is offered to choose
    words = [w.word for w in analysis.city.criticism] if analysis is not None else []
    return render_template("evaluation/supervision.html", record=record, listing=listing, units=units_of(record),
                           words=words, results=feedback.supervision_rules(scheme_of(record).raw).get("results", {}),
                           today=beijing_today(), overdue=overdue, label=label, kept=kept,
                           actions=lambda i: SUPERVISION.actions(i.status, current_user.role_enum))


def _supervision_action(record, form) -> str:
    if form.get("step") == "check":
        item = db.session.get(SupervisionItem, id_arg(form.get("id")) or 0)
        if item is None or item.year_id != record.id:
            abort(404)
        results = feedback.supervision_rules(scheme_of(record).raw).get("results", {})
        feedback.check(item, form.get("result", ""), form.get("note", "").strip()[:2000], current_user, results)
        return f"已记录“{item.title}”的检查结果：{item.result}。"
    title = (form.get("title") or "").strip()[:200]
    if not title:
        raise feedback.FeedbackError("请填写督办事项")
    item = feedback.supervise(record, title, (form.get("hot_word") or "")[:100], id_arg(form.get("lead")) or 0,
                              ids_from(form.getlist("supporting")),
                              _date(form.get("check_date"), "检查日期"), current_user)
    return f"已立项督办“{item.title}”。"


@bp.get("/<int:year>/feedback-report.docx")
def report(year: int):
    from budget_eval.evaluation.feedback_report import report_docx

    record = year_or_404(year)
    try:
        data = report_docx(record)
    except NotComputed as exc:
        return _pending_redirect(exc, year)
    return send_download(io.BytesIO(data), f"{year}年度社会评价意见报告.docx", DOCX)

