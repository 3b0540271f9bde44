"""投入经济性 pages (issue 26): the unit-cost library (summary, .xlsx import, template) and a reviewer's findings
from the comparison and the cost–benefit calculator, recorded from the scoring page's 投入经济性 panel."""
from __future__ import annotations

import io
from decimal import Decimal

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from budget_eval.assessment import economy
from budget_eval.assessment.domain.states import CLEARED
from budget_eval.assessment.economy import EconomyError
from budget_eval.assessment.permissions import ROUTES
from budget_eval.assessment.review_views import own_task, task_page
from budget_eval.intake.fields import to_quantity
from budget_eval.intake.rules import economy_rules
from budget_eval.platform.extensions import db
from budget_eval.platform.imports import template_xlsx, TableError
from budget_eval.platform.permissions import guard
from budget_eval.platform.downloads import send_download
from budget_eval.platform.spreadsheets import XLSX_MIMETYPE
from wtforms.validators import ValidationError

bp = Blueprint("economy", __name__)
guard(bp, ROUTES)


@bp.route("/economy/library", methods=["GET", "POST"])
def library():
    rules = economy_rules()
    if request.method == "POST":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            flash("请选择要导入的 .xlsx、.xls、.ods 或 .csv 文件", "danger")
        else:
            try:
                imported, rejected, _ = economy.import_unit_costs(upload.stream, upload.filename, current_user, rules)
            except TableError as exc:
                db.session.rollback()
                flash(str(exc), "danger")
            else:
                flash(f"已导入 {imported} 行。" + (f"拒收 {len(rejected)} 行：" + "；".join(
                    f"第{n}行 {r}" for n, r in rejected[:20]) if rejected else ""), "success" if not rejected else "warning")
        return redirect(url_for(".library"))
    return render_template("economy/library.html", rules=rules, summary=economy.library_summary(rules),
                           index=sorted(rules.price_index.as_map().items()), index_source=economy.index_source(rules))


@bp.get("/economy/library/template.xlsx")
def library_template():
    data = template_xlsx("unit_costs", {"依据类型": ["历史合同", "定额"],
                                        "产出类型": [t.label for t in economy_rules().output_types]})
    return send_download(io.BytesIO(data), "历史单价与定额导入模板.xlsx", XLSX_MIMETYPE)


@bp.post("/reviews/<int:member_id>/economy")
def record(member_id: int):
    """Record the round's 比较法 / 标杆管理法, 成本效益分析法 or 最低成本法 finding from the figures computed now."""
    member = own_task(member_id)
    round_ = member.assessment
    back = redirect(url_for("reviews.task", member_id=member.id) + "#economy-panel")
    if member.state not in CLEARED or not round_.is_open:
        flash("签署承诺后、评估进行中方可记录投入经济性分析结果。", "warning")
        return back
    rules = economy_rules()
    try:
        method, figures, summary, sources = _figures(request.form.get("step", ""), round_, request.form, rules)
        note = request.form.get("note", "").strip()[:2000]
        if note:
            summary = f"{summary}评审意见：{note}"
        economy.record_finding(round_, method, summary, figures, sources, current_user)
        db.session.commit()
    except EconomyError as exc:  # the panel again, with what was typed and the reason beside it
        db.session.rollback()
        flash(f"{exc}。您填写的内容都已保留。", "danger")
        return task_page(member, economy_kept=request.form, economy_error=str(exc)), 422
    flash(f"已记录{method}结果，将写入评估报告。", "success")
    return back


def _figures(step: str, round_, form, rules) -> tuple:
    """The method and its figures, summary and sources, computed now for the step asked."""
    if step == "comparison":
        method = form.get("method", "")
        if method not in (economy.COMPARISON, economy.BENCHMARK):
            raise EconomyError("请选择比较法或标杆管理法")
        return (method, *economy.comparison_figures(round_.proposal, rules))
    if step == "cost_benefit":
        costs = economy.parse_series(form.get("costs", ""), "各年成本")
        benefits = economy.parse_series(form.get("benefits", ""), "各年效益")
        return (economy.COST_BENEFIT, *economy.cost_benefit_figures(costs, benefits, rules))
    if step == "least_cost":
        unit = form.get("unit", "").strip()[:30]
        try:
            outcome = to_quantity(form.get("outcome", ""))
        except ValidationError as exc:
            raise EconomyError(f"成果{exc}") from None
        if outcome is None or outcome <= 0 or not unit:
            raise EconomyError("请填写大于0的成果数量和计量单位")
        return (economy.LEAST_COST, *economy.least_cost_figures(round_.proposal, Decimal(outcome), unit, rules))
    raise EconomyError("无效的操作")
