"""The expert pool's draw of a panel: the conflicts of a proposal, the candidates of the pool, the draw, its
replay, and the replacement of a drawn reviewer (each change through the lifecycle writer, audited; commits)."""
from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select

from budget_eval.assessment.domain.draw import (
    Candidate, Conflicts, Draw, DrawError, EXCLUSION_LABELS, Exclusion, draw, exclusion, pick, replay,
)
from budget_eval.assessment.domain.states import OFF_PANEL, RoundStatus, SHEET
from budget_eval.assessment.models import Assessment, Expert, PanelDraw, PanelMember
from budget_eval.assessment.rules import expert_rules
from budget_eval.intake.models import Proposal
from budget_eval.platform.audit import audit
from budget_eval.platform.domain.lifecycle import TransitionError
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.platform.lifecycle import apply, create, lock
from budget_eval.platform.models.department import Department
from budget_eval.platform.models.types import utcnow
from budget_eval.platform.models.user import User
from budget_eval.platform.rules import report_settings


class PanelError(ValueError):
    """A draw, replacement or addition that is refused; the message is Chinese and fit for the user."""


def conflicting_department_ids(proposal: Proposal) -> set[int]:
    """THE set of departments whose people and declared relations may not review this proposal: the applicant
    its parent authority (主管部门) and its sector authority (行业主管部门, which reviews the report under art. 5).
    Every conflict check (draw, replacement, manual addition, signing) reads this one function."""
    department = proposal.department
    ids = {department.id, department.authority_id, department.sector_authority_id}
    return {i for i in ids if i is not None}


def _conflicts(round_: Assessment, proposal: Proposal, load_limit: int = 0) -> Conflicts:
    ids = conflicting_department_ids(proposal)
    names = set(db.session.scalars(select(Department.name).where(Department.id.in_(ids)))) if ids else set()
    earlier = {m.user_id for r in proposal.assessments for m in r.members}
    return Conflicts(department_ids=frozenset(ids), department_names=frozenset(names),
                     earlier_panel_user_ids=frozenset(earlier), load_limit=load_limit, city=report_settings().city_name)


def yearly_loads(year: int) -> dict[int, int]:
    """Panels each user sat on in rounds opened in `year` (declined and replaced seats not counted)."""
    start, end = datetime(year, 1, 1), datetime(year + 1, 1, 1)
    rows = db.session.execute(
        select(PanelMember.user_id, func.count()).join(Assessment, PanelMember.assessment_id == Assessment.id)
        .where(Assessment.created_at >= start, Assessment.created_at < end,
               PanelMember.status.not_in([s.value for s in OFF_PANEL]))
        .group_by(PanelMember.user_id)).all()
    return {user_id: count for user_id, count in rows}


def candidate(expert: Expert, loads: dict[int, int] | None = None) -> Candidate:
    return Candidate(id=expert.id, user_id=expert.user_id, active=expert.active and expert.user.active,
                     specialties=frozenset(expert.specialties or ()), organisation=expert.organisation or "",
                     department_id=expert.user.department_id,
                     avoid_department_ids=frozenset(int(i) for i in expert.avoid_department_ids or ()),
                     avoid_organisations=tuple(expert.avoid_organisations or ()),
                     load=(loads or {}).get(expert.user_id, 0))


def pool(ids: Iterable[int] | None = None) -> list[Expert]:
    query = select(Expert).order_by(Expert.id)
    if ids is not None:
        query = query.where(Expert.id.in_(list(ids)))
    return list(db.session.scalars(query))


def _draw(round_: Assessment, proposal: Proposal, specialty: str, size: int,
          seed: int | None = None) -> tuple[Draw, int]:
    rules = expert_rules()
    if specialty not in {s.code for s in rules.specialties}:
        raise PanelError("请选择专业领域")
    limit = rules.yearly_load_limit
    loads = yearly_loads(utcnow().year)
    seed = secrets.randbits(63) if seed is None else seed
    try:
        return draw([candidate(e, loads) for e in pool()], _conflicts(round_, proposal, limit), specialty, size,
                    seed), limit
    except DrawError as exc:
        raise PanelError(str(exc)) from None


def _subject(proposal: Proposal, round_: Assessment) -> str:
    return f"{proposal.name}（第{round_.round}轮）"


def _seat(round_: Assessment, proposal: Proposal, expert: Expert, record: PanelDraw, by: User, note: str) -> PanelMember:
    member = PanelMember(user_id=expert.user_id, expert_id=expert.id, assessment=round_)
    member.draw_id = record.id
    return create(member, SHEET, by, subject=_subject(proposal, round_), note=note)


def _open(round_: Assessment) -> None:
    lock(round_)
    db.session.expire(round_, ["members", "draws"])  # as they stand under the lock
    if round_.status != RoundStatus.OPEN:
        raise PanelError("本轮评估已出结论，不能再调整评审组")


