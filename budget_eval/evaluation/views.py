"""The evaluation office's pages, and each department's view of its own evaluation."""
from __future__ import annotations

import io
import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from budget_eval.platform.rules import report_settings
from budget_eval.platform.worklist import beijing_today
from budget_eval.evaluation.domain.comment_lifecycles import COMMITMENT, LifecycleError, label
from budget_eval.platform.domain.lifecycle import TransitionError
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.evaluation.unit_words import unit_hot_words
from budget_eval.evaluation.models import EvalTarget, EvaluationUnit, EvaluationYear, Evidence
from budget_eval.platform import datatable, file_store as attachments, spreadsheets
from budget_eval.platform.downloads import send_download
from budget_eval.evaluation.permissions import ROUTES, may_see_unit
from budget_eval.platform.permissions import guard
from budget_eval.platform.spreadsheets import Column
from budget_eval.evaluation.page_helpers import chosen_file, lifecycle_helpers, year_or_404
from budget_eval.evaluation import feedback, leader_job, survey_job, unit_actions
from budget_eval.evaluation import operations as evaluation, publication
from budget_eval.platform.tables import TableError
from budget_eval.evaluation.operations import EvaluationError
from budget_eval.evaluation.domain.states import OFFICE as OFFICE_CAPACITY, UNIT as UNIT_CAPACITY, YearStatus

bp = Blueprint("evaluation", __name__, url_prefix="/evaluation")
guard(bp, ROUTES)
COMMENTS_SHOWN = 50
YEAR = re.compile(r"(19|20|21)[0-9]{2}")  # a four-digit year
OFFICE = Role.EVAL_OFFICE
XLSX = spreadsheets.XLSX_MIMETYPE
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.route("/", methods=["GET", "POST"])
def index():
    if current_user.role_enum is not OFFICE:  # a department (the only other role let in): its own units
        return redirect(url_for(".mine"))
    error = ""
    if request.method == "POST":
        try:
            typed = request.form.get("year", "")
            if not YEAR.fullmatch(typed):
                raise ValueError
            year = int(typed)
            evaluation.open_year(year, request.form.get("scheme", ""), current_user)
            flash(f"已建立{year}年度考评。", "success")
            return redirect(url_for(".year", year=year))
        except (EvaluationError, ValueError) as exc:
            db.session.rollback()
            error = str(exc) if isinstance(exc, EvaluationError) else "年度应为四位数字，如 2027"
            flash(error, "danger")
    schemes = evaluation.available_schemes()
    spec, query = _years_list(schemes), select(EvaluationYear)
    if datatable.exporting():
        return datatable.export_select(query, spec)
    next_year, default = _open_year_defaults(schemes)
    return render_template("evaluation/index.html", listing=datatable.from_select(query, spec), schemes=schemes,
                           next_year=next_year, default_scheme=default,
                           typed=request.form if error else {}, error=error)


def _years_list(schemes) -> datatable.Spec:
    return datatable.Spec("考评年度", (
        datatable.Col("year", "年度", lambda y: y.year, EvaluationYear.year, "integer"),
        datatable.Col("scheme", "考评方案", lambda y: schemes[y.scheme_code].name if y.scheme_code in schemes
                      else y.scheme_code, EvaluationYear.scheme_code),
        datatable.Col("units", "考评单位", lambda y: len(y.units), kind="integer"),
        datatable.Col("state", "状态", lambda y: y.state_label, EvaluationYear.status),
        datatable.Col("deadline", "申诉截止", lambda y: y.appeal_deadline, EvaluationYear.appeal_deadline),
    ), default="-year", tiebreak=EvaluationYear.id)


def _open_year_defaults(schemes) -> tuple[int, str | None]:
    """The open-year form's defaults: the next year not yet opened; the scheme the bureau used last, else its
    city's own."""
    opened = set(db.session.scalars(select(EvaluationYear.year)))
    next_year = max(opened) + 1 if opened else beijing_today().year
    latest = db.session.scalar(select(EvaluationYear.scheme_code).order_by(EvaluationYear.year.desc()).limit(1))
    city = report_settings().city_name
    default = latest if latest in schemes else next(
        (code for code, s in schemes.items() if city and s.name.startswith(city)), next(iter(schemes), None))
    return next_year, default


@bp.get("/<int:year>/")
def year(year: int):
    record = year_or_404(year)
    schemes = evaluation.available_schemes()
    chosen = request.args.get("scheme") or record.scheme_code
    scheme = evaluation.scheme_of(record) if chosen == record.scheme_code else schemes.get(chosen)
    if scheme is None:
        abort(404)
    return _year_page(record, scheme, schemes, comparing=chosen != record.scheme_code)


