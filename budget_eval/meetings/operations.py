"""Meetings that take the decision of art. 5 (a kind from rules/meetings.yaml): bundle concluded projects, record
each decision with its per-year amounts and 核减理由, and put approved projects into the project library."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import and_, func, or_, Select, select
from sqlalchemy.orm import selectinload

from budget_eval.platform.domain.money import format_money
from budget_eval.intake.domain.workflow import Status, WorkflowError
from budget_eval.platform.extensions import db
from budget_eval.platform.paging import Page, paged
from budget_eval.meetings.domain.decision import DecisionInput, check
from budget_eval.meetings.models import Meeting, MeetingItem, MeetingItemYear
from budget_eval.meetings.rules import meeting_rules
from budget_eval.intake.models import Proposal
from budget_eval.platform.models.user import User
from budget_eval.platform.models.types import utcnow
from budget_eval.intake.actions import transition
from budget_eval.meetings.domain.states import Decision, DECISION_LABELS, MEETING_ITEM, PROJECT_LIBRARY
from budget_eval.platform.domain.lifecycle import Conflict
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.lifecycle import apply, lock

DECISIONS = {d.value: label for d, label in DECISION_LABELS.items() if d is not Decision.PENDING}
ORDERS = {"score": "按评估得分从高到低", "amount": "按申请资金从大到小", "department": "按申报部门"}


class DecisionError(WorkflowError):
    """A decision form with problems: the Chinese message of each, by form field."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("；".join(problems.values()))
        self.problems = problems


def kinds() -> dict[str, str]:
    """The meeting kinds of rules/meetings.yaml: code → name."""
    return {k.code: k.label for k in meeting_rules().meeting_kinds}


def eligible_query() -> Select:
    """Projects whose assessment report passed its reviews (art. 5: 予以支持, or an adjustment finance confirmed),
    and projects whose latest meeting deferred them: in SQL, newest first."""
    latest = select(func.max(MeetingItem.id)).where(MeetingItem.proposal_id == Proposal.id) \
        .correlate(Proposal).scalar_subquery()
    deferred = select(MeetingItem.decision).where(MeetingItem.id == latest).scalar_subquery()
    return select(Proposal).where(or_(Proposal.status == Status.REVIEWED.value,
                                      and_(Proposal.status == Status.DECIDED.value,
                                           deferred == Decision.DEFERRED.value))) \
        .order_by(Proposal.updated_at.desc(), Proposal.id.desc())


def eligible(page: int = 1, per_page: int = 50) -> Page:
    """One page of the projects a meeting may take, with their rounds and department, and a capped count."""
    return paged(eligible_query().options(selectinload(Proposal.assessments), selectinload(Proposal.department)),
                 page, per_page)


def _may_go(proposal: Proposal) -> bool:
    # a reviewed report goes on (the route checked its conclusion, or finance confirmed the adjustment)
    if proposal.status == Status.DECIDED:
        return _last_decision(proposal) == Decision.DEFERRED
    return proposal.status == Status.REVIEWED


def may_take(proposal: Proposal) -> bool:
    """Whether a meeting may take the proposal (its pack may be made): its report passed both reviews (art. 5), it
    is before a meeting now, or a meeting deferred it. A 调整完善后予以支持 project answers the opinions first."""
    return proposal.status == Status.MEETING or _may_go(proposal)


def _last_decision(proposal: Proposal) -> str | None:
    item = db.session.scalar(select(MeetingItem).where(MeetingItem.proposal_id == proposal.id)
                             .order_by(MeetingItem.id.desc()).limit(1))
    return item.decision if item else None


def meeting_name(kind_label: str | None, session_no: int | None, meeting_date: date | None) -> str:
    """2027年第3次市长办公会议, from the kind's name, session number and date (empty when one is missing)."""
    if kind_label and session_no and meeting_date:
        return f"{meeting_date.year}年第{session_no}次{kind_label}"
    return ""