def draw_panel(round_: Assessment, proposal: Proposal, specialty: str, size: int, by: User,
               seed: int | None = None) -> PanelDraw:
    """Draw the round's panel from the pool at random (once per round), store the draw, seat the chosen.
    The seed is fresh from `secrets` unless given (demo data and tests)."""
    _open(round_)
    if any(d.kind == "draw" for d in round_.draws):
        raise PanelError("本轮已抽取评审组；如需调整，请逐一更换评审人并说明理由")
    result, limit = _draw(round_, proposal, specialty, size, seed)
    record = _store(round_, result, limit, proposal, by, kind="draw")
    experts = {e.id: e for e in pool(result.chosen)}
    label = expert_rules().specialty_label(specialty)
    for expert_id in result.chosen:
        _seat(round_, proposal, experts[expert_id], record, by, f"随机抽取（{label}）：{experts[expert_id].name}")
    audit("state", _subject(proposal, round_),
          f"随机抽取评审组：{label}{size}名，随机种子{result.seed}，符合条件{len(result.eligible)}名，"
          f"回避或不符合{len(result.excluded)}名，抽中：" + "、".join(experts[i].name for i in result.chosen), by)
    db.session.commit()
    return record


def _store(round_: Assessment, result: Draw, limit: int, proposal: Proposal, by: User, *, kind: str,
           reason: str = "", replaced: PanelMember | None = None) -> PanelDraw:
    record = PanelDraw(assessment_id=round_.id, kind=kind, specialty=result.specialty, size=result.size,
                       seed=str(result.seed), eligible=list(result.eligible),
                       excluded={str(k): v for k, v in result.excluded.items()}, chosen=list(result.chosen),
                       load_limit=limit, conflict_department_ids=sorted(conflicting_department_ids(proposal)),
                       reason=reason, replaced_member_id=replaced.id if replaced else None, by_id=by.id)
    db.session.add(record)
    db.session.flush()
    return record


def replace(member: PanelMember, reason: str, by: User, specialty: str = "") -> PanelMember:
    """Replace a reviewer who has not submitted with one drawn afresh from the pool (reason required)."""
    reason = reason.strip()
    if not reason:
        raise PanelError("更换评审人须填写理由")
    round_ = member.assessment
    proposal = round_.proposal
    _open(round_)
    lock(member)
    first = next((d for d in round_.draws if d.kind == "draw"), None)
    specialty = specialty or (first.specialty if first else "")
    if not specialty:
        raise PanelError("本轮评审组未经随机抽取，无从按专业领域随机替补：请先从专家库抽取，或手工添加评审人并说明理由")
    try:
        apply(member, SHEET, "replace", by, {"admin"} if by.role_enum is Role.ADMIN else set(), reason=reason,
              subject=_subject(proposal, round_), note=f"更换{member.user.display_name}")
    except TransitionError as exc:
        raise PanelError(str(exc)) from None
    member.replace_reason = reason
    result, limit = _draw(round_, proposal, specialty, 1)  # the replaced one sat on this panel: excluded
    record = _store(round_, result, limit, proposal, by, kind="replace", reason=reason, replaced=member)
    expert = pool(result.chosen)[0]
    new = _seat(round_, proposal, expert, record, by, f"随机抽取替换{member.user.display_name}：{expert.name}")
    audit("state", _subject(proposal, round_),
          f"更换评审人：{member.user.display_name}→{expert.name}（随机种子{result.seed}）；理由：{reason}", by)
    db.session.commit()
    return new


def manual_conflict(user: User, proposal: Proposal) -> str | None:
    """Why this user may not be added to the panel by hand: the conflicts of the draw except the yearly load
    (an addition by hand records its reason instead)."""
    ids = conflicting_department_ids(proposal)
    expert = db.session.scalar(select(Expert).where(Expert.user_id == user.id))
    names = set(db.session.scalars(select(Department.name).where(Department.id.in_(ids)))) if ids else set()
    conflicts = Conflicts(department_ids=frozenset(ids), department_names=frozenset(names),
                          city=report_settings().city_name)
    if expert is not None:
        reason = exclusion(candidate(expert), conflicts)
    else:
        reason = exclusion(Candidate(id=0, user_id=user.id, active=user.active, specialties=frozenset(),
                                     organisation=user.organisation or "", department_id=user.department_id),
                           conflicts)
    if reason is None:
        return None
    return f"{user.display_name}：{EXCLUSION_LABELS[reason]}" + ("" if reason is Exclusion.INACTIVE else "，应当回避")


def replays(record: PanelDraw) -> bool:
    """The auditor's check: the stored seed and eligible list give the stored panel again."""
    return replay(record.eligible, record.size, int(record.seed), record.chosen)


def replayed(record: PanelDraw) -> tuple[int, ...]:
    return pick(record.eligible, record.size, int(record.seed))


def describe(record: PanelDraw) -> dict:
    """A stored draw for the panel page: who was eligible, who was left out and why, who was chosen."""
    experts = {e.id: e for e in pool({*record.eligible, *map(int, record.excluded), *record.chosen})}
    name = lambda i: experts[i].name if i in experts else f"#{i}"  # noqa: E731
    return {
        "record": record,
        "specialty": expert_rules().specialty_label(record.specialty),
        "eligible": [name(i) for i in record.eligible],
        "excluded": [(name(int(i)), EXCLUSION_LABELS[Exclusion(code)]) for i, code in record.excluded.items()],
        "chosen": [name(i) for i in record.chosen],
        "replays": replays(record),
    }


def pledge_now() -> tuple[str, str, str]:
    """(title, text, version) of the 回避与保密承诺 to sign now (rules/experts.yaml)."""
    rules = expert_rules()
    return rules.pledge.title, "".join(rules.pledge.text.split()), rules.version
