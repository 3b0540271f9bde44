"""A reviewer's tasks: declare no conflict (or decline), score with the rubric in view, submit once."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from budget_eval.assessment.sheets import read_scores
from budget_eval.assessment.domain.scoring import comment_required
from budget_eval.platform.extensions import db
from budget_eval.assessment.models import Assessment, PanelMember
from budget_eval.intake.models import Proposal
from budget_eval.assessment.domain.visibility import may_see_sheet
from budget_eval.assessment import panels as assessment
from budget_eval.assessment.panels import ReviewError
from budget_eval.assessment.draws import pledge_now
from budget_eval.assessment.decision_aids import aids_for
from budget_eval.assessment.domain.states import CLEARED, REVIEWER, SHEET
from budget_eval.assessment.permissions import ROUTES
from budget_eval.platform import datatable
from budget_eval.platform.permissions import guard

bp = Blueprint("reviews", __name__, url_prefix="/reviews")
guard(bp, ROUTES)


TASKS = datatable.Spec("我的评审任务", (
    datatable.Col("proposal", "项目", lambda m: m.assessment.proposal.name, sort=Proposal.name),
    datatable.Col("round", "轮次", lambda m: m.assessment.round, sort=Assessment.round, kind="integer"),
    datatable.Col("deadline", "期限", lambda m: m.assessment.deadline, sort=Assessment.deadline),
    datatable.Col("state", "我的状态", lambda m: m.state_label, sort=PanelMember.status),
), tiebreak=PanelMember.id, search=(Proposal.name,), search_hint="项目名称")


@bp.get("/")
def index():
    tasks = assessment.reviewer_tasks(current_user)
    if datatable.exporting():
        return datatable.export_select(tasks, TASKS)
    return render_template("reviews/index.html", listing=datatable.from_select(tasks, TASKS))


def own_task(member_id: int) -> PanelMember:
    """Only the reviewer themself opens their task; anyone else gets 404."""
    member = db.session.get(PanelMember, member_id)
    if member is None or member.user_id != current_user.id:
        abort(404)
    return member


@bp.route("/<int:member_id>", methods=["GET", "POST"])
def task(member_id: int):
    member = own_task(member_id)
    if request.method == "POST":
        try:
            problems = _act(member, request.form.get("step"), request.form)
        except ReviewError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return redirect(url_for(".task", member_id=member.id))
        if problems:
            flash("请修改标有“✕”提示的地方（光标已在第一处）。您填写的内容都已保留。", "danger")
            return _page(member, dict(problems), request.form)
        return redirect(url_for(".task", member_id=member.id))
    return _page(member)


def _act(member: PanelMember, step: str | None, form) -> list:
    """One step of the reviewer's task; returns the problems of a sheet that could not be saved (or [])."""
    if step == "declare":
        if form.get("agree") != "yes":
            raise ReviewError("请勾选“本人已阅读上述承诺……同意签署”后再签署")
        if conflict := assessment.conflict_of(current_user, member.assessment.proposal):
            raise ReviewError(conflict)
        assessment.declare(member)
        flash("已签署回避与保密承诺，现在可以查看材料并评分。", "success")
    elif step == "decline":
        assessment.decline(member, form.get("reason", ""))
        flash("已回避本项目评审。", "info")
    elif step == "justify":
        assessment.justify(member, form.get("justification", ""))
        flash("已说明理由。", "success")
    elif step in ("save", "submit"):
        return _save(member, form, submit=step == "submit")
    else:
        abort(400)
    return []


def _save(member: PanelMember, form, submit: bool) -> list:
    scores, comments, problems = read_scores(form, assessment.rules_of(member.assessment).template)
    if not problems:
        problems = assessment.save_sheet(member, scores, comments, form.get("opinion", ""), submit=submit)
    if not problems:
        flash("评分已提交，不能再修改。" if submit else "评分草稿已保存。", "success")
    return problems


def _page(member: PanelMember, errors: dict | None = None, form=None):
    round_, rules = member.assessment, assessment.rules_of(member.assessment)
    proposal = round_.proposal
    cleared = member.state in CLEARED
    scores, comments = assessment.sheet_of(member)
    return render_template(
        "reviews/task.html", member=member, round_=round_, proposal=proposal, rules=rules, errors=errors or {},
        form=form, scores=scores, comments=comments, cleared=cleared,
        result=assessment.panel_result(round_) if member.is_submitted else None,
        actions=SHEET.actions(member.status, REVIEWER), pledge=pledge_now(),
        aids=aids_for(proposal, round_, None) if cleared else None,
        # blind scoring: others' sheets only once this reviewer has submitted their own
        others=[m for m in round_.members
                if m.id != member.id and m.is_submitted and may_see_sheet(current_user, m)],
        sheet_of=assessment.sheet_of, needs_comment=lambda s, i: s is not None and comment_required(s, i, rules.scoring),
    )
