"""Finance assessment rounds: the panel, conflicts, blind scoring, reopening, aggregation and conclusion."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from budget_eval.platform.worklist import beijing_today
from budget_eval.platform.domain.roles import Role
from budget_eval.assessment.domain.scoring import PanelResult, sheet_problems, weight_sensitivity
from budget_eval.intake.domain.workflow import WorkflowError
from budget_eval.platform.audit import audit
from budget_eval.platform.extensions import db
from budget_eval.assessment.models import Assessment, Expert, PanelMember, PanelScore, ScoreRevision
from budget_eval.intake.models import Proposal
from budget_eval.intake.actions import transition
from budget_eval.platform.models.user import User
from budget_eval.platform.models.types import utcnow
from budget_eval.platform.domain.lifecycle import Conflict, TransitionError
from budget_eval.platform.lifecycle import apply, create, lock
from budget_eval.assessment.decision_aids import find_duplicates
from budget_eval.assessment.domain.states import ADMIN, OFF_PANEL, REVIEWER, ROUND, RoundStatus, SHEET, SheetStatus, \
    WAITING
from budget_eval.assessment.draws import manual_conflict, pledge_now
from budget_eval.assessment.seat_counts import count_new_round
from budget_eval.assessment.rules import assessment_rules, round_snapshot, rules_of
from budget_eval.assessment.permissions import PANEL_ROLES
from budget_eval.assessment.domain.ratings import Rating
from budget_eval.assessment.point_sheets import (  # noqa: F401 (panel_result, submitted_sheets: read from here)
    correction_points, panel_result, point_problems, point_scores, ratings_of, submitted_sheets,
)



class ReviewError(ValueError):
    """A panel or scoring action that is refused; the message is Chinese and fit for the user."""


def open_round(proposal: Proposal, user: User) -> Assessment:
    """Start a finance assessment round on the latest version; a new round keeps the earlier panel."""
    rules = assessment_rules(proposal.category)
    previous = proposal.current_assessment
    round_ = Assessment(
        round=len(proposal.assessments) + 1,
        version=proposal.versions[-1],
        rules_snapshot=round_snapshot(rules, proposal.category),
        rules_version=rules.version,
        deadline=beijing_today() + timedelta(days=rules.scoring.default_review_days),
    )
    if previous is not None:
        for member in previous.members:
            if member.state not in OFF_PANEL:  # they signed the pledge already; they re-score
                round_.members.append(PanelMember(user_id=member.user_id, status=SheetStatus.ACCEPTED,
                                                  declared_at=member.declared_at, pledge_text=member.pledge_text,
                                                  pledge_version=member.pledge_version,
                                                  expert_id=member.expert_id))
    count_new_round(round_, (m.status for m in round_.members))
    round_.duplicates = find_duplicates(proposal, rules.scoring)
    proposal.assessments.append(round_)
    return round_


def conflict_of(user: User, proposal: Proposal) -> str | None:
    """Why this user may not review this proposal, or None (draws.manual_conflict: the draw's conflicts)."""
    if user.role_enum not in PANEL_ROLES:
        return f"{user.display_name}不是评审人员"
    return manual_conflict(user, proposal)


def assign(round_: Assessment, proposal: Proposal, users: list[User], deadline: date | None,
           by: User | None = None, reason: str = "") -> int:
    """Add reviewers to the panel by hand (beside the draw), only with a written reason, after the conflict
    check, the round locked (commits); returns how many were new. The reason is stored on each seat and audited."""
    lock(round_)
    if round_.status != RoundStatus.OPEN:
        raise ReviewError("本轮评估已出结论，不能再调整评审组")
    reason = reason.strip()
    if users and not reason:
        raise ReviewError("手工添加评审人须填写理由（评审组应从专家库随机抽取）")
    present = {m.user_id for m in round_.members}
    problems = [why for u in users if (why := conflict_of(u, proposal))]
    if problems:
        raise ReviewError("；".join(problems))
    added = [u for u in users if u.id not in present]
    for user in added:
        member = PanelMember(user_id=user.id, assessment=round_, added_reason=reason,
                             expert_id=db.session.scalar(select(Expert.id).where(Expert.user_id == user.id)))
        create(member, SHEET, by, subject=f"{proposal.name}（第{round_.round}轮）",
               note=f"手工添加评审人：{user.display_name}；理由：{reason}")
    if deadline and deadline != round_.deadline:
        round_.deadline = deadline
        audit("state", proposal.name, f"评估轮次：评审期限改为{deadline.isoformat()}", by)
    db.session.commit()
    return len(added)


def sheet_step(member: PanelMember, action: str, user: User, *, reason: str = "", note: str = "") -> None:
    """Move a score sheet; its round is locked first, so a conclusion never races a sheet change."""
    lock(member.assessment)
    lock(member)
    if member.assessment.status != RoundStatus.OPEN:
        raise ReviewError("本轮评估已出结论")
    actors = {REVIEWER} if user.id == member.user_id else set()
    if user.role_enum is Role.ADMIN:
        actors.add(ADMIN)
    try:
        apply(member, SHEET, action, user, actors, reason=reason, note=note,
              subject=f"{member.assessment.proposal.name}（第{member.assessment.round}轮）")
    except TransitionError as exc:
        raise ReviewError(str(exc)) from None


def declare(member: PanelMember) -> None:
    """The reviewer signs the 回避与保密承诺 of rules/experts.yaml (its text and the time are stored with the
    seat and printed on their opinion form); only then do the materials open to them."""
    title, text, version = pledge_now()
    sheet_step(member, "declare", member.user, note=f"签署{title}（规则版本{version}）")
    member.declared_at, member.pledge_text, member.pledge_version = utcnow(), text, version
    db.session.commit()


def decline(member: PanelMember, reason: str) -> None:
    if not reason.strip():
        raise ReviewError("请说明回避或不参加评审的理由")
    sheet_step(member, "decline", member.user, reason=reason)
    member.decline_reason = reason.strip()
    db.session.commit()


def sheet_of(member: PanelMember) -> tuple[dict[str, Decimal | None], dict[str, str]]:
    return ({s.indicator: s.score for s in member.scores}, {s.indicator: s.comment for s in member.scores})


def save_sheet(member: PanelMember, scores: dict[str, Decimal | None], comments: dict[str, str], opinion: str,
               *, submit: bool, ratings: dict[str, Rating] | None = None,
               analyses: dict[str, dict[str, str]] | None = None) -> list[tuple[str, str]]:
    """Save a draft, or submit once; returns the problems that stopped a submission (commits if none).

    A round rated by 审核要点 takes `ratings` (each indicator's score is the sum of its 要点's points; an
    indicator with a 要点 rated 依据不足 has none) and needs every dimension's analysis on submission."""
    lock(member.assessment)
    lock(member)
    if member.status != SheetStatus.ACCEPTED:
        raise ReviewError("评分已提交，不能修改" if member.status == SheetStatus.SUBMITTED else "请先签署回避与保密承诺")
    if member.assessment.status != RoundStatus.OPEN:
        raise ReviewError("本轮评估已出结论")
    rules = rules_of(member.assessment)
    if rules.by_points:
        scores, comments = point_scores(member, rules, ratings or {})
    if submit:
        if rules.by_points:
            problems = point_problems(member, rules, ratings or {}, analyses or {})
        else:
            problems = sheet_problems(scores, comments, rules.template, rules.scoring)
        if not opinion.strip():
            problems.append(("opinion", "请填写总体评审意见"))
        if problems:
            return problems
    existing = {s.indicator: s for s in member.scores}
    for indicator in rules.template.indicators:
        row = existing.get(indicator.key) or PanelScore(indicator=indicator.key)
        row.score, row.comment = scores.get(indicator.key), (comments.get(indicator.key) or "").strip()
        if indicator.key not in existing:
            member.scores.append(row)
    member.overall_opinion = opinion.strip()
    if rules.by_points:
        member.ratings = {k: r.stored() for k, r in (ratings or {}).items()}
    if analyses is not None:
        member.analyses = analyses
    if submit:
        total = sum((v for v in scores.values() if v is not None), Decimal(0))
        sheet_step(member, "submit", member.user, note=f"总分{total}")
        member.submitted_at = utcnow()
    else:
        audit("score", member.assessment.proposal.name, f"评分表：保存草稿（第{member.assessment.round}轮）", member.user)
    db.session.commit()
    return []


def reopen(member: PanelMember, admin: User, reason: str) -> None:
    """Let a reviewer change a submitted sheet; the submitted version stays in the history."""
    if not reason.strip():
        raise ReviewError("请填写重新打开的理由")
    lock(member.assessment)
    lock(member)
    if member.status != SheetStatus.SUBMITTED or member.assessment.status != RoundStatus.OPEN:
        raise ReviewError("只有本轮未出结论时已提交的评分才能重新打开")
    scores, comments = sheet_of(member)
    member.revisions.append(ScoreRevision(
        snapshot={"scores": {k: None if v is None else str(v) for k, v in scores.items()}, "comments": comments,
                  "opinion": member.overall_opinion, "submitted_at": member.submitted_at.isoformat(),
                  "ratings": member.ratings, "analyses": member.analyses},
        reason=reason.strip(), reopened_by_id=admin.id,
    ))
    sheet_step(member, "reopen", admin, reason=reason, note=f"重新打开{member.user.display_name}的评分（原评分已存档）")
    member.submitted_at = None
    db.session.commit()


def justify(member: PanelMember, text: str) -> None:
    """An outlier's reason: frozen once the round is concluded; every change before then is audited."""
    text = text.strip()
    if not text:
        raise ReviewError("请填写理由")
    db.session.execute(select(Assessment.id).where(Assessment.id == member.assessment_id).with_for_update())
    db.session.refresh(member.assessment)
    if member.assessment.status != RoundStatus.OPEN:
        raise ReviewError("本轮评估已出结论，偏离说明已随结论存档，不能再修改")
    before = member.justification or ""
    if text == before:
        return
    member.justification = text
    audit("score", member.assessment.proposal.name,
          f"{member.user.display_name}{'修改' if before else '填写'}偏离说明：{text}"
          + (f"（原为：{before}）" if before else ""), member.user)
    db.session.commit()


def conclusion_blockers(round_: Assessment, result: PanelResult | None) -> list[str]:
    """What must happen before the admin can conclude."""
    blockers = []
    waiting = [m.user.display_name for m in round_.members if m.status in WAITING]
    if waiting:
        blockers.append("尚未提交评分：" + "、".join(waiting))
    submitted = sum(1 for m in round_.members if m.status == SheetStatus.SUBMITTED)
    minimum = rules_of(round_).scoring.min_reviewers
    if submitted < minimum:
        blockers.append(f"至少需要{minimum}名评审人提交评分，目前{submitted}名")
    if result:
        unexplained = [m.user.display_name for m in round_.members
                       if m.user_id in result.outliers and not m.justification.strip()]
        if unexplained:
            blockers.append("总分偏离专家组中位数较大、尚未说明理由：" + "、".join(unexplained))
        if needed := correction_points(round_, result):
            blockers.append(f"以下审核要点评估组全体成员均评为“{rules_of(round_).scoring.insufficient}”，"
                            "须请申报单位补正材料（可重新打开评分）后再出具结论：" + "；".join(needed))
    return blockers


def conclude(proposal: Proposal, round_: Assessment, admin: User, opinion: str, problems: str,
             suggestions: str, recommended_wan: Decimal | None = None) -> PanelResult:
    """Issue the conclusion from the panel's scores under the round's own rules (commits).

    The recommended amount (建议安排资金) defaults to the amount requested, or nothing for 不予支持.
    """
    lock(proposal)
    lock(round_)
    db.session.expire(round_, ["members"])  # read the sheets as they stand under the lock
    if round_.status != RoundStatus.OPEN or proposal.current_assessment is not round_:
        raise Conflict()
    result = panel_result(round_)
    blockers = conclusion_blockers(round_, result)
    if not opinion.strip():
        blockers.append("请填写评估意见")
    if recommended_wan is not None and recommended_wan > proposal.fiscal_total_wan:
        blockers.append("建议安排资金不能超过申请资金")
    if blockers:
        raise WorkflowError("；".join(blockers))
    rules = rules_of(round_)
    sensitivity = weight_sensitivity(result.indicator_scores, rules.template, rules.scoring)
    outcome = result.outcome
    round_.total, round_.grade = outcome.total, outcome.grade
    round_.conclusion, round_.conclusion_label = outcome.conclusion.code, outcome.conclusion.label
    round_.result = {
        "indicators": {k: str(v) for k, v in result.indicator_scores.items()},
        "dimensions": {k: str(v) for k, v in result.dimension_scores.items()},
        "gate_failures": list(outcome.gate_failures),
        "disagreements": list(result.disagreements),
        "outliers": list(result.outliers),
        "used": list(result.used),
        "dropped": list(result.dropped),
        "sensitivity": sensitivity.label,
        "points": {k: None if v is None else str(v) for k, v in result.point_scores.items()},
        "insufficient": {k: list(v) for k, v in result.insufficient.items()},
        "reviewers_mean": None if result.reviewers_mean is None else str(result.reviewers_mean),
    }
    round_.opinion, round_.problems, round_.suggestions = opinion.strip(), problems.strip(), suggestions.strip()
    rejected = outcome.conclusion.code == rules.scoring.gate_conclusion
    if recommended_wan is None:
        recommended_wan = Decimal("0.00") if rejected else proposal.fiscal_total_wan
    round_.recommended_wan = recommended_wan
    apply(round_, ROUND, "conclude", admin, {ADMIN} if admin.role_enum is Role.ADMIN else set(),
          subject=proposal.name, note=f"第{round_.round}轮")
    round_.concluded_by_id, round_.concluded_at = admin.id, utcnow()
    proposal.conclusion = outcome.conclusion.code
    transition(proposal, "conclude", admin,
               note=f"第{round_.round}轮评估结论：{outcome.conclusion.label}（总分{outcome.total}）")
    db.session.commit()
    return result
