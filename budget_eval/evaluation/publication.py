"""Publishing a year's results, withdrawing and correcting them, and an appeal decision's preview (issue 21).

Publishing checks that every unit has every component's data, or a reason recorded for each gap; a published
year can be withdrawn (撤回, with its reason) and published again as a correction (更正, with its reason), each
unit whose result moves getting the change on record. The year's status is written by the lifecycle writer only.
"""
from __future__ import annotations

from dataclasses import dataclass
from budget_eval.platform.worklist import beijing_today
from decimal import Decimal

from sqlalchemy import select

from budget_eval.evaluation.domain.states import OFFICE, YEAR, YearStatus
from budget_eval.evaluation.models import EvaluationUnit, EvaluationYear
from budget_eval.evaluation.operations import (EvaluationError, compute, entries, record_changes, result_text,
                                               scheme_of, store, units_of)
from budget_eval.platform.audit import audit
from budget_eval.platform.domain.lifecycle import Conflict
from budget_eval.platform.extensions import db
from budget_eval.platform.lifecycle import apply, lock
from budget_eval.platform.models.history import StateEvent
from budget_eval.platform.models.types import utcnow
from budget_eval.platform.rules import holidays


@dataclass(frozen=True)
class Missing:
    """A unit without data for one of the scheme's components (publishing needs the data or a recorded reason)."""
    unit_id: int
    department: str
    code: str
    label: str
    what: str  # what is missing, in words

    @property
    def field(self) -> str:
        return f"missing-{self.unit_id}-{self.code}"


class PublishRefused(EvaluationError):
    """Publishing refused: the missing data without a reason, and any other problem, all at once."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("；".join(problems.values()))
        self.problems = problems


ALL_MISSING = "missing-all"  # the publish form's one reason for every gap it lists
WHAT_IS_MISSING = {"targets": "目标考核尚未评分", "leadership": "没有领导评分", "survey": "没有社会评价问卷",
                   "manual": "考评办尚未录入得分"}


def missing_data(year: EvaluationYear) -> list[Missing]:
    """Every (unit, component) without data under the year's scheme: a component whose rate cannot be computed,
    or targets of which some are not scored yet."""
    scheme = scheme_of(year)
    by_department = {u.department_id: u for u in units_of(year)}
    found = []
    for entry in entries(year, scheme):
        unit = by_department[entry.department]
        for component in scheme.components:
            what = ""
            if entry.rates.get(component.code) is None:
                what = "没有录入目标" if component.source == "targets" and not unit.targets \
                    else WHAT_IS_MISSING[component.source]
            elif component.source == "targets" and any(t.score is None for t in unit.targets):
                what = f"{sum(t.score is None for t in unit.targets)}项目标尚未评分"
            if what:
                found.append(Missing(unit.id, entry.name, component.code, component.label, what))
    return found


def publish(year: EvaluationYear, user, reasons: dict[str, str] | None = None, correction: str = "") -> None:
    """Fix the results and open the appeal window (commits).

    Every unit must have every component's data, or a reason recorded for what is missing (`reasons`: the
    Missing.field → text); otherwise nothing is published and PublishRefused lists every gap. A year published
    before and withdrawn is published again as a correction (更正), which needs its reason; each unit whose result
    changes gets the change on record and is told."""
    lock(year)
    if year.status == YearStatus.PUBLISHED:
        raise Conflict("结果已公布，请刷新后查看")
    reasons = dict(reasons or {})
    problems = {}
    missing = missing_data(year)
    for gap in missing:  # one reason written for every gap listed applies where none of its own is written
        if not (reasons.get(gap.field) or "").strip():
            reasons[gap.field] = reasons.get(ALL_MISSING, "")
    for gap in missing:
        if not (reasons.get(gap.field) or "").strip():
            problems[gap.field] = f"{gap.department}：{gap.label}{gap.what}，请补齐数据或写明原因"
    again = year.published_at is not None
    if again and not correction.strip():
        problems["correction"] = "该年度结果曾经公布并已撤回，重新公布即为更正，请写明更正理由"
    if problems:
        raise PublishRefused(problems)
    units = {u.id: u for u in units_of(year)}
    for gap in missing:
        unit = units[gap.unit_id]
        unit.missing_reasons = {**(unit.missing_reasons or {}), gap.code: reasons[gap.field].strip()[:500]}
        audit("evaluation", f"{year.year}年度 {gap.department}", f"公布时{gap.label}缺少数据（{gap.what}），"
              f"原因：{unit.missing_reasons[gap.code]}", user)
    before = {u.id: (u.total, u.rank, u.grade) for u in units.values()}
    store(year)
    # the window's last day is a working day (rules/holidays.yaml: weekends, holidays and 调休)
    deadline = holidays().deadline(beijing_today(), scheme_of(year).appeal_days)
    if again:
        setattr(year, "changed_departments", record_changes(units.values(), before, f"{year.year}年度考评结果更正：{correction.strip()}", user))
        apply(year, YEAR, "correct", user, {OFFICE}, reason=correction, note=f"申诉截止{deadline}",
              subject=f"{year.year}年度考评")
    else:
        apply(year, YEAR, "publish", user, {OFFICE}, note=f"申诉截止{deadline}", subject=f"{year.year}年度考评")
    year.published_at, year.appeal_deadline = utcnow(), deadline
    db.session.commit()


def withdraw(year: EvaluationYear, user, reason: str) -> None:
    """Withdraw a published year (撤回): its results are hidden from the departments again, the reason is on
    record and shown to them, and the office may put the data right and publish a correction (commits)."""
    lock(year)
    if not reason.strip():
        raise EvaluationError("请写明撤回理由")
    apply(year, YEAR, "withdraw", user, {OFFICE}, reason=reason, subject=f"{year.year}年度考评")
    db.session.commit()


def year_events(year: EvaluationYear) -> list[StateEvent]:
    """The year's withdrawals and corrections, oldest first (what the departments are shown)."""
    return list(db.session.scalars(
        select(StateEvent).where(StateEvent.lifecycle == YEAR.name, StateEvent.record_id == year.id,
                                 StateEvent.action.in_(("withdraw", "correct"))).order_by(StateEvent.id)))


@dataclass(frozen=True)
class Effect:
    """One unit's result before and after a decision (the appeal's preview)."""
    department: str
    group: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def preview_appeal(appeal, change: Decimal) -> list[Effect]:
    """What upholding `appeal` with `change` points would do to every unit of the year (nothing is stored)."""
    unit = db.session.get(EvaluationUnit, appeal.unit_id)
    year = unit.year
    kept = unit.adjustment
    with db.session.no_autoflush:
        try:
            unit.adjustment = (kept or Decimal(0)) + change
            results = {r.department: r for r in compute(year)}
        finally:
            unit.adjustment = kept
    scheme = scheme_of(year)
    return [Effect(u.department.name, scheme.group_label(u.group), result_text(u.total, u.rank, u.grade),
                   result_text(results[u.department_id].total, results[u.department_id].rank,
                                results[u.department_id].grade))
            for u in units_of(year)]
