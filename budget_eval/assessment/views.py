"""The assessment of a proposal: materials check, self-assessment, panel and conclusion (its steps on the proposal
page: proposal_steps, taken through intake's proposals.act)."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from budget_eval.platform.domain.money import MoneyError, parse_wan
from budget_eval.platform.domain.roles import FINANCE_ROLES
from budget_eval.intake import actions
from budget_eval.intake.domain.workflow import Status, WorkflowError
from budget_eval.platform.extensions import db
from budget_eval.platform.kept import NOTHING, Kept
from budget_eval.assessment.models import MaterialItem, PanelMember
from budget_eval.intake.models import Proposal
from budget_eval.platform.models.user import User
from budget_eval.platform.models.types import utcnow
from budget_eval.intake.domain.assessor import AssessorKind
from budget_eval.intake.permissions import can_view_proposal, is_own_department
from budget_eval.assessment.permissions import ROUTES
from budget_eval.platform.permissions import guard
from budget_eval.platform.request_input import ids_from
from budget_eval.assessment import panels as assessment, route_records, self_assessment
from budget_eval.assessment.panels import ReviewError
from budget_eval.assessment.decision_aids import aids_for
from budget_eval.assessment import materials as materials_ops
from budget_eval.assessment.domain.states import ADMIN, MATERIAL_LABELS, SHEET
from budget_eval.assessment import draws
from budget_eval.assessment.rules import expert_rules

bp = Blueprint("assessments", __name__, url_prefix="/proposals")
guard(bp, ROUTES)
NOTE_LIMIT = 2000


def visible_proposal(proposal_id: int) -> Proposal:
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or not can_view_proposal(current_user, proposal):
        abort(404)
    return proposal


def back(proposal: Proposal, anchor: str = ""):
    return redirect(url_for("proposals.detail", proposal_id=proposal.id) + anchor)


@bp.route("/<int:proposal_id>/materials", methods=["GET", "POST"])
def materials(proposal_id: int):
    proposal = visible_proposal(proposal_id)
    finance = current_user.role_enum in FINANCE_ROLES
    if request.method == "POST":  # finance only (assessment.permissions.ROUTES)
        changes = {item.id: (request.form.get(f"status-{item.id}", item.status),
                             request.form.get(f"note-{item.id}", item.note),
                             _file_id(request.form.get(f"file-{item.id}", item.attachment_id)))
                   for item in proposal.materials}
        try:
            materials_ops.record_check(proposal, changes, current_user)
            flash("材料审查情况已保存。", "success")
        except WorkflowError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        return redirect(url_for(".materials", proposal_id=proposal.id))
    return render_template("assessments/materials.html", proposal=proposal, statuses=MATERIAL_LABELS,
                           editable=finance and Status(proposal.status) is Status.MATERIALS,
                           assessor_editable=finance and proposal.state in route_records.ASSESSOR_STATES,
                           kinds=list(AssessorKind), staff=route_records.agency_staff(), errors={}, form=None)


def _file_id(value) -> int | None:
    """The attachment chosen for a material row (its id as the select sends it; blank or junk: none)."""
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


@bp.post("/<int:proposal_id>/assessor")
def assessor(proposal_id: int):
    """Finance records the assessor of record (art. 2) before the self-assessment begins."""
    proposal = visible_proposal(proposal_id)
    form = request.form
    try:
        problems = route_records.designate(proposal, form.get("kind", ""), form.get("agency", "")[:200],
                                           form.get("contract", "")[:100], ids_from(form.getlist("staff")),
                                           current_user)
    except WorkflowError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for(".materials", proposal_id=proposal.id))
    if problems:
        db.session.rollback()
        flash("评估主体未保存，请查看标红的提示。您填写的内容都已保留。", "danger")
        return render_template("assessments/materials.html", proposal=proposal, statuses=MATERIAL_LABELS,
                               editable=Status(proposal.status) is Status.MATERIALS, assessor_editable=True,
                               kinds=list(AssessorKind), staff=route_records.agency_staff(), errors=dict(problems),
                               form=form), 422
    flash(f"评估主体已确定：{AssessorKind(proposal.assessor_kind).label}。", "success")
    return redirect(url_for(".materials", proposal_id=proposal.id))


@bp.route("/<int:proposal_id>/adjustment", methods=["GET", "POST"])
def adjustment(proposal_id: int):
    """The department answers each opinion of a 调整完善 conclusion and submits the adjustment; all see it after."""
    proposal = visible_proposal(proposal_id)
    round_ = route_records.answered_round(proposal)
    if round_ is None or not (proposal.adjustment_responses or proposal.is_revising):
        abort(404)
    editable = is_own_department(current_user, proposal) and proposal.is_revising
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not is_own_department(current_user, proposal):
            abort(403)
        points = route_records.opinions(round_)
        answers = [(request.form.get(f"change-{n}", ""), request.form.get(f"where-{n}", ""))
                   for n in range(len(points))]
        try:
            errors = route_records.respond(proposal, answers, request.form.get("explanation", ""), current_user)
        except WorkflowError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return back(proposal)
        if not errors:
            flash("调整完善情况已提交，待财政局确认。", "success")
            return back(proposal)
        db.session.rollback()
        flash("调整完善说明有需要修改的地方，请查看标红的提示。您填写的内容都已保留。", "danger")
    return render_template("assessments/adjustment.html", proposal=proposal, round_=round_,
                           points=route_records.opinions(round_), editable=editable, errors=errors,
                           form=request.form if request.method == "POST" else None,
                           changed=route_records.changes_since(proposal, round_) if editable else [],
                           responses=proposal.adjustment_responses), 422 if errors else 200


@bp.post("/<int:proposal_id>/materials/<int:item_id>/waive")
def waive(proposal_id: int, item_id: int):
    proposal = visible_proposal(proposal_id)
    item = db.session.get(MaterialItem, item_id)
    if item is None or item.proposal_id != proposal.id:
        abort(404)
    try:
        materials_ops.waive(proposal, item, request.form.get("reason", ""), current_user)
        flash(f"已豁免“{item.label}”。", "success")
    except WorkflowError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
    return redirect(url_for(".materials", proposal_id=proposal.id))


@bp.get("/<int:proposal_id>/assessment")
def panel(proposal_id: int):
    proposal = visible_proposal(proposal_id)
    round_ = proposal.current_assessment
    if round_ is None:
        flash("该项目尚未进入财政评估。", "warning")
        return back(proposal)
    return panel_page(proposal, round_)


def panel_page(proposal, round_, concluding: dict | None = None, errors: dict | None = None, kept: Kept = NOTHING,
               record_errors: dict | None = None, record_form=None):
    """The panel page; `concluding` is what was typed in the conclusion form when it is sent back with `errors`,
    `kept` what was typed in another of its forms (draw, assign, reopen, replace) when that one was refused,
    `record_errors`/`record_form` the same for the methods and procedure records."""
    rules = assessment.rules_of(round_)
    result = assessment.panel_result(round_)
    present = {m.user_id for m in round_.members}
    candidates = [
        (user, assessment.conflict_of(user, proposal))
        for user in db.session.scalars(select(User).where(User.role.in_(assessment.PANEL_ROLES), User.active)
                                       .order_by(User.role, User.username))
        if user.id not in present
    ]
    experts = expert_rules()
    return render_template(
        "assessments/panel.html", proposal=proposal, round_=round_, rules=rules, result=result,
        candidates=candidates, blockers=assessment.conclusion_blockers(round_, result),
        expert_rules=experts, draws=[draws.describe(d) for d in round_.draws],
        drawn=any(d.kind == "draw" for d in round_.draws),
        admin_actions=lambda m: SHEET.actions(m.status, ADMIN),
        aids=aids_for(proposal, round_, result), sheets={m.id: assessment.sheet_of(m) for m in round_.members},
        self_record=proposal.self_assessment,
        self_scores=self_assessment.scores(proposal.self_assessment) if proposal.self_assessment else {},
        concluding=concluding or {}, conclude_errors=errors or {}, kept=kept,
        record_errors=record_errors or {}, record_form=record_form, corrections=assessment.correction_points(round_, result),
        method_list=rules.scoring.methods, step_list=rules.scoring.procedure_steps,
    )


@bp.post("/<int:proposal_id>/assessment/panel")
def assign(proposal_id: int):
    proposal = visible_proposal(proposal_id)
    round_ = proposal.current_assessment
    if round_ is None:
        abort(404)
    ids = ids_from(request.form.getlist("user_id"))
    chosen = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    users = [chosen[i] for i in dict.fromkeys(ids) if i in chosen]  # in the order chosen, on every database
    try:
        deadline = date.fromisoformat(request.form["deadline"]) if request.form.get("deadline") else None
        added = assessment.assign(round_, proposal, users, deadline, current_user,
                                  reason=request.form.get("reason", "")[:NOTE_LIMIT])
        flash(f"已手工添加{added}名评审人，理由已记录。" if added else "评审组未变化（所选人员已在评审组中）。" if users
              else "评审期限已更新。", "success")
    except (ReviewError, ValueError) as exc:
        db.session.rollback()
        return refused_on_panel(proposal_id, "assign",
                                str(exc) if isinstance(exc, ReviewError) else "期限日期格式应为 2027-01-31")
    return redirect(url_for(".panel", proposal_id=proposal.id))


@bp.post("/<int:proposal_id>/assessment/conclude")
def conclude(proposal_id: int):
    proposal = visible_proposal(proposal_id)
    round_ = proposal.current_assessment
    if round_ is None:
        abort(404)
    typed = {k: request.form.get(k, "") for k in ("opinion", "problems", "suggestions", "recommended_wan")}
    errors = {}  # every error of the form at once, each on its field
    if not typed["opinion"].strip():
        errors["opinion"] = "请填写评估意见"
    try:
        recommended = parse_wan(typed["recommended_wan"])
    except MoneyError as exc:
        recommended, errors["recommended_wan"] = None, f"建议安排资金：{exc}"
    if recommended is not None and recommended > proposal.fiscal_total_wan:
        errors["recommended_wan"] = "建议安排资金不能超过申请资金"
    try:
        if not errors:
            assessment.conclude(proposal, round_, current_user, typed["opinion"], typed["problems"],
                                typed["suggestions"], recommended)
            flash(f"已出具评估结论：{round_.conclusion_label}。", "success")
            return back(proposal)
    except WorkflowError as exc:
        db.session.rollback()
        errors["form"] = str(exc)
    flash(errors.get("form") or "评估结论未出具，请按提示修改。", "danger")
    return panel_page(proposal, proposal.current_assessment, typed, errors)


def refused_on_panel(proposal_id: int, key: str, message: str):
    """A panel form refused: the page again (200) with what was typed in it and the message on it."""
    flash(message, "danger")
    proposal = visible_proposal(proposal_id)
    return panel_page(proposal, proposal.current_assessment, kept=Kept(key, request.form, message)) \
        if proposal.current_assessment else redirect(url_for(".panel", proposal_id=proposal_id))


@bp.post("/reviews/<int:member_id>/reopen")
def reopen(member_id: int):
    member = db.get_or_404(PanelMember, member_id)
    proposal_id = member.assessment.proposal_id
    try:
        assessment.reopen(member, current_user, request.form.get("reason", ""))
        flash(f"已重新打开{member.user.display_name}的评分，原评分已存档。", "success")
    except ReviewError as exc:
        db.session.rollback()
        return refused_on_panel(proposal_id, f"reopen-{member_id}", str(exc))
    return redirect(url_for(".panel", proposal_id=proposal_id))
