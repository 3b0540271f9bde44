"""The departmental evaluation: open a year under a scheme, gather inputs, compute, publish, appeals."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
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
from budget_eval.platform.rules import holidays
from budget_eval.platform.models.department import Department
from budget_eval.evaluation.models import EvaluationUnit, EvaluationYear, LeaderScore, ScoreChange, SurveyResponse
from budget_eval.platform.models.history import StateEvent
from budget_eval.platform.models.user import User
from budget_eval.platform.models.types import utcnow
from budget_eval.platform.audit import audit
from budget_eval.platform.imports import set_aside_note
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
    return {s.code: s for s in (load_scheme(p) for p in sorted(schemes_dir().glob("*.yaml")))}


def scheme_of(year: EvaluationYear) -> Scheme:
    """The scheme the year was opened with (kept with it), whatever rules/ says today."""
    return from_snapshot(year.scheme_snapshot, year.scheme_version)


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
        setattr(year, "changed_departments", _record_changes(units.values(), before, f"{year.year}年度考评结果更正：{correction.strip()}", user))
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


def _record_changes(units, before: dict, reason: str, user) -> tuple[int, ...]:
    """A ScoreChange (and audit line) for each unit whose total, rank or grade moved; their departments' ids."""
    changed = []
    for unit in units:
        old = before[unit.id]
        if (unit.total, unit.rank, unit.grade) != old:
            text_before, text_after = _result_text(*old), _result_text(unit.total, unit.rank, unit.grade)
            audit("evaluation", unit.department.name, f"{text_before} → {text_after}", user)
            unit.changes.append(ScoreChange(what="总分/排名/等级", before=text_before, after=text_after,
                                            reason=reason[:500], by_id=user.id))
            changed.append(unit.department_id)
    return tuple(changed)


def _result_text(total, rank, grade) -> str:
    if total is None:
        return "未计算"
    return f"{total}分 " + (f"第{rank}名 {grade}" if rank else "单列")


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
    return [Effect(u.department.name, scheme.group_label(u.group), _result_text(u.total, u.rank, u.grade),
                   _result_text(results[u.department_id].total, results[u.department_id].rank,
                                results[u.department_id].grade))
            for u in units_of(year)]


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
        changed = _record_changes(unit.year.units, before, f"{unit.department.name}申诉处理：{decision.strip()}", user)
    setattr(appeal, "changed_departments", changed)  # read by the notices the state writer's signal sends
    apply(appeal, APPEAL, "uphold" if upheld else "dismiss", user, {OFFICE}, reason=decision,
          subject=unit.department.name)
    db.session.commit()


def import_leader_scores(year: EvaluationYear, source, filename: str, user):
    """Leaders' scores from a sheet with 被评单位, 领导, 得分 (0–100); audited with the file name and counts.

    Returns (imported, rejected rows, rows set aside: source row → 合计行 / 空行 / 说明行).
    """
    from budget_eval.evaluation.survey_import import COL_REASON, department_lookup, read_table_of, with_row_numbers

    if year.status != YearStatus.OPEN:
        raise EvaluationError("结果已公布，不能再导入领导评分")
    table = read_table_of("leader_scores", source, filename)
    units = {u.department_id: u for u in units_of(year)}
    lookup = department_lookup([(u.department_id, u.department.name) for u in units.values()])
    reasons, imported, seen = [], 0, set()
    for record in table[["被评单位", "领导", "得分"]].fillna("").astype(str).to_dict("records"):
        name, leader, text = (record[c].strip() for c in ("被评单位", "领导", "得分"))
        leader = leader[:64]
        department = lookup.get(name)
        try:
            score = Decimal(text)
            valid = score.is_finite() and 0 <= score <= 100
        except ArithmeticError:
            valid = False
        reason = (f"被评单位“{name}”不是本年度考评单位" if department is None else
                  "请填写领导" if not leader else
                  f"领导“{leader}”对该单位的评分在文件中重复（以前一条为准）" if (department, leader) in seen else
                  "" if valid else f"得分“{text}”应为0至100的数字")
        reasons.append(reason)
        if not reason:
            seen.add((department, leader))
            set_leader_score(units[department], leader, score.quantize(Decimal("0.01")))
            imported += 1
    rejected = with_row_numbers(table[[bool(r) for r in reasons]])
    rejected[COL_REASON] = [r for r in reasons if r]
    skipped = dict(table.attrs.get("skipped", {}))
    audit("import", f"{year.year}年度考评", f"导入领导评分“{filename}”：共 {len(table)} 行，导入 {imported} 行，"
          f"拒收 {len(rejected)} 行{set_aside_note(skipped)}", user)
    db.session.commit()
    return imported, rejected, skipped


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
