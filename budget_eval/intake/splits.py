"""疑似拆分 (issue 26): at screening (submission) and at acceptance, a proposal and others of its department within
the window of rules/economy.yaml, alike in name, place, purpose or output targets, each under the art. 5
threshold and together at or over it, are flagged with the evidence; an admin decides once (assess together, or
not, with the reason), audited. The rule is intake/domain/splitting.py."""
from __future__ import annotations

from datetime import date

from flask import abort, Blueprint, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from budget_eval.intake.domain.splitting import Item, suspected_splits
from budget_eval.intake.domain.workflow import PROPOSAL, Status
from budget_eval.intake.models import Proposal, SplitFlag
from budget_eval.intake.permissions import can_view_proposal, ROUTES
from budget_eval.intake.rules import economy_rules, screening_rules
from budget_eval.platform.audit import audit
from budget_eval.platform.domain.roles import FINANCE_ROLES
from budget_eval.platform.extensions import db
from budget_eval.platform.models.types import utcnow
from budget_eval.platform.permissions import guard
from budget_eval.platform.signals import state_changed

SCREENING, ACCEPTANCE = "screening", "acceptance"
STAGE_LABELS = {SCREENING: "提交筛查时", ACCEPTANCE: "受理时"}
DECISIONS = {"together": "合并评估", "apart": "不合并评估"}

bp = Blueprint("splits", __name__)
guard(bp, ROUTES)


def _item(p: Proposal, threshold) -> Item:
    screening = p.latest_screening
    amount = screening.fiscal_total_wan if screening is not None else p.fiscal_total_wan
    on = (p.submitted_at or p.created_at or utcnow()).date()
    return Item(p.id, p.department_id, p.name, on, amount, threshold, f"{p.basis_text}\n{p.plan_text}",
                tuple(t.name for t in p.targets if t.level1 == _output_level()))


def _output_level() -> str:
    from budget_eval.intake.rules import intake_rules

    return intake_rules().smart_output_level


def check(proposal: Proposal, stage: str) -> SplitFlag | None:
    """Flag the proposal at this stage when it forms a suspected split (not committed); an undecided flag of the
    same stage is brought up to date, a decided one is kept as decided."""
    if not proposal.category:
        return None
    try:
        threshold = screening_rules().category(proposal.category).threshold_wan
    except KeyError:
        return None
    others = db.session.scalars(
        select(Proposal).where(Proposal.department_id == proposal.department_id, Proposal.id != proposal.id,
                               Proposal.status != Status.DRAFT.value)
        .options(selectinload(Proposal.screenings), selectinload(Proposal.targets))).all()
    group = suspected_splits(_item(proposal, threshold), [_item(o, threshold) for o in others],
                             economy_rules().splitting.rule())
    if group is None:
        return None
    flag = next((f for f in proposal.split_flags if f.stage == stage), None)
    if flag is None:
        flag = SplitFlag(proposal=proposal, stage=stage, reason="")
        db.session.add(flag)
    elif flag.decision is not None:
        return flag
    flag.group_ids, flag.total_wan, flag.threshold_wan = list(group.ids), group.total_wan, group.threshold_wan
    flag.evidence = list(group.evidence)
    return flag


@state_changed.connect
def _on_state_changed(lifecycle, row=None, action="", before=None, after=None, **_) -> None:
    if lifecycle is not PROPOSAL or not isinstance(row, Proposal):
        return
    if after in (Status.SUBMITTED, Status.NOT_ASSESSED, Status.SUBMITTED.value, Status.NOT_ASSESSED.value):  # screened
        check(row, SCREENING)
    elif action == "accept":
        check(row, ACCEPTANCE)


def flags_for(proposal: Proposal) -> list[SplitFlag]:
    """The flags finance sees on the proposal page."""
    if not current_user.is_authenticated or current_user.role not in FINANCE_ROLES:
        return []
    return list(proposal.split_flags)


def group_names(flag: SplitFlag) -> list[tuple[int, str]]:
    rows = db.session.execute(select(Proposal.id, Proposal.name).where(Proposal.id.in_(flag.group_ids))).all()
    return sorted((r.id, r.name) for r in rows)


@bp.post("/proposals/<int:proposal_id>/split/<int:flag_id>")
def decide(proposal_id: int, flag_id: int):
    """An admin decides a flag once: assess together, or not with the reason (compare-and-set: a second
    decision at once finds it decided)."""
    flag = db.session.get(SplitFlag, flag_id)
    if flag is None or flag.proposal_id != proposal_id or not can_view_proposal(current_user, flag.proposal):
        abort(404)
    back = redirect(url_for("proposals.detail", proposal_id=proposal_id) + "#split-flags")
    decision, reason = request.form.get("decision", ""), request.form.get("reason", "").strip()[:2000]
    if decision not in DECISIONS:
        flash("请选择合并评估或不合并评估", "danger")
        return back
    if decision == "apart" and not reason:
        flash("选择不合并评估时，请写明理由", "danger")
        return back
    done = db.session.execute(update(SplitFlag).where(SplitFlag.id == flag.id, SplitFlag.decision.is_(None)).values(
        decision=decision, reason=reason, decided_by_id=current_user.id, decided_at=utcnow()))
    if done.rowcount != 1:
        db.session.rollback()
        flash("该事项已由他人处理，请刷新后查看。", "warning")
        return back
    audit("split", flag.proposal.name, f"疑似拆分（{STAGE_LABELS.get(flag.stage, flag.stage)}）处理：{DECISIONS[decision]}"
          + (f"，理由：{reason}" if reason else ""), current_user)
    db.session.commit()
    flash(f"已记录：{DECISIONS[decision]}。", "success")
    return back


def splits_waiting(user) -> list:
    """The 工作台's undecided 疑似拆分 flags, for admins (one query)."""
    from budget_eval.platform.domain.roles import Role
    from budget_eval.platform.worklist import Entry

    if getattr(user, "role", None) != Role.ADMIN:
        return []
    flags = db.session.scalars(select(SplitFlag).where(SplitFlag.decision.is_(None))
                               .options(selectinload(SplitFlag.proposal).selectinload(Proposal.department))
                               .order_by(SplitFlag.id)).all()
    return [Entry("疑似拆分待处理", f.proposal.name,
                  url_for("proposals.detail", proposal_id=f.proposal_id) + "#split-flags",
                  stage=STAGE_LABELS.get(f.stage, f.stage) + "发现", detail=f.proposal.department.name, order=90)
            for f in flags]
