"""Executive meetings (市政府常务会议): bundle concluded projects, record each decision and amount."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from budget_eval.platform.domain.money import format_money
from budget_eval.intake.domain.workflow import Status, WorkflowError
from budget_eval.platform.extensions import db
from budget_eval.meetings.models import Meeting, MeetingItem
from budget_eval.intake.models import Proposal
from budget_eval.platform.models.user import User
from budget_eval.platform.models.types import utcnow
from budget_eval.assessment.panels import rules_of
from budget_eval.intake.actions import transition
from budget_eval.meetings.domain.states import Decision, DECISION_LABELS, MEETING_ITEM
from budget_eval.platform.domain.lifecycle import Conflict
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.lifecycle import apply, lock

DECISIONS = {d.value: label for d, label in DECISION_LABELS.items() if d is not Decision.PENDING}
KINDS = {"executive": "市政府常务会议", "mayor": "市长办公会议"}
ORDERS = {"score": "按评估得分从高到低", "amount": "按申请资金从大到小", "department": "按申报部门"}


def eligible() -> list[Proposal]:
    """Concluded projects whose conclusion may go to the meeting, and projects a meeting deferred."""
    rows = db.session.scalars(
        select(Proposal).where(Proposal.status.in_([Status.CONCLUDED, Status.DECIDED]))
        .options(selectinload(Proposal.assessments), selectinload(Proposal.department))
    )
    return [p for p in rows if _may_go(p)]


def _may_go(proposal: Proposal) -> bool:
    current = proposal.current_assessment
    if current is None or current.conclusion not in rules_of(current).scoring.meeting_conclusions:
        return False
    if proposal.status == Status.DECIDED:
        return _last_decision(proposal) == Decision.DEFERRED
    return True


def may_take(proposal: Proposal) -> bool:
    """Whether a meeting may take the proposal: its latest round concluded with a conclusion the rules send to the
    meeting (a 调整完善后予以支持 project is revised and assessed again first)."""
    current = proposal.current_assessment
    return current is not None and current.conclusion in rules_of(current).scoring.meeting_conclusions


def _last_decision(proposal: Proposal) -> str | None:
    item = db.session.scalar(select(MeetingItem).where(MeetingItem.proposal_id == proposal.id)
                             .order_by(MeetingItem.id.desc()).limit(1))
    return item.decision if item else None


def meeting_name(kind: str | None, session_no: int | None, meeting_date: date | None) -> str:
    """2027年第3次市政府常务会议, from the kind, session number and date (empty when one is missing)."""
    if kind in KINDS and session_no and meeting_date:
        return f"{meeting_date.year}年第{session_no}次{KINDS[kind]}"
    return ""


def create(title: str, meeting_date: date | None, proposal_ids: list[int], order: str, admin: User,
           kind: str | None = None, session_no: int | None = None) -> Meeting:
    """Put the chosen projects before a new meeting, in the chosen order (commits)."""
    if kind is not None and kind not in KINDS:
        raise WorkflowError("请选择会议类型：市政府常务会议或市长办公会议")
    if session_no is not None and not 1 <= session_no <= 999:
        raise WorkflowError("会议届次应为1至999之间的整数")
    title = title.strip() or meeting_name(kind, session_no, meeting_date)
    if not title:
        raise WorkflowError("请填写会议名称，或选择会议类型并填写届次和会议日期")
    chosen = [p for p in eligible() if p.id in set(proposal_ids)]
    if not chosen or len(chosen) != len(set(proposal_ids)):
        raise WorkflowError("请选择可提交会议的项目（评估结论可提交会议，或上次会议暂缓）")
    keys = {
        "score": lambda p: (-(p.current_assessment.total or 0), p.id),
        "amount": lambda p: (-p.fiscal_total_wan, p.id),
        "department": lambda p: (p.department.name, p.id),
    }
    chosen.sort(key=keys.get(order, keys["score"]))
    meeting = Meeting(title=title, meeting_date=meeting_date, created_by_id=admin.id, kind=kind,
                      session_no=session_no)
    for position, proposal in enumerate(chosen, 1):
        lock(proposal)
        meeting.items.append(MeetingItem(proposal_id=proposal.id, assessment_id=proposal.current_assessment.id,
                                         position=position))
        transition(proposal, "to_meeting", admin, note=f"提交{meeting.title}")
    db.session.add(meeting)
    db.session.commit()
    return meeting


def decide(item: MeetingItem, decision: str, approved_wan: Decimal | None, note: str, admin: User) -> None:
    """Record the meeting's decision on one project; the department sees it in its history (commits)."""
    if decision not in DECISIONS:
        raise WorkflowError("请选择会议决策：通过、不通过或暂缓")
    lock(item.proposal)
    lock(item)
    if item.decision:
        raise Conflict("该项目的会议决策已记录，请刷新后查看")
    proposal = item.proposal
    if decision == Decision.APPROVED:
        if approved_wan is None:
            raise WorkflowError("会议通过的项目请填写安排资金（万元）")
        if approved_wan > proposal.fiscal_total_wan:
            raise WorkflowError(f"安排资金不能超过申请资金{format_money(proposal.fiscal_total_wan)}")
    else:
        approved_wan = None
    apply(item, MEETING_ITEM, decision, admin, {"admin"} if admin.role_enum is Role.ADMIN else set(),
          subject=proposal.name, note=item.meeting.title)
    item.approved_wan, item.decision_note = approved_wan, note.strip()
    item.decided_at, item.decided_by_id = utcnow(), admin.id
    summary = f"{item.meeting.title}决策：{DECISIONS[decision]}"
    if approved_wan is not None:
        summary += f"，安排资金{format_money(approved_wan)}"
    transition(proposal, "decide", admin, note="；".join(part for part in (summary, note.strip()) if part))
    db.session.commit()


def meeting_decisions(proposal: Proposal) -> list[MeetingItem]:
    return list(db.session.scalars(select(MeetingItem).where(MeetingItem.proposal_id == proposal.id)
                                   .order_by(MeetingItem.id)))
