"""The evaluation office's pages, and each department's view of its own evaluation."""
from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal, InvalidOperation

import pandas as pd
from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from budget_eval.evaluation.domain.comment_lifecycles import COMMITMENT, LifecycleError, label
from budget_eval.evaluation.domain.hotword_ranking import analyse
from budget_eval.evaluation.domain.hotwords import Comment
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.evaluation.models import (
    Deduction,
    EvalTarget,
    EvaluationUnit,
    EvaluationYear,
    Innovation,
    LeaderScore,
)
from budget_eval.platform.permissions import role_required
from budget_eval.evaluation.models import Evidence
from budget_eval.evaluation.feedback_views import lifecycle_helpers, unit_items
from budget_eval.intake import attachments
from budget_eval.evaluation import feedback
from budget_eval.evaluation import operations as evaluation
from budget_eval.intake.batch_screening import BatchError
from budget_eval.evaluation.operations import EvaluationError
from budget_eval.evaluation.survey_import import import_responses, read_responses

bp = Blueprint("evaluation", __name__, url_prefix="/evaluation")
COMMENTS_SHOWN = 50
YEAR = re.compile(r"(19|20|21)[0-9]{2}")  # a four-digit year
OFFICE = Role.EVAL_OFFICE
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def year_or_404(year: int) -> EvaluationYear:
    record = db.session.scalar(select(EvaluationYear).where(EvaluationYear.year == year))
    if record is None:
        abort(404)
    return record


def number(text: str | None, low: Decimal, high: Decimal, label: str) -> Decimal:
    try:
        value = Decimal((text or "").strip())
    except InvalidOperation:
        raise EvaluationError(f"{label}应为数字") from None
    if not value.is_finite() or not low <= value <= high or value != value.quantize(Decimal("0.01")):
        raise EvaluationError(f"{label}应在{low}至{high}之间，最多两位小数")
    return value


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    if current_user.role_enum is not OFFICE:
        if current_user.role_enum is Role.DEPARTMENT and request.method == "GET":
            return redirect(url_for(".mine"))
        abort(403)
    if request.method == "POST":
        try:
            typed = request.form.get("year", "")
            if not YEAR.fullmatch(typed):
                raise ValueError
            year = int(typed)
            evaluation.open_year(year, request.form.get("scheme", ""))
            flash(f"已建立{year}年度考评。", "success")
            return redirect(url_for(".year", year=year))
        except (EvaluationError, ValueError) as exc:
            db.session.rollback()
            flash(str(exc) if isinstance(exc, EvaluationError) else "年度应为四位数字，如 2027", "danger")
    years = db.session.scalars(select(EvaluationYear).order_by(EvaluationYear.year.desc())).all()
    return render_template("evaluation/index.html", years=years, schemes=evaluation.available_schemes(),
                           next_year=date.today().year)


@bp.get("/<int:year>/")
@role_required(OFFICE)
def year(year: int):
    record = year_or_404(year)
    schemes = evaluation.available_schemes()
    chosen = request.args.get("scheme") or record.scheme_code
    scheme = evaluation.scheme_of(record) if chosen == record.scheme_code else schemes.get(chosen)
    if scheme is None:
        abort(404)
    results = evaluation.compute(record, scheme)
    satisfied = evaluation.satisfaction_by_department(record, scheme)
    units = {u.department_id: u for u in evaluation.units_of(record)}
    return render_template("evaluation/year.html", record=record, scheme=scheme, results=results,
                           satisfied=satisfied, units=units, schemes=schemes, comparing=chosen != record.scheme_code)


def _import(year: int, what: str, run):
    """Upload → import → say how many rows went in; the rejected rows come back as .xlsx with reasons."""
    record = year_or_404(year)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(f"请选择{what}文件。", "warning")
        return redirect(url_for(".year", year=year))
    try:
        imported, rejected = run(record, upload)
    except (BatchError, EvaluationError) as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for(".year", year=year))
    flash(f"导入{what} {imported} 行，拒收 {len(rejected)} 行。", "success" if rejected.empty else "warning")
    if rejected.empty:
        return redirect(url_for(".year", year=year))
    out = io.BytesIO()
    rejected.to_excel(out, index=False, engine="openpyxl")
    out.seek(0)
    return send_file(out, mimetype=XLSX, as_attachment=True, download_name=f"{year}年度{what}_拒收行.xlsx")


@bp.post("/<int:year>/survey")
@role_required(OFFICE)
def survey(year: int):
    def run(record, upload):
        result = import_responses(record, read_responses(upload.stream, upload.filename),
                                  evaluation.scheme_of(record).survey)
        return result.imported, result.rejected

    return _import(year, "问卷", run)


