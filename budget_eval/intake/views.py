"""Proposal intake: list, create, edit, submit (with screening), detail, attachments."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from budget_eval.intake.domain.intake import cost_table_problems, draft_problems, submission_problems
from budget_eval.intake.domain.screening import Outcome
from budget_eval.intake.domain.assessor import AssessorKind
from budget_eval.intake.domain.workflow import (FINAL, NEXT_ACTOR, REVIEWER_LABELS, stages, Status, STATUS_LABELS,
                                                TRANSITIONS, WorkflowError)
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.intake.models import Attachment, Proposal, ProposalEvent
from budget_eval.platform.models.department import Department
from budget_eval.intake.domain.visibility import hides_result_note
from budget_eval.intake.permissions import ROUTES, can_attach, can_edit_proposal, can_view_proposal
from budget_eval.platform.permissions import guard
from budget_eval.intake.forms import proposal_form
from budget_eval.intake.formdata import form_data
from budget_eval.intake.listing import LIST, ListFilters, proposal_query
from budget_eval.platform import datatable
from budget_eval.intake import attachments, operations as proposals, report_reviews, signals
from budget_eval.intake import actions
from budget_eval.intake.actions import actors_for
from budget_eval.intake.rules import counted_sources, intake_rules, screening_rules
from budget_eval.platform.downloads import send_download
from budget_eval.platform.lifecycle import lock

bp = Blueprint("proposals", __name__, url_prefix="/proposals")
guard(bp, ROUTES)


@bp.get("/")
def index():
    filters = ListFilters.from_args(request.args, current_user)
    query = proposal_query(filters).options(joinedload(Proposal.department))
    if datatable.exporting():
        return datatable.export_select(query, LIST)
    listing = datatable.from_select(query, LIST, args=filters.args())
    departments = []
    if current_user.is_finance:
        departments = db.session.execute(select(Department.id, Department.name).order_by(Department.name)).all()
    return render_template(
        "proposals/index.html",
        listing=listing,
        waiting=_waiting_for_me(),
        filters=filters,
        departments=departments,
        categories=screening_rules().categories,
        statuses=STATUS_LABELS,
        outcomes=list(Outcome),
    )


# the review steps of another unit's proposal (as its parent unit or sector authority) a department's staff take
REVIEW_ACTIONS = frozenset({"authority_approve", "authority_return", "sector_pass", "sector_return"})


def _waiting_for_me() -> list[tuple[Proposal, list[str]]]:
    """待我审核: the overseen units' proposals whose review this department's staff may take now, with the steps."""
    if current_user.role_enum is not Role.DEPARTMENT or current_user.department_id is None:
        return []
    query = proposal_query(ListFilters(own_department=current_user.department_id)).where(
        Proposal.status.in_([Status.AUTHORITY_REVIEW.value, Status.REPORT_REVIEW.value]),
        Proposal.department_id != current_user.department_id)
    found = []
    for proposal in db.session.scalars(query.options(joinedload(Proposal.department))):
        steps = [t.label for t in actions.offered(proposal, actors_for(current_user, proposal))
                 if t.action in REVIEW_ACTIONS]
        if steps:
            found.append((proposal, steps))
    return found


@bp.route("/new", methods=["GET", "POST"])
def new():
    if current_user.department_id is None:
        abort(403)
    proposal = Proposal(department_id=current_user.department_id)
    return _edit(proposal, creating=True)


@bp.route("/<int:proposal_id>/edit", methods=["GET", "POST"])
def edit(proposal_id: int):
    proposal = _visible_proposal(proposal_id)
    if not can_edit_proposal(current_user, proposal):
        flash(f"项目处于“{Status(proposal.status).label}”阶段，不能修改。", "warning")
        return redirect(url_for(".detail", proposal_id=proposal.id))
    return _edit(proposal, creating=False)


def _edit(proposal: Proposal, *, creating: bool):
    intake, rules = intake_rules(), screening_rules()
    if request.method == "POST":
        form = proposal_form(intake, rules)
    else:
        form = proposal_form(intake, rules, data=form_data(proposal, creating=creating))
    if form.validate_on_submit():
        draft = form.to_draft()
        submitting = request.form.get("action") == "submit"
        problems = submission_problems(draft, intake, counted_sources(rules)) if submitting \
            else draft_problems(draft, intake)
        economy = form.economy
        problems += cost_table_problems(draft, [b.code for b in economy.cost_bases],
                                        [b.code for b in economy.cost_bases if b.needs_document], complete=submitting)
        if not problems:
            if submitting and proposal.in_rework:
                # checked as a submission, saved; the adjustment is submitted with its 修改说明 (or the corrected
                # report sent again) from the proposal page. The row is locked: no save after a submission.
                lock(proposal)
                if not proposal.in_rework:
                    db.session.rollback()
                    flash(f"项目已进入“{proposal.state_label}”阶段，修改未保存。", "warning")
                    return redirect(url_for(".detail", proposal_id=proposal.id))
                proposals.save_draft(proposal, draft, current_user)
                flash("修改已保存。" + ("请在“调整完善说明”页逐条回应评估意见并填写修改说明后提交。"
                                     if proposal.is_revising else "补正完成后请在项目页面重新报送审核。"),
                      "success")
            elif submitting:
                result = proposals.submit(proposal, draft, current_user, rules)
                flash(f"项目已提交。事前绩效评估范围判定：{result.outcome.label}。", "success")
            else:
                proposals.save_draft(proposal, draft, current_user)
                flash("草稿已保存。提交前仍可修改，也可上传附件。", "success")
            return redirect(url_for(".detail", proposal_id=proposal.id))
        form.add_problems(problems)
    elif form.is_submitted() and request.form.get("action") == "submit":
        _all_problems_at_once(form, intake, rules)
    if form.is_submitted():
        flash("表单有需要修改的地方，请查看标有“✕”的提示（光标已在第一处）。您填写的内容都已保留。", "danger")
    return _form_page(form, proposal, creating, intake, rules)


def _all_problems_at_once(form, intake, rules) -> None:
    """A submission refused by the form's own checks also gets the submission's checks on what could be read,
    each on a field not already in error: every error in one pass, never a second round after the first is put
    right. When the draft cannot be read at all (a bad year in a table), the form's errors stand alone."""
    try:
        draft = form.to_draft()
        problems = submission_problems(draft, intake, counted_sources(rules))
    except (ValueError, TypeError, ArithmeticError):  # a row half read (a year without its amount)
        return

    def clear(key: str) -> bool:
        try:
            field = form._field_at(key)
        except (KeyError, IndexError, ValueError):
            return False
        return not [e for e in field.errors if isinstance(e, str)] if hasattr(field, "errors") else True

    form.add_problems([(key, message) for key, message in problems if clear(key)])


