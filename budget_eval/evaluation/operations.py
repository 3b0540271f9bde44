"""The departmental evaluation: open a year under a scheme, gather inputs, compute, publish, appeals."""
from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from budget_eval.platform.worklist import beijing_today
from budget_eval.evaluation.domain.evaluation import (
    Entry,
    evaluate,
    leadership_rate,
    Result,
    target_rate,
    TargetScore,
)
from budget_eval.evaluation.domain.scheme import from_snapshot, load_scheme, Scheme
from budget_eval.evaluation.domain.survey import Satisfaction, satisfaction
from budget_eval.platform.derived import stored
from budget_eval.platform.extensions import db
from budget_eval.platform.models.department import Department
from budget_eval.evaluation.models import EvaluationUnit, EvaluationYear, LeaderScore, ScoreChange, SurveyResponse
from budget_eval.platform.models.user import User
from budget_eval.platform.models.types import utcnow
from budget_eval.platform.audit import audit
from budget_eval.evaluation.domain.states import APPEAL, AppealStatus, InnovationStatus, OFFICE, YEAR, YearStatus
from budget_eval.platform.domain.lifecycle import Conflict
from budget_eval.platform.lifecycle import apply, create, lock
from budget_eval.evaluation.hotwords import (segmenter, segmenter_version, SURVEY_COUNTS,  # noqa: F401 (callers')
                                             year_hot_words)


class EvaluationError(ValueError):
    """An evaluation action that is refused; the message is Chinese and fit for the user."""


def schemes_dir() -> Path:
    return Path(current_app.config["RULES_DIR"]) / "schemes"


def available_schemes() -> dict[str, Scheme]:
    """The schemes of rules/schemes/, each read and checked once per version of its file (name, time, size) per
    process, not on every view (issue 22)."""
    found = {}
    for path in sorted(schemes_dir().glob("*.yaml")):
        stat = path.stat()
        scheme = _load_scheme(str(path), stat.st_mtime_ns, stat.st_size)
        found[scheme.code] = scheme
    return found


@lru_cache(maxsize=32)
def _load_scheme(path: str, _mtime: int, _size: int) -> Scheme:
    return load_scheme(Path(path))


def scheme_of(year: EvaluationYear) -> Scheme:
    """The scheme the year was opened with (kept with it), whatever rules/ says today: parsed once per stored
    version per process."""
    key = (year.scheme_version, hashlib.sha1(json.dumps(year.scheme_snapshot, sort_keys=True, ensure_ascii=False,
                                                        default=str).encode()).hexdigest())
    found = _STORED_SCHEMES.get(key)
    if found is None:
        if len(_STORED_SCHEMES) >= 32:
            _STORED_SCHEMES.clear()
        found = _STORED_SCHEMES[key] = from_snapshot(year.scheme_snapshot, year.scheme_version)
    return found


_STORED_SCHEMES: dict[tuple[str, str], Scheme] = {}


def open_year(year: int, scheme_code: str, user) -> EvaluationYear:
    """Start a year's evaluation; every active department takes part in its configured group (commits).
    Of two offices opening the same year at once, the database's unique year lets one through."""
    schemes = available_schemes()
    if scheme_code not in schemes:
        raise EvaluationError("请选择考评方案")
    exists = EvaluationError(f"{year}年度考评已经建立")
    if db.session.scalar(select(EvaluationYear).where(EvaluationYear.year == year)):
        raise exists
    scheme = schemes[scheme_code]
    groups = [code for code, _ in scheme.groups]
    record = EvaluationYear(year=year, scheme_code=scheme.code, scheme_snapshot=scheme.snapshot(),
                            scheme_version=scheme.version)
    try:
        create(record, YEAR, user, subject=f"{year}年度考评", note=f"考评方案：{scheme.name}")
    except IntegrityError:
        db.session.rollback()
        raise exists from None
    for department in db.session.scalars(select(Department).where(Department.active).order_by(Department.id)):
        group = department.eval_group if department.eval_group in groups else groups[0]
        record.units.append(EvaluationUnit(department_id=department.id, group=group))
    db.session.flush()
    from budget_eval.evaluation.feedback import carry_into

    carry_into(record)
    db.session.commit()
    return record