@bp.get("/<int:year>/notice.<kind>")
@role_required(OFFICE)
def notice(year: int, kind: str):
    """The published results: the notice (结果通报) as Word, or the table as Excel."""
    from budget_eval.evaluation.notice import notice_docx, results_xlsx

    record = year_or_404(year)
    makers = {"docx": (notice_docx, DOCX, "结果通报"), "xlsx": (results_xlsx, XLSX, "考评结果")}
    if kind not in makers:
        abort(404)
    make, mimetype, name = makers[kind]
    try:
        data = make(record)
    except EvaluationError as exc:
        flash(str(exc), "warning")
        return redirect(url_for(".year", year=year))
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True,
                     download_name=f"{year}年度部门综合考评{name}.{kind}")


@bp.post("/<int:year>/publish")
@role_required(OFFICE)
def publish(year: int):
    record = year_or_404(year)
    try:
        evaluation.publish(record)
        flash(f"{year}年度考评结果已公布，申诉截止{record.appeal_deadline}。", "success")
    except EvaluationError as exc:
        flash(str(exc), "danger")
    return redirect(url_for(".year", year=year))


def unit_for_user(unit_id: int) -> EvaluationUnit:
    """The office sees every unit; a department only its own, and only once results are published."""
    unit = db.session.get(EvaluationUnit, unit_id)
    if unit is None:
        abort(404)
    if current_user.role_enum is OFFICE:
        return unit
    if current_user.role_enum is Role.DEPARTMENT and unit.department_id == current_user.department_id:
        return unit
    abort(404)


@bp.get("/mine")
@role_required(Role.DEPARTMENT)
def mine():
    units = db.session.scalars(
        select(EvaluationUnit).join(EvaluationYear)
        .where(EvaluationUnit.department_id == current_user.department_id).order_by(EvaluationYear.year.desc())
    ).all()
    return render_template("evaluation/mine.html", units=units)


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
@login_required
def unit(unit_id: int):
    unit = unit_for_user(unit_id)
    office = current_user.role_enum is OFFICE
    published = unit.year.status == "published"
    if request.method == "POST":
        try:
            message = _unit_action(unit, request.form, office)
            db.session.commit()
            flash(message, "success")
        except (EvaluationError, LifecycleError, feedback.FeedbackError) as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        return redirect(url_for(".unit", unit_id=unit.id))
    scheme = evaluation.scheme_of(unit.year)
    history = db.session.execute(
        select(EvaluationYear.year, EvaluationUnit.total, EvaluationUnit.rank, EvaluationUnit.grade)
        .join(EvaluationYear, EvaluationUnit.year_id == EvaluationYear.id)
        .where(EvaluationUnit.department_id == unit.department_id, EvaluationYear.status == "published")
        .order_by(EvaluationYear.year)
    ).all()
    comments = evaluation.department_comments(unit.year, unit.department_id, confirmed_only=not office)
    words = analyse([Comment(n, unit.department.name, c) for n, c in enumerate(comments)], evaluation.segmenter(),
                    units=False).city.criticism if comments else ()
    return render_template("evaluation/unit.html", unit=unit, office=office, published=published, scheme=scheme,
                           show_result=office or published, today=date.today(), history=history,
                           comments=comments[:COMMENTS_SHOWN], comment_count=len(comments), words=words,
                           supervision_items=unit_items(unit), **lifecycle_helpers())



@bp.get("/evidence/<int:evidence_id>")
@login_required
def evidence(evidence_id: int):
    item = db.session.get(Evidence, evidence_id)
    if item is None:
        abort(404)
    target = db.session.get(EvalTarget, item.target_id)
    unit_for_user(target.unit_id)  # the office, or the department itself
    return send_file(attachments.storage_path(item.storage_key), mimetype=attachments.mimetype(item.filename),
                     as_attachment=True, download_name=item.filename)


@bp.post("/<int:year>/leaders")
@role_required(OFFICE)
def leaders(year: int):
    """Import leaders' scores (被评单位, 领导, 得分) from .xlsx/.csv."""
    return _import(year, "领导评分", lambda record, upload: evaluation.import_leader_scores(
        record, upload.stream, upload.filename))


@bp.get("/units/<int:unit_id>/comments.xlsx")
@login_required
def comments(unit_id: int):
    """Every public comment routed to this department, for its rectification work."""
    unit = unit_for_user(unit_id)
    rows = [{"序号": n, "意见建议": text}
            for n, text in enumerate(evaluation.department_comments(unit.year, unit.department_id), 1)]
    out = io.BytesIO()
    pd.DataFrame(rows, columns=["序号", "意见建议"]).to_excel(out, index=False, engine="openpyxl")
    out.seek(0)
    return send_file(out, mimetype=XLSX, as_attachment=True,
                     download_name=f"{unit.year.year}年度社会评价意见_{unit.department.name}.xlsx")


