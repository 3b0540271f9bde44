"""From comment to rectification: 反馈确认, the unit's 回应 and commitments, 跟踪督办 (one function per action).

Every status column is written by `move`, which checks the domain's transition table, records the history
(LifecycleEvent) and the audit line. Nothing here commits except where it says so.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, Select, select, update

from budget_eval.evaluation.domain.comment_lifecycles import COMMITMENT, FEEDBACK, SUPERVISION, Commitment, Feedback, \
    Supervision
from budget_eval.platform.domain.lifecycle import Lifecycle
from budget_eval.platform.lifecycle import apply
from budget_eval.platform.extensions import db
from budget_eval.evaluation import versions
from budget_eval.evaluation.feedback_models import LifecycleEvent, SupervisionItem, SupervisionSupport
from budget_eval.evaluation.models import EvalTarget, EvaluationUnit, EvaluationYear, Rectification, SurveyResponse
from budget_eval.platform.models.department import Department
from budget_eval.platform.models.user import User
from budget_eval.platform.models.types import utcnow
from budget_eval.platform.audit import audit


class FeedbackError(ValueError):
    """A refused action; the message is Chinese and fit for the user."""


def move(record, lifecycle: Lifecycle, action: str, user: User, note: str = "") -> None:
    """A step of a comment's, commitment's or 督办 item's lifecycle, through the one locking writer; the history
    goes to this feature's LifecycleEvent table."""

    def history(step, before, text):
        db.session.add(LifecycleEvent(kind=lifecycle.name, entity_id=record.id, action=step.action,
                                      before=lifecycle.stored(before), after=step.target.value, note=text[:2000],
                                      by_id=user.id))

    apply(record, lifecycle, action, user, {user.role}, note=note, history=history)


def pending_query(year: EvaluationYear):
    """The comments waiting for 反馈确认 (the page sorts, searches and pages them)."""
    return select(SurveyResponse).where(SurveyResponse.year_id == year.id, SurveyResponse.comment.is_not(None),
                                        SurveyResponse.feedback_status == Feedback.PENDING.value)



def pending_count(year: EvaluationYear) -> int:
    """How many comments wait for 反馈确认 (the count the 确认全部 button states)."""
    return db.session.scalar(
        select(func.count(SurveyResponse.id)).where(SurveyResponse.year_id == year.id, SurveyResponse.comment.is_not(None),
                                                  SurveyResponse.feedback_status == Feedback.PENDING.value)) or 0


def confirm(response: SurveyResponse, user: User, department_id: int | None = None) -> None:
    """Confirm the routing as imported, or re-route the comment to another unit of the year."""
    if department_id and department_id != (response.routed_department_id or response.department_id):
        unit = db.session.scalar(select(EvaluationUnit).where(EvaluationUnit.year_id == response.year_id,
                                                              EvaluationUnit.department_id == department_id))
        if unit is None:
            raise FeedbackError("请选择本年度考评单位")
        response.routed_department_id = department_id
        move(response, FEEDBACK, "reroute", user, f"改派至{unit.department.name}")
    else:
        move(response, FEEDBACK, "confirm", user)


def merge_into(response: SurveyResponse, target_id: int, user: User) -> None:
    target = db.session.get(SurveyResponse, target_id)
    if target is None or target.year_id != response.year_id or target.id == response.id:
        raise FeedbackError("请选择同一年度的另一条意见")
    response.merged_into_id = target.id
    move(response, FEEDBACK, "merge", user, f"并入第{target.id}条")


def confirm_all(year: EvaluationYear, user: User) -> int:
    """Confirm every pending comment as routed (one history line for the batch; commits). The one status write
    outside platform/lifecycle.py: a single guarded UPDATE for the whole year, its target from the table."""
    step = FEEDBACK.check("confirm", Feedback.PENDING, {user.role})
    count = db.session.execute(
        update(SurveyResponse).where(SurveyResponse.year_id == year.id, SurveyResponse.comment.is_not(None),
                                     SurveyResponse.feedback_status == Feedback.PENDING.value)
        .values(feedback_status=step.target.value)
    ).rowcount
    db.session.add(LifecycleEvent(kind=FEEDBACK.name, entity_id=year.id, action=step.action,
                                  before=Feedback.PENDING.value, after=step.target.value, note=f"{year.year}年度全部待确认意见（{count}条）", by_id=user.id))
    audit("feedback", f"{year.year}年度社会评价意见", f"批量确认{count}条", user)
    versions.bump(year.id, comments=False)  # (no signal: the batch raises the 反馈确认 version itself)
    db.session.commit()
    return count


def routed_to(department_id: int):
    """The condition 'confirmed and routed to this department' (what the unit may see)."""
    routed = db.func.coalesce(SurveyResponse.routed_department_id, SurveyResponse.department_id)
    return (routed == department_id) & (SurveyResponse.feedback_status == Feedback.CONFIRMED.value)