def _year_page(record: EvaluationYear, scheme, schemes, comparing: bool = False, problems: dict | None = None,
               typed: dict | None = None, status: int = 200):
    """The year's ranking (under its scheme: the preview before publishing), the data still missing, and the
    publish / withdraw / correct forms; sent back with `problems` and what was typed when publishing is refused."""
    results = evaluation.compute(record, scheme)
    satisfied = evaluation.satisfaction_by_department(record, scheme)
    units = {u.department_id: u for u in evaluation.units_of(record)}
    has_data = any(any(r.components.values()) or r.bonus or r.deduction for r in results) or any(
        s.respondents for s in satisfied.values())  # a year just opened: 尚无数据, not every unit 1st at 0.00
    missing = publication.missing_data(record) if record.is_open and not comparing else []
    return render_template("evaluation/year.html", record=record, scheme=scheme, results=results,
                           satisfied=satisfied, units=units, schemes=schemes, comparing=comparing,
                           has_data=has_data, evaluation_scheme_name=evaluation.scheme_of(record).name,
                           missing=missing, all_missing=publication.ALL_MISSING, problems=problems or {},
                           typed=typed or {}, events=publication.year_events(record),
                           published_before=record.published_at is not None), status


@bp.post("/<int:year>/survey")
def survey(year: int):
    """Keep the upload and import it as a background job; its page shows the progress and the outcome."""
    record, upload = year_or_404(year), chosen_file("问卷")
    if upload is None:
        return redirect(url_for(".year", year=year))
    job = survey_job.start(record, upload, current_user)
    return redirect(url_for("jobs.status", job_id=job.id))


@bp.get("/<int:year>/template/<kind>.xlsx")
def template(year: int, kind: str):
    """Import templates with this year's respondent groups and answers as drop-downs."""
    from budget_eval.platform.imports import template_xlsx

    if kind not in ("survey", "leader_scores"):
        abort(404)
    survey = evaluation.scheme_of(year_or_404(year)).survey
    choices = {"受访者类别": list(survey.groups), "评价": [*survey.answers, *survey.unknown]}
    name = "社会评价问卷" if kind == "survey" else "领导评分"
    return send_download(io.BytesIO(template_xlsx(kind, choices)), f"{year}年度{name}导入模板.xlsx", XLSX)


@bp.get("/<int:year>/notice.<kind>")
def notice(year: int, kind: str):
    """The results as an Excel table (0.15 s for 60 units); the notice in Word is a job (notice_job below)."""
    from budget_eval.evaluation.notice import results_xlsx

    record = year_or_404(year)
    if kind == "docx":  # an old link: the notice is made by a job now
        flash("结果通报（Word）在后台生成：请点击本页的“生成结果通报（Word）”，完成后在任务页面下载。", "info")
        return redirect(url_for(".year", year=year))
    if kind != "xlsx":
        abort(404)
    try:
        data = results_xlsx(record)
    except EvaluationError as exc:
        flash(str(exc), "warning")
        return redirect(url_for(".year", year=year))
    return send_download(io.BytesIO(data), f"{year}年度部门综合考评考评结果.xlsx", XLSX)


@bp.post("/<int:year>/notice-job")
def notice_job(year: int):
    """The notice (结果通报) in Word as a background job; its page offers the .docx when it is ready."""
    from budget_eval.evaluation import notice_job as job_kind

    record = year_or_404(year)
    if not record.is_published:
        flash("结果公布后才能生成通报", "warning")
        return redirect(url_for(".year", year=year))
    job = job_kind.start(record, current_user)
    return redirect(url_for("jobs.status", job_id=job.id))


@bp.post("/<int:year>/publish")
def publish(year: int):
    """The year's lifecycle from its page: publish (or, after a withdrawal, publish the correction), or withdraw."""
    record = year_or_404(year)
    typed = {k: v for k, v in request.form.items() if k != "csrf_token"}
    try:
        if request.form.get("step") == "withdraw":
            publication.withdraw(record, current_user, request.form.get("reason", "")[:2000])
            flash(f"{year}年度考评结果已撤回，各单位可看到撤回理由；更正后请重新公布。", "success")
        else:
            again = record.published_at is not None
            publication.publish(record, current_user, typed, correction=request.form.get("correction", "")[:2000])
            flash(f"{year}年度考评结果已{'更正并重新' if again else ''}公布，申诉截止{record.appeal_deadline}。", "success")
    except publication.PublishRefused as exc:
        db.session.rollback()
        flash("考评结果未公布：以下单位缺少数据，请补齐或逐项写明原因。", "danger")
        return _year_page(record, evaluation.scheme_of(record), evaluation.available_schemes(),
                          problems=exc.problems, typed=typed)
    except (EvaluationError, TransitionError) as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        if request.form.get("step") == "withdraw":
            return _year_page(record, evaluation.scheme_of(record), evaluation.available_schemes(),
                              problems={"reason": str(exc)}, typed=typed)
    return redirect(url_for(".year", year=year))