def survey_counts(year: EvaluationYear) -> dict[int, dict[tuple[str, str], int]]:
    """Each department's responses by (group, answer): aggregated in SQL once per import and stored
    (platform/derived.py; survey_import.import_responses invalidates it), not on every view."""
    return stored(SURVEY_COUNTS, f"year:{year.id}", lambda: _survey_counts(year))


def _survey_counts(year: EvaluationYear) -> dict[int, dict[tuple[str, str], int]]:
    rows = db.session.execute(
        select(SurveyResponse.department_id, SurveyResponse.group, SurveyResponse.answer, func.count())
        .where(SurveyResponse.year_id == year.id)
        .group_by(SurveyResponse.department_id, SurveyResponse.group, SurveyResponse.answer)
    ).all()
    counts: dict[int, dict[tuple[str, str], int]] = {}
    for department, group, answer, n in rows:
        counts.setdefault(department, {})[(group, answer)] = n
    return counts


def satisfaction_by_department(year: EvaluationYear, scheme: Scheme) -> dict[int, Satisfaction]:
    return {d: satisfaction(c, scheme.survey) for d, c in survey_counts(year).items()}


def history_of(year: EvaluationYear) -> dict[int, tuple[str, ...]]:
    """Each department's grades in earlier published years, the latest first."""
    rows = db.session.execute(
        select(EvaluationUnit.department_id, EvaluationUnit.grade)
        .join(EvaluationYear, EvaluationUnit.year_id == EvaluationYear.id)
        .where(EvaluationYear.year < year.year, EvaluationYear.status == YearStatus.PUBLISHED)
        .order_by(EvaluationYear.year.desc())
    ).all()
    history: dict[int, list[str]] = {}
    for department, grade in rows:
        history.setdefault(department, []).append(grade or "")
    return {d: tuple(g) for d, g in history.items()}


def units_of(year: EvaluationYear) -> list[EvaluationUnit]:
    """The year's units with everything scoring reads, in a fixed number of queries."""
    return list(db.session.scalars(
        select(EvaluationUnit).where(EvaluationUnit.year_id == year.id).order_by(EvaluationUnit.id)
        .options(joinedload(EvaluationUnit.department), selectinload(EvaluationUnit.targets),
                 selectinload(EvaluationUnit.leader_scores), selectinload(EvaluationUnit.innovations),
                 selectinload(EvaluationUnit.deductions))
    ))


def entries(year: EvaluationYear, scheme: Scheme) -> list[Entry]:
    """Every unit's inputs under a scheme: component rates from their sources, bonus, deductions, vetoes."""
    satisfied = satisfaction_by_department(year, scheme)
    history = history_of(year)
    made = []
    for unit in units_of(year):
        rates = {}
        for component in scheme.components:
            if component.source == "targets":
                rates[component.code] = target_rate([TargetScore(t.weight, t.score) for t in unit.targets])
            elif component.source == "leadership":
                rates[component.code] = leadership_rate([s.score for s in unit.leader_scores])
            elif component.source == "survey":
                found = satisfied.get(unit.department_id)
                rates[component.code] = found.score / 100 if found and found.respondents else None
            else:
                value = (unit.manual_rates or {}).get(component.code)
                rates[component.code] = Decimal(value) if value not in (None, "") else None
        made.append(Entry(
            department=unit.department_id, name=unit.department.name,
            group=unit.group if unit.group in dict(scheme.groups) else scheme.groups[0][0], rates=rates,
            bonus=sum((i.verified for i in unit.innovations if i.status == InnovationStatus.VERIFIED and i.verified), Decimal(0)),
            deduction=sum((d.points for d in unit.deductions), Decimal(0)),
            vetoes=tuple(v for v in unit.vetoes or () if v in scheme.veto_items),
            history=history.get(unit.department_id, ()), adjustment=unit.adjustment or Decimal(0),
            promoted=unit.special_promotion,
        ))
    return made


def compute(year: EvaluationYear, scheme: Scheme | None = None) -> list[Result]:
    """Results under the year's scheme, or under another scheme for comparison (nothing stored)."""
    scheme = scheme or scheme_of(year)
    return evaluate(entries(year, scheme), scheme)