def _unit_action(unit: EvaluationUnit, form, office: bool) -> str:
    """One action from the unit page; the office scores and checks, the department reports and responds."""
    step = form.get("step", "")
    open_year = unit.year.status == "open"
    if office and open_year:
        if step == "target":
            unit.targets.append(EvalTarget(name=_text(form, "name", "目标名称"),
                                           weight=number(form.get("weight"), Decimal(0), Decimal(100), "权重")))
            return "已添加目标。"
        if step == "score":
            target = _child(unit.targets, form)
            target.score = number(form.get("score"), Decimal(0), Decimal(100), "得分")
            return f"已为“{target.name}”评分。"
        if step == "deduction":
            unit.deductions.append(Deduction(points=number(form.get("points"), Decimal(0), Decimal(100), "扣分"),
                                             reason=_text(form, "reason", "扣分理由"), created_by_id=current_user.id))
            return "已记录扣分。"
        if step == "leader":
            unit.leader_scores.append(LeaderScore(leader=_text(form, "leader", "领导姓名"),
                                                  score=number(form.get("score"), Decimal(0), Decimal(100), "得分")))
            return "已记录领导评分。"
        if step == "verify":
            item = _child(unit.innovations, form)
            item.verified = number(form.get("verified"), Decimal(0), item.claimed, "核定分值")
            item.status, item.verify_note = "verified", form.get("note", "").strip()
            return f"已核定“{item.title}”。"
        if step == "vetoes":
            unit.vetoes = [v for v in form.getlist("veto") if v in evaluation.scheme_of(unit.year).veto_items]
            return "已更新否决事项。"
        if step == "manual":
            scheme = evaluation.scheme_of(unit.year)
            rates = dict(unit.manual_rates or {})
            for component in scheme.components:
                if component.source == "manual" and form.get(component.code, "").strip():
                    rates[component.code] = str(number(form.get(component.code), Decimal(0), Decimal(100),
                                                       component.label) / 100)
            unit.manual_rates = rates
            return "已保存。"
    if office and step == "decide":
        appeal = _child(unit.appeals, form)
        upheld = form.get("upheld") == "yes"
        change = number(form.get("change") or "0", Decimal(-100), Decimal(100), "调整分值") if upheld else Decimal(0)
        evaluation.decide_appeal(appeal, upheld, change, form.get("decision", ""), current_user)
        return "申诉已处理，排名和等级已重新计算。"
    if step == "commitment":
        item = _child(unit.rectifications, form)
        feedback.move(item, COMMITMENT, form.get("action", ""), current_user, form.get("note", "").strip())
        return f"“{item.topic}”：{label(item.status)}。"
    if not office and step == "supervision_progress":
        item = next((i for i in unit_items(unit) if str(i.id) == form.get("id", "")), None)
        if item is None:
            abort(404)
        item.progress = (item.progress + "\n" if item.progress else "") + \
            f"{date.today()} {unit.department.name}：{_text(form, 'progress', '进展情况')}"
        return "已报送督办进展。"
    if not office and step == "progress" and open_year:
        target = _child(unit.targets, form)
        target.progress = (target.progress + "\n" if target.progress else "") + \
            f"{date.today()}：{_text(form, 'progress', '进展情况')}"
        file = request.files.get("evidence")
        if file is not None and file.filename:
            try:
                saved = attachments.save_upload(file.stream, file.filename)
            except attachments.AttachmentError as exc:
                raise EvaluationError(f"佐证材料上传失败：{exc}") from None
            target.evidence.append(Evidence(filename=saved.filename, storage_key=saved.key, size=saved.size,
                                            uploaded_by_id=current_user.id))
        return "已报送进展。"
    if not office and step == "innovation" and open_year:
        unit.innovations.append(Innovation(title=_text(form, "title", "项目名称"), description=form.get("description", ""),
                                           claimed=number(form.get("claimed"), Decimal(0), Decimal(100), "申报分值")))
        return "已申报创新创优项目，待专家核验。"
    if not office and step == "appeal":
        evaluation.file_appeal(unit, form.get("reason", ""), current_user)
        return "申诉已提交，考评办将作出处理。"
    if not office and step == "rectification":
        deadline = form.get("deadline", "")
        try:
            when = date.fromisoformat(deadline) if deadline else None
        except ValueError:
            raise EvaluationError("完成期限的格式应为 2027-06-30") from None
        public = form.get("public") == "yes"
        feedback.commit_target(unit, _text(form, "topic", "问题"), _text(form, "response", "回应"),
                               _text(form, "measures", "整改措施"), when, public)
        return "已提交回应和整改承诺" + ("（向社会公开）。" if public else "（内部）。")
    abort(403)


def _text(form, key: str, label: str) -> str:
    value = (form.get(key) or "").strip()
    if not value:
        raise EvaluationError(f"请填写{label}")
    return value[:2000]


def _child(items, form):
    wanted = form.get("id", "")
    found = next((i for i in items if str(i.id) == wanted), None)
    if found is None:
        abort(404)
    return found

