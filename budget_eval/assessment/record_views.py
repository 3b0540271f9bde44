"""The assessor's records of how a round was done (methods used, procedure steps), on the assessments blueprint."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from budget_eval.assessment import records as assessment_records
from budget_eval.assessment.views import panel_page, bp, visible_proposal
from budget_eval.platform.extensions import db


@bp.post("/<int:proposal_id>/assessment/records")
def records(proposal_id: int):
    """The assessor records a method used (with its finding and evidence) or a procedure step (with its date),
    or takes one back; refused input is shown beside its field with what was typed."""
    proposal = visible_proposal(proposal_id)
    round_ = proposal.current_assessment
    if round_ is None:
        abort(404)
    form = request.form
    kind = form.get("kind", "")
    try:
        if form.get("remove", "").isdigit() and len(form["remove"]) < 6:
            assessment_records.remove_record(round_, current_user, kind, int(form["remove"]), form.get("at", ""))
            flash("已删除该记录（审计日志保留原记录）。", "info")
        elif kind == "method":
            label = assessment_records.record_method(round_, current_user, form.get("method", ""),
                                                     form.get("finding", ""), form.get("evidence", ""))
            flash(f"已记录评估方法：{label}。", "success")
        elif kind == "step":
            label = assessment_records.record_step(round_, current_user, form.get("step", ""), form.get("date", ""),
                                                   form.get("note", ""))
            flash(f"已记录评估程序：{label}。", "success")
        else:
            abort(400)
    except assessment_records.RecordError as exc:
        db.session.rollback()
        flash("请修改标有“✕”提示的地方。您填写的内容都已保留。", "danger")
        return panel_page(proposal, round_, record_errors={f"{kind}-{k}": v for k, v in exc.problems.items()},
                           record_form=form), 422
    return redirect(url_for(".panel", proposal_id=proposal.id) + "#records")
