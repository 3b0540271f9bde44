"""The random draw of a panel from the expert pool and the replacement of a drawn reviewer: the assessments
blueprint's routes for them (budget_eval/assessment/views.py holds the blueprint and the other steps)."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from budget_eval.assessment import draws
from budget_eval.assessment.models import PanelMember
from budget_eval.assessment.views import NOTE_LIMIT, bp, refused_on_panel, visible_proposal
from budget_eval.platform.extensions import db

MAX_DRAW = 15  # a sanity bound on the form (a panel is a handful of people), not a policy number


@bp.post("/<int:proposal_id>/assessment/draw")
def draw(proposal_id: int):
    """Draw the round's panel at random from the expert pool (by specialty and size)."""
    proposal = visible_proposal(proposal_id)
    round_ = proposal.current_assessment
    if round_ is None:
        abort(404)
    try:
        size = int(request.form.get("size", "").strip() or 0)
    except ValueError:
        size = 0
    try:
        if not 1 <= size <= MAX_DRAW:
            raise draws.PanelError(f"抽取人数应为1至{MAX_DRAW}的整数")
        record = draws.draw_panel(round_, proposal, request.form.get("specialty", ""), size, current_user)
        flash(f"已随机抽取{len(record.chosen)}名评审专家（随机种子{record.seed}），抽取记录已存档。", "success")
    except draws.PanelError as exc:
        db.session.rollback()
        return refused_on_panel(proposal_id, "draw", str(exc))
    return redirect(url_for(".panel", proposal_id=proposal.id))


@bp.post("/reviews/<int:member_id>/replace")
def replace(member_id: int):
    """Replace a reviewer who has not submitted by a new random draw; the reason is required and audited."""
    member = db.get_or_404(PanelMember, member_id)
    proposal_id = member.assessment.proposal_id
    name = member.user.display_name
    try:
        new = draws.replace(member, request.form.get("reason", "")[:NOTE_LIMIT], current_user)
        flash(f"已更换{name}，随机抽取{new.user.display_name}替补。", "success")
    except draws.PanelError as exc:
        db.session.rollback()
        return refused_on_panel(proposal_id, f"replace-{member_id}", str(exc))
    return redirect(url_for(".panel", proposal_id=proposal_id))
