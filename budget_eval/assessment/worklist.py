"""The assessment's part of the 工作台 (platform/worklist.py): panel seats and rounds waiting for someone.

A reviewer or expert: their seats on open rounds not yet signed (待签承诺) or not yet scored (待评分), with the
round's deadline; the seat's page is their own (reviews.task). The 财政管理员: proposals in 财政评估 whose current
round has nobody on its panel (待组建评审组), or whose sheets are all in and enough (待出结论). Two queries each.
"""
from __future__ import annotations

from flask import url_for
from sqlalchemy import select, text
from sqlalchemy.orm import joinedload, selectinload

from budget_eval.assessment.domain.states import OFF_PANEL, RoundStatus, SheetStatus, SHEETS_IN, UNSEATED, WAITING
from budget_eval.assessment.models import Assessment, PanelMember
from budget_eval.assessment.permissions import PANEL_ROLES
from budget_eval.assessment.rules import rules_of
from budget_eval.intake.domain.workflow import Status
from budget_eval.intake.models import Proposal
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.platform.notifications import link, Notice
from budget_eval.platform.worklist import Entry, shown

SEAT_HEADINGS = {SheetStatus.ASSIGNED: "待签承诺", SheetStatus.ACCEPTED: "待评分"}


def _seats(user) -> list[Entry]:
    seats = db.session.scalars(
        select(PanelMember).join(Assessment).where(
            PanelMember.user_id == user.id, PanelMember.status.in_([s.value for s in WAITING]),
            Assessment.status == RoundStatus.OPEN.value)
        .order_by(Assessment.deadline, PanelMember.id).limit(2 * (shown() + 1))  # two headings
        .options(joinedload(PanelMember.assessment).joinedload(Assessment.proposal).joinedload(Proposal.department)))
    return [Entry(SEAT_HEADINGS[SheetStatus(m.status)], m.assessment.proposal.name,
                  url_for("reviews.task", member_id=m.id), stage=f"第{m.assessment.round}轮评审",
                  detail=m.assessment.proposal.department.name, deadline=m.assessment.deadline,
                  order=1 if m.status == SheetStatus.ASSIGNED else 2) for m in seats]


def _ready(round_: Assessment) -> bool:
    """Every sheet in, and at least the rules' minimum of them."""
    if any(SheetStatus(m.status) in WAITING for m in round_.members):
        return False
    return sum(1 for m in round_.members if m.status == SheetStatus.SUBMITTED) >= rules_of(round_).scoring.min_reviewers


def _rounds(user) -> list[Entry]:
    """Open rounds nobody sits on, and open rounds with no sheet still out and one in (whether enough are in is the
    round's rules': checked below), at most shown() + 1 of each, found in SQL from the round's stored seat counts
    (assessment/seat_counts.py), each list read in deadline order from its own partial index (models.py)."""
    ids = [i for condition in (UNSEATED, SHEETS_IN) for i in db.session.scalars(
        select(Assessment.proposal_id).where(text(condition))
        .order_by(Assessment.deadline, Assessment.id).limit(shown() + 1))]
    proposals = db.session.scalars(
        select(Proposal).where(Proposal.status == Status.FINANCE_REVIEW.value, Proposal.id.in_(ids))
        .options(joinedload(Proposal.department),
                 selectinload(Proposal.assessments).selectinload(Assessment.members))).unique()
    found = []
    for proposal in proposals:
        round_ = proposal.current_assessment
        if round_ is None or round_.status != RoundStatus.OPEN:
            continue
        seated = [m for m in round_.members if SheetStatus(m.status) not in OFF_PANEL]
        heading = "待组建评审组" if not seated else ("待出结论" if _ready(round_) else "")
        if heading:
            found.append(Entry(heading, proposal.name, url_for("assessments.panel", proposal_id=proposal.id),
                               stage=f"第{round_.round}轮评审", detail=proposal.department.name,
                               deadline=round_.deadline, order=30 if not seated else 31))
    return found


def assessment_waiting(user) -> list[Entry]:
    role = user.role_enum
    found = _seats(user) if role in PANEL_ROLES else []
    if role is Role.ADMIN:
        found += _rounds(user)
    return found


def seat_notices(member: PanelMember, action, before, after, user) -> list[Notice]:
    """A new seat on a panel: its holder is told (the platform's state_changed receiver writes it)."""
    if action != "create":
        return []
    round_ = member.assessment
    return [Notice((member.user_id,), f"您被指定为“{round_.proposal.name}”第{round_.round}轮评审人，"
                   "请签署回避与保密承诺后评分。", link("reviews.task", member_id=member.id))]
