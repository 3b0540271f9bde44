"""A reviewer's tasks: declare no conflict (or decline), score with the rubric in view, submit once."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from budget_eval.assessment.sheets import read_scores
from budget_eval.assessment.domain.scoring import comment_required
from budget_eval.platform.extensions import db
from budget_eval.assessment.models import PanelMember
from budget_eval.intake.domain.visibility import may_see_sheet
from budget_eval.platform.permissions import role_required
from budget_eval.assessment import panels as assessment
from budget_eval.assessment.panels import ReviewError
from budget_eval.assessment.decision_aids import aids_for

bp = Blueprint("reviews", __name__, url_prefix="/reviews")


@bp.get("/")
@role_required(*assessment.PANEL_ROLES)
def index():
    return render_template("reviews/index.html", tasks=assessment.reviewer_tasks(current_user))


def own_task(member_id: int) -> PanelMember:
    """Only the reviewer themself opens their task; anyone else gets 404."""
    member = db.session.get(PanelMember, member_id)
    if member is None or member.user_id != current_user.id:
        abort(404)
    return member


@bp.route("/<int:member_id>", methods=["GET", "POST"])
@role_required(*assessment.PANEL_ROLES)
def task(member_id: int):
    member = own_task(member_id)
    round_ = member.assessment
    proposal = round_.proposal
    rules = assessment.rules_of(round_)
    errors: dict[str, str] = {}
    form = None
    if request.method == "POST":
        step = request.form.get("step")
        try:
            if step == "declare":
                if assessment.conflict_of(current_user, proposal):
                    raise ReviewError(assessment.conflict_of(current_user, proposal))
                assessment.declare(member)
                flash("已声明无利益冲突，现在可以查看材料并评分。", "success")
            elif step == "decline":
                assessment.decline(member, request.form.get("reason", ""))
                flash("已回避本项目评审。", "info")
            elif step == "justify":
                assessment.justify(member, request.form.get("justification", ""))
                flash("已说明理由。", "success")
            elif step in ("save", "submit"):
                scores, comments, problems = read_scores(request.form, rules.template)
                if not problems:
                    problems = assessment.save_sheet(member, scores, comments, request.form.get("opinion", ""),
                                                     submit=step == "submit")
                if not problems:
                    flash("评分已提交，不能再修改。" if step == "submit" else "评分草稿已保存。", "success")
                    return redirect(url_for(".task", member_id=member.id))
                errors, form = dict(problems), request.form
                flash("请修改标红的地方。您填写的内容都已保留。", "danger")
            else:
                abort(400)
            if not errors:
                return redirect(url_for(".task", member_id=member.id))
        except ReviewError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return redirect(url_for(".task", member_id=member.id))
    cleared = member.status in ("accepted", "submitted")
    result = assessment.panel_result(round_) if member.status == "submitted" else None
    scores, comments = assessment.sheet_of(member)
    return render_template(
        "reviews/task.html", member=member, round_=round_, proposal=proposal, rules=rules, errors=errors,
        form=form, scores=scores, comments=comments, cleared=cleared, result=result,
        aids=aids_for(proposal, round_, None) if cleared else None,
        # blind scoring: others' sheets only once this reviewer has submitted their own
        others=[m for m in round_.members
                if m.id != member.id and m.status == "submitted" and may_see_sheet(current_user, m)],
        sheet_of=assessment.sheet_of, needs_comment=lambda s, i: s is not None and comment_required(s, i, rules.scoring),
    )