def _form_page(form, proposal: Proposal, creating: bool, intake, rules):
    counted = counted_sources(rules)
    return render_template("proposals/form.html", form=form, proposal=proposal, creating=creating, intake=intake,
                           counted_codes=counted,
                           counted_labels=[s.label for s in intake.funding_sources if s.code in counted]),\
        200 if not form.is_submitted() else 422


@bp.get("/<int:proposal_id>")
def detail(proposal_id: int):
    proposal = _visible_proposal(
        proposal_id,
        selectinload(Proposal.fund_years),
        selectinload(Proposal.sources),
        selectinload(Proposal.targets),
        selectinload(Proposal.attachments),
        selectinload(Proposal.screenings),
        selectinload(Proposal.events).joinedload(ProposalEvent.user),
    )
    actors = actors_for(current_user, proposal)
    state = Status(proposal.status)
    blinded = signals.is_blinded(proposal, current_user)  # blind review: nothing of any round before own sheet
    return render_template(
        "proposals/detail.html", proposal=proposal, links=signals.links(proposal, current_user),
        reviews=proposal.report_reviews, pending_reviews=report_reviews.pending(proposal),
        reviewer_labels=REVIEWER_LABELS, assessor=assessor_of(proposal),
        hide_note=lambda event: hides_result_note(event, blinded),
        editable=can_edit_proposal(current_user, proposal),
        attachable=can_attach(current_user, proposal),
        intake=intake_rules(), state=state, next_actor=NEXT_ACTOR[state],
        actions=actions.offered(proposal, actors), final_states=FINAL,
        stages=stages(state, needs_assessment=None if proposal.latest_screening is None else
                      proposal.latest_screening.outcome == Outcome.REQUIRED,
                      parent_review=proposal.department.authority_id is not None,
                      revised=any(e.to_status == Status.REVISING.value for e in proposal.events)),
        result_sections=signals.result_sections(proposal, current_user, blinded),
    )