def store(year: EvaluationYear) -> list[Result]:
    """Compute under the year's scheme and keep the results on the units (not committed)."""
    scheme = scheme_of(year)
    results = {r.department: r for r in compute(year, scheme)}
    satisfied = satisfaction_by_department(year, scheme)
    for unit in units_of(year):
        result = results[unit.department_id]
        unit.components = {k: str(v) for k, v in result.components.items()}
        found = satisfied.get(unit.department_id)
        unit.satisfaction_rate = (found.rate * 100).quantize(Decimal("0.01")) if found and found.respondents else None
        unit.total, unit.rank, unit.grade = result.total, result.rank, result.grade
        unit.adjust_leadership, unit.notes = result.adjust_leadership, list(result.notes)
    return list(results.values())


def file_appeal(unit: EvaluationUnit, reason: str, user: User):
    from budget_eval.evaluation.models import Appeal

    lock(unit)
    year = unit.year
    if year.status != YearStatus.PUBLISHED:
        raise EvaluationError("结果公布后才能申诉")
    if year.appeal_deadline and beijing_today() > year.appeal_deadline:
        raise EvaluationError(f"申诉期已于{year.appeal_deadline}截止")
    if not reason.strip():
        raise EvaluationError("请写明申诉理由")
    db.session.expire(unit, ["appeals"])
    if any(a.status == AppealStatus.FILED for a in unit.appeals):
        raise EvaluationError("已有尚未处理的申诉")
    appeal = create(Appeal(unit_id=unit.id, reason=reason.strip(), filed_by_id=user.id), APPEAL, user,
                    subject=unit.department.name)
    db.session.commit()
    return appeal


def decide_appeal(appeal, upheld: bool, change: Decimal, decision: str, user: User) -> None:
    """Decide an appeal; a score change is recorded and the whole group is re-ranked and re-graded (commits).
    Every unit whose result changes has the change on record and is told (the appeal lifecycle's notices)."""
    if not decision.strip():
        raise EvaluationError("请写明处理意见")
    unit = db.session.get(EvaluationUnit, appeal.unit_id)
    lock(unit.year)  # the whole group is re-ranked: one decision at a time per year
    lock(appeal)
    if appeal.status != AppealStatus.FILED:
        raise Conflict("该申诉已处理，请刷新后查看")
    appeal.decision, appeal.decided_by_id, appeal.decided_at = decision.strip(), user.id, utcnow()
    appeal.change = change if upheld else None
    changed: tuple[int, ...] = ()
    if upheld and change:
        before = {u.id: (u.total, u.rank, u.grade) for u in unit.year.units}
        unit.adjustment = (unit.adjustment or Decimal(0)) + change
        store(unit.year)
        changed = record_changes(unit.year.units, before, f"{unit.department.name}申诉处理：{decision.strip()}", user)
    setattr(appeal, "changed_departments", changed)  # read by the notices the state writer's signal sends
    apply(appeal, APPEAL, "uphold" if upheld else "dismiss", user, {OFFICE}, reason=decision,
          subject=unit.department.name)
    db.session.commit()


def record_changes(units, before: dict, reason: str, user) -> tuple[int, ...]:
    """A ScoreChange (and audit line) for each unit whose total, rank or grade moved; their departments' ids."""
    changed = []
    for unit in units:
        old = before[unit.id]
        if (unit.total, unit.rank, unit.grade) != old:
            text_before, text_after = result_text(*old), result_text(unit.total, unit.rank, unit.grade)
            audit("evaluation", unit.department.name, f"{text_before} → {text_after}", user)
            unit.changes.append(ScoreChange(what="总分/排名/等级", before=text_before, after=text_after,
                                            reason=reason[:500], by_id=user.id))
            changed.append(unit.department_id)
    return tuple(changed)


def result_text(total, rank, grade) -> str:
    if total is None:
        return "未计算"
    return f"{total}分 " + (f"第{rank}名 {grade}" if rank else "单列")


def set_leader_score(unit: EvaluationUnit, leader: str, score: Decimal) -> bool:
    """One score per leader per unit: importing the same file again replaces, never adds a second (the database
    refuses a second row too). Says whether anything changed."""
    for existing in unit.leader_scores:
        if existing.leader == leader:
            changed = existing.score != score
            existing.score = score
            return changed
    unit.leader_scores.append(LeaderScore(leader=leader, score=score))
    return True