def commit_target(unit: EvaluationUnit, topic: str, response: str, measures: str, deadline: date | None,
                  public: bool, user: User) -> Rectification:
    """A unit's response and commitment (the unit row is locked by the caller, so the duplicate check holds)."""
    db.session.expire(unit, ["rectifications"])  # read after the lock: a commitment made meanwhile is seen
    if any(r.topic == topic and r.measures == measures for r in unit.rectifications):
        raise FeedbackError("已提交过相同的整改承诺")
    item = Rectification(topic=topic, response=response, measures=measures, deadline=deadline, public=public)
    unit.rectifications.append(item)
    audit("commitment", unit.department.name, f"{'公开' if public else '内部'}整改承诺：{topic}"
          f"（完成期限：{deadline or '未填'}）", user)
    return item


def supervise(year: EvaluationYear, title: str, hot_word: str, lead_id: int, supporting: list[int],
              check_date: date, user) -> SupervisionItem:
    """A new 督办 item. One per year and title: the database refuses a second (race_guard), so of two offices
    adding it at once one gets "已由他人处理" (platform/errors.py), never a duplicate."""
    names = {d.id: d for d in db.session.scalars(select(Department).where(Department.id.in_([lead_id, *supporting])))}
    if lead_id not in names:
        raise FeedbackError("请选择牵头单位")
    if db.session.scalar(select(SupervisionItem.id).where(SupervisionItem.year_id == year.id,
                                                          SupervisionItem.title == title)):
        raise FeedbackError(f"已有督办事项“{title}”")
    item = SupervisionItem(year_id=year.id, title=title, hot_word=hot_word, lead_id=lead_id, check_date=check_date)
    item.supporters = [SupervisionSupport(department_id=d) for d in dict.fromkeys(supporting) if d != lead_id and d in names]
    db.session.add(item)
    audit("supervision", title, f"{year.year}年度督办立项；牵头：{names[lead_id].name}；"
          f"配合：{'、'.join(names[s.department_id].name for s in item.supporters) or '无'}；检查日期：{check_date}", user)
    return item


def check(item: SupervisionItem, result: str, note: str, user: User, results: dict) -> None:
    if result not in results:
        raise FeedbackError("请选择检查结果：" + "、".join(results))
    item.result, item.result_note, item.checked_at = result, note, utcnow()
    move(item, SUPERVISION, "check", user, f"{result} {note}")


def unit_items(unit: EvaluationUnit) -> list[SupervisionItem]:
    """The 督办 items a unit leads or supports."""
    items = db.session.scalars(select(SupervisionItem).where(SupervisionItem.year_id == unit.year_id)
                               .order_by(SupervisionItem.id)).all()
    return [i for i in items if i.lead_id == unit.department_id
            or any(s.department_id == unit.department_id for s in i.supporters)]


def supervision_rules(scheme_raw: dict) -> dict:
    """The scheme's declaration of how 跟踪督办 results count in next year's 目标考核 (may be absent)."""
    from budget_eval.platform.domain.sourced import unwrap

    return unwrap((scheme_raw or {}).get("supervision") or {})


def carry_into(year: EvaluationYear) -> int:
    """When a year opens: each checked 督办 item of the year before becomes a scored 目标考核 target of its lead
    and supporting units, weighted and scored as the new year's scheme declares (not committed)."""
    rules = supervision_rules(year.scheme_snapshot)
    if not rules:
        return 0
    results = {k: Decimal(str(v)) for k, v in rules["results"].items()}
    lead, support = Decimal(str(rules["lead_weight"])), Decimal(str(rules["support_weight"]))
    earlier = db.session.scalar(select(EvaluationYear).where(EvaluationYear.year == year.year - 1))
    if earlier is None:
        return 0
    units = {u.department_id: u for u in year.units}
    added = 0
    items = db.session.scalars(select(SupervisionItem).where(SupervisionItem.year_id == earlier.id,
                                                             SupervisionItem.result.is_not(None)))
    for item in items:
        score = results.get(item.result)
        for department_id, weight in [(item.lead_id, lead)] + [(s.department_id, support) for s in item.supporters]:
            if department_id in units and score is not None:
                units[department_id].targets.append(EvalTarget(
                    name=f"{earlier.year}年度跟踪督办：{item.title}（{item.result}）"[:200], weight=weight, score=score))
                added += 1
    return added


def department_comments(year: EvaluationYear, department_id: int, limit: int | None = None,
                        confirmed_only: bool = True) -> list[str]:
    """The public comments routed to one department (社会评价意见), in the order they were imported; the unit
    sees only those the office has confirmed (反馈确认)."""
    query = _department_comments(year, department_id, confirmed_only)
    return list(db.session.scalars(query.limit(limit) if limit else query))


def _department_comments(year: EvaluationYear, department_id: int, confirmed_only: bool) -> Select:
    routed = func.coalesce(SurveyResponse.routed_department_id, SurveyResponse.department_id)
    query = (select(SurveyResponse.comment, SurveyResponse.id)
             .where(SurveyResponse.year_id == year.id, routed == department_id, SurveyResponse.comment.is_not(None),
                    SurveyResponse.feedback_status != Feedback.MERGED.value)
             .order_by(SurveyResponse.id))
    if confirmed_only:
        query = query.where(SurveyResponse.feedback_status == Feedback.CONFIRMED.value)
    return query