def unit_for_user(unit_id: int) -> EvaluationUnit:
    """The office sees every unit; a department only its own, and only once results are published."""
    unit = db.session.get(EvaluationUnit, unit_id)
    if unit is None or not may_see_unit(current_user, unit):
        abort(404)
    return unit


@bp.get("/mine")
def mine():
    units = db.session.scalars(
        select(EvaluationUnit).join(EvaluationYear)
        .where(EvaluationUnit.department_id == current_user.department_id).order_by(EvaluationYear.year.desc())
    ).all()
    return render_template("evaluation/mine.html", units=units)


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
def unit(unit_id: int):
    unit = unit_for_user(unit_id)
    office = current_user.role_enum is OFFICE
    published = unit.year.is_published
    if request.method == "POST":
        kept = unit_actions.Kept(request.form)
        try:
            if unit_actions.previewing(request.form):  # an appeal decision: its effect first, nothing stored
                preview = unit_actions.preview(unit, request.form, office)
                return _unit_page(unit, office, published, kept=kept, preview=preview)
            message = unit_actions.perform(unit, request.form, request.files, current_user, office)
            db.session.commit()
            flash(message, "success")
        except unit_actions.NotAllowed:
            abort(403)
        except (EvaluationError, LifecycleError, feedback.FeedbackError) as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            # the page again with everything typed in the form that was sent, and the error on it
            return _unit_page(db.session.get(EvaluationUnit, unit_id), office, published, kept=kept.failed(str(exc)))
        return redirect(url_for(".unit", unit_id=unit.id))
    return _unit_page(unit, office, published)


def _unit_page(unit: EvaluationUnit, office: bool, published: bool, kept=None, preview=None):
    scheme = evaluation.scheme_of(unit.year)
    history = db.session.execute(
        select(EvaluationYear.year, EvaluationUnit.total, EvaluationUnit.rank, EvaluationUnit.grade)
        .join(EvaluationYear, EvaluationUnit.year_id == EvaluationYear.id)
        .where(EvaluationUnit.department_id == unit.department_id, EvaluationYear.status == YearStatus.PUBLISHED)
        .order_by(EvaluationYear.year)
    ).all()
    comment_count, words = unit_hot_words(unit, confirmed_only=not office)  # stored by the hot-word job
    comments = [] if comment_count == 0 else feedback.department_comments(
        unit.year, unit.department_id, limit=COMMENTS_SHOWN, confirmed_only=not office)
    actors = {OFFICE_CAPACITY if office else UNIT_CAPACITY}  # the capacities of the year's lifecycles
    return render_template("evaluation/unit.html", unit=unit, office=office, published=published, scheme=scheme,
                           show_result=office or published, today=beijing_today(), history=history,
                           history_by_year={y: total for y, total, _rank, _grade in history},  # adjacent years only
                           comments=comments, comment_count=comment_count, words=words,
                           supervision_items=feedback.unit_items(unit), **lifecycle_helpers(),
                           kept=kept or unit_actions.Kept({}), preview=preview, record=unit.year,
                           events=publication.year_events(unit.year),
                           allows=lambda record, action: record.lifecycle.allows(record.status, actors, action))



@bp.get("/evidence/<int:evidence_id>")
def evidence(evidence_id: int):
    item = db.get_or_404(Evidence, evidence_id)
    target = db.session.get(EvalTarget, item.target_id)
    unit_for_user(target.unit_id)  # the office, or the department itself
    return send_download(attachments.storage_path(item.storage_key), item.filename,
                         attachments.mimetype(item.filename))


@bp.post("/<int:year>/leaders")
def leaders(year: int):
    """Import leaders' scores (被评单位, 领导, 得分) from .xlsx/.csv as a job; its page shows the summary."""
    record, upload = year_or_404(year), chosen_file("领导评分")
    if upload is None:
        return redirect(url_for(".year", year=year))
    if not record.is_open:
        flash("结果已公布，不能再导入领导评分", "danger")
        return redirect(url_for(".year", year=year))
    job = leader_job.start(record, upload, current_user)
    return redirect(url_for("jobs.status", job_id=job.id))


@bp.get("/units/<int:unit_id>/comments.xlsx")
def comments(unit_id: int):
    """Every public comment routed to this department, for its rectification work."""
    unit = unit_for_user(unit_id)
    rows = list(enumerate(feedback.department_comments(unit.year, unit.department_id), 1))
    table = spreadsheets.Table("社会评价意见", [Column("序号", "integer"), Column("意见建议", "text")], rows)
    return send_download(io.BytesIO(spreadsheets.xlsx(table)), f"{unit.year.year}年度社会评价意见_{unit.department.name}.xlsx", XLSX)
