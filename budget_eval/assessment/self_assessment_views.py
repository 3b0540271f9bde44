"""部门自评: the department (or its commissioned 第三方评估机构) scores its own proposal, saves and submits it (routes on
the assessments blueprint)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from budget_eval.assessment import self_assessment
from budget_eval.assessment.sheets import read_scores
from budget_eval.assessment.views import back, bp, visible_proposal
from budget_eval.intake import actions
from budget_eval.intake.domain.visibility import is_commissioned_assessor
from budget_eval.intake.domain.workflow import Status, WorkflowError
from budget_eval.intake.models import Proposal
from budget_eval.intake.permissions import is_own_department
from budget_eval.platform.audit import audit
from budget_eval.platform.extensions import db


@bp.route("/<int:proposal_id>/self-assessment", methods=["GET", "POST"])
def self_assess(proposal_id: int):
    proposal = visible_proposal(proposal_id)
    record = proposal.self_assessment
    if record is None:
        abort(404)
    assessor = is_own_department(current_user, proposal) or is_commissioned_assessor(current_user, proposal)
    editable = assessor and proposal.state is Status.SELF_ASSESSMENT
    errors: dict | None = {}
    if request.method == "POST":
        if not assessor:
            abort(403)
        if not editable:
            flash(f"项目处于“{proposal.state_label}”阶段，自评不能再修改。", "warning")
            return back(proposal)
        errors = _save_self_assessment(proposal, record, request.form)
        if not errors:
            return back(proposal) if errors is None else redirect(url_for(".self_assess", proposal_id=proposal.id))
        flash("请修改标有“✕”提示的得分（光标已在第一处）。您填写的内容都已保留。", "danger")
    return render_template("assessments/self_assessment.html", proposal=proposal, record=record,
                           rules=self_assessment.rules_of(record), editable=editable,
                           errors=errors,
                           form=request.form if request.method == "POST" else None,
                           total=self_assessment.total(record), note_fields=self_assessment.NOTE_FIELDS)


def _save_self_assessment(proposal: Proposal, record, form) -> dict | None:
    """Save the scores and notes (commits) and submit them if asked. Returns the scores' problems if they cannot
    be saved, {} once saved, or None once submitted to the next step."""
    rules = self_assessment.rules_of(record)
    scores, _, problems = read_scores(form, rules.template)
    if problems:
        return dict(problems)
    notes = {d.code: {key: form.get(f"{key}-{d.code}", "")[:5000] for key in self_assessment.NOTE_FIELDS}
             for d in rules.template.dimensions}
    if self_assessment.save(record, scores, notes):
        audit("score", proposal.name, f"部门自评：保存（合计{self_assessment.total(record)}分）", current_user)
    db.session.commit()
    if form.get("action") != "submit":
        flash("自评已保存。", "success")
        return {}
    try:
        flash(actions.perform(proposal, "submit_self", current_user), "success")
        return None
    except WorkflowError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return {}