@bp.post("/<int:proposal_id>/act/<action>")
def act(proposal_id: int, action: str):
    """Take a step of the proposal's lifecycle from its page, through the step's registered handler."""
    proposal = _visible_proposal(proposal_id)
    if not actions.registered(action):
        abort(404)
    if not TRANSITIONS[action].actors & actors_for(current_user, proposal):
        abort(403)  # not this user's step at all; a wrong moment is explained on the page instead
    try:
        flash(actions.perform(proposal, action, current_user, request.form.get("reason", "")), "success")
    except WorkflowError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
    return redirect(url_for(".detail", proposal_id=proposal.id))


@bp.post("/<int:proposal_id>/attachments")
def upload(proposal_id: int):
    proposal = _visible_proposal(proposal_id)
    if not can_attach(current_user, proposal):
        abort(403)
    file = request.files.get("file")
    if file is None or not file.filename:
        flash("请选择要上传的文件。", "warning")
    else:
        try:
            attachments.store(proposal, file.stream, file.filename, current_user)
            flash(f"已上传“{attachments.clean_filename(file.filename)}”。", "success")
        except attachments.AttachmentError as exc:
            flash(f"上传失败：{exc}", "danger")
    return redirect(url_for(".detail", proposal_id=proposal.id) + "#attachments")


@bp.get("/attachments/<int:attachment_id>")
def download(attachment_id: int):
    attachment = _visible_attachment(attachment_id)
    return send_download(attachments.storage_path(attachment.storage_key), attachment.filename,
                         attachments.mimetype(attachment.filename))


@bp.post("/attachments/<int:attachment_id>/delete")
def delete_attachment(attachment_id: int):
    attachment = _visible_attachment(attachment_id)
    proposal_id = attachment.proposal_id
    if not can_attach(current_user, attachment.proposal):
        abort(403)
    name = attachment.filename
    attachments.remove(attachment, current_user)
    flash(f"已删除“{name}”。", "info")
    return redirect(url_for(".detail", proposal_id=proposal_id) + "#attachments")


def assessor_of(proposal: Proposal) -> str:
    """The assessor of record as the proposal page shows it."""
    if proposal.assessor_kind is None:
        return "未确定（财政局受理后在材料审查页确定）"
    kind = AssessorKind(proposal.assessor_kind)
    if kind is AssessorKind.THIRD_PARTY:
        return f"{kind.label}：{proposal.assessor_agency}（委托合同编号 {proposal.assessor_contract}）"
    return kind.label


def _visible_proposal(proposal_id: int, *options) -> Proposal:
    """The proposal if this user may see it; 404 otherwise, so ids of others cannot be probed."""
    proposal = db.session.scalar(select(Proposal).where(Proposal.id == proposal_id).options(*options))
    if proposal is None or not can_view_proposal(current_user, proposal):
        abort(404)
    return proposal


def _visible_attachment(attachment_id: int) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or not can_view_proposal(current_user, attachment.proposal):
        abort(404)
    return attachment