def create(title: str, meeting_date: date | None, proposal_ids: list[int], order: str, admin: User,
           kind: str | None = None, session_no: int | None = None) -> Meeting:
    """Put the chosen projects before a new meeting of a kind from rules/, in the chosen order (commits)."""
    rules = meeting_rules()
    try:
        chosen_kind = rules.kind_of(kind or "")
    except KeyError:
        raise WorkflowError("请选择会议类型：" + "或".join(k.label for k in rules.meeting_kinds)) from None
    if session_no is not None and not 1 <= session_no <= 999:
        raise WorkflowError("会议届次应为1至999之间的整数")
    title = title.strip() or meeting_name(chosen_kind.label, session_no, meeting_date)
    if not title:
        raise WorkflowError("请填写会议名称，或填写届次和会议日期（按会议类型生成名称）")
    chosen = list(db.session.scalars(eligible_query().where(Proposal.id.in_(set(proposal_ids))).options(
        selectinload(Proposal.assessments), selectinload(Proposal.department))))
    if not chosen or len(chosen) != len(set(proposal_ids)):
        raise WorkflowError("请选择可提交会议的项目（评估报告已审核通过，或上次会议暂缓）")
    keys = {
        "score": lambda p: (-(p.current_assessment.total or 0), p.id),
        "amount": lambda p: (-p.fiscal_total_wan, p.id),
        "department": lambda p: (p.department.name, p.id),
    }
    chosen.sort(key=keys.get(order, keys["score"]))
    meeting = Meeting(title=title, meeting_date=meeting_date, created_by_id=admin.id, kind=chosen_kind.code,
                      kind_label=chosen_kind.label, kind_quote=chosen_kind.quote,
                      kind_source=rules.source_of(chosen_kind), session_no=session_no)
    for position, proposal in enumerate(chosen, 1):
        lock(proposal)
        meeting.items.append(MeetingItem(proposal_id=proposal.id, assessment_id=proposal.current_assessment.id,
                                         position=position))
        transition(proposal, "to_meeting", admin, note=f"提交{meeting.title}")
    db.session.add(meeting)
    db.session.commit()
    return meeting


def requested_years(proposal: Proposal) -> dict[int, Decimal]:
    """The fiscal funds requested per year, as put before the meeting (the proposal cannot change meanwhile)."""
    return {f.year: f.amount_wan for f in sorted(proposal.fund_years, key=lambda f: f.year)}


def decide(item: MeetingItem, decision: str, approved: dict[int, Decimal | None], cut_reason: str, note: str,
           admin: User) -> None:
    """Record the meeting's decision on one project (per-year amounts for 通过, a reason for a cut); the
    department sees it in its history (commits). DecisionError names the fields with problems."""
    lock(item.proposal)
    lock(item)
    if item.decision:
        raise Conflict("该项目的会议决策已由他人记录，请刷新后查看")
    proposal = item.proposal
    requested = requested_years(proposal)
    checked, problems = check(DecisionInput(decision, requested, approved, cut_reason), DECISION_LABELS)
    if checked is None:
        raise DecisionError(problems)
    apply(item, MEETING_ITEM, checked.decision, admin, {"admin"} if admin.role_enum is Role.ADMIN else set(),
          subject=proposal.name, note=item.meeting.title)
    total = sum(checked.approved.values(), Decimal("0.00")) if checked.approved else None
    item.approved_wan, item.decision_note = total, note.strip()
    item.cut_reason = cut_reason.strip() if checked.is_cut else ""
    item.years = [MeetingItemYear(year=year, requested_wan=requested[year], approved_wan=amount)
                  for year, amount in checked.approved.items()]
    item.decided_at, item.decided_by_id = utcnow(), admin.id
    summary = f"{item.meeting.title}决策：{DECISIONS[checked.decision]}"
    if total is not None:
        summary += f"，安排资金{format_money(total)}（" + "，".join(
            f"{year}年{format_money(amount)}" for year, amount in checked.approved.items()) + "）"
    if item.cut_reason:
        summary += f"，较申请数核减{format_money(sum(requested.values(), Decimal(0)) - total)}，核减理由：{item.cut_reason}"
    transition(proposal, "decide", admin, note="；".join(part for part in (summary, note.strip()) if part))
    db.session.commit()


def include(item: MeetingItem, when: date | None, admin: User) -> None:
    """纳入项目库: an approved project enters the budget system's project library on `when` (commits)."""
    lock(item)
    if item.in_library:
        raise Conflict("该项目已由他人纳入项目库，请刷新后查看")
    if MEETING_ITEM.state(item.decision) is not Decision.APPROVED:
        raise WorkflowError("只有会议通过的项目可以纳入项目库")
    if when is None:
        raise WorkflowError("请填写纳入项目库日期")
    if item.meeting.meeting_date and when < item.meeting.meeting_date:
        raise WorkflowError(f"纳入项目库日期不能早于会议日期{item.meeting.meeting_date.isoformat()}")
    apply(item, PROJECT_LIBRARY, "include", admin, {"admin"} if admin.role_enum is Role.ADMIN else set(),
          subject=item.proposal.name, note=f"纳入项目库日期{when.isoformat()}")
    item.library_date, item.library_by_id = when, admin.id
    db.session.commit()


def meeting_decisions(proposal: Proposal) -> list[MeetingItem]:
    return list(db.session.scalars(select(MeetingItem).where(MeetingItem.proposal_id == proposal.id)
                                   .options(selectinload(MeetingItem.years), selectinload(MeetingItem.meeting))
                                   .order_by(MeetingItem.id)))
