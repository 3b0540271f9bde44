"""The actions on one unit's evaluation page: the office scores and checks, the department reports and responds.

Each action is one small function. The unit row is locked first, so two people acting on one unit at once are
serialised; status changes go through the lifecycles in evaluation/domain/states.py.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from budget_eval.platform.worklist import beijing_today
from budget_eval.evaluation import operations as evaluation, publication
from budget_eval.evaluation.domain.states import INNOVATION, OFFICE, UNIT, YearStatus
from budget_eval.evaluation.models import (
    Deduction,
    EvalTarget,
    EvaluationUnit,
    Evidence,
    Innovation,
)
from budget_eval.evaluation.domain.comment_lifecycles import LifecycleError
from budget_eval.evaluation.operations import EvaluationError
from budget_eval.platform import file_store as attachments
from budget_eval.platform.audit import audit
from budget_eval.platform.domain.lifecycle import TransitionError
from budget_eval.platform.lifecycle import apply, create, lock
from budget_eval.platform.models.user import User

TEXT_LIMIT = 2000
ANY = "any"  # both sides (the lifecycle table then says who may take which step)


class NotAllowed(Exception):
    """The action is not this user's, or does not exist (a 403)."""


@dataclass(frozen=True)
class Action:
    run: Callable
    actor: str  # OFFICE or UNIT
    open_year_only: bool = False


def number(text: str | None, low: Decimal, high: Decimal, label: str) -> Decimal:
    try:
        value = Decimal((text or "").strip())
    except InvalidOperation:
        raise EvaluationError(f"{label}应为数字") from None
    if not value.is_finite() or not low <= value <= high or value != value.quantize(Decimal("0.01")):
        raise EvaluationError(f"{label}应在{low}至{high}之间，最多两位小数")
    return value


def text(form, key: str, label: str) -> str:
    value = (form.get(key) or "").strip()
    if not value:
        raise EvaluationError(f"请填写{label}")
    return value[:TEXT_LIMIT]


def child(items, form):
    wanted = form.get("id", "")
    found = next((i for i in items if str(i.id) == wanted), None)
    if found is None:
        raise NotAllowed()
    return found


class Kept:
    """What was typed in the one form of the unit page that was sent, to fill it in again when it is refused
    (every other form on the page starts empty), and the error to show on it."""

    def __init__(self, form, error: str = ""):
        self.form, self.error = form, error
        self.step, self.id = form.get("step", ""), form.get("id", "")

    def failed(self, error: str) -> Kept:
        return Kept(self.form, error)
    def sent(self, step: str, id=None) -> bool:
        return self.step == step and (id is None or self.id == str(id))

    def value(self, step: str, name: str, id=None) -> str:
        return self.form.get(name, "") if self.sent(step, id) else ""

    def checked(self, step: str, name: str, value: str, id=None) -> bool:
        return self.sent(step, id) and value in self.form.getlist(name)

    def error_for(self, step: str, id=None) -> str:  # the error, on the form that was sent
        return self.error if self.sent(step, id) else ""


@dataclass(frozen=True)
class Preview:  # an appeal decision's effect on every unit of the year, shown before it is confirmed
    appeal_id: int
    upheld: bool
    change: Decimal
    effects: list


def previewing(form) -> bool:  # the appeal decision's 预览 button
    return form.get("step") == "decide" and form.get("preview") == "yes"


def _appeal_choice(form) -> tuple[bool, Decimal]:
    choice = form.get("upheld", "")
    if choice not in ("yes", "no"):
        raise EvaluationError("请选择申诉是否成立")
    upheld = choice == "yes"
    change = number(form.get("change") or "0", Decimal(-100), Decimal(100), "调整分值") if upheld else Decimal(0)
    return upheld, change


def preview(unit: EvaluationUnit, form, office: bool) -> Preview:
    """What deciding the appeal as chosen would do to every unit's total, rank and grade (nothing stored)."""
    if not office:
        raise NotAllowed()
    appeal = child(unit.appeals, form)
    upheld, change = _appeal_choice(form)
    return Preview(appeal.id, upheld, change, publication.preview_appeal(appeal, change if upheld else Decimal(0)))


def perform(unit: EvaluationUnit, form, files, user: User, office: bool) -> str:
    """Carry out one action from the unit page; returns the message to show (not committed)."""
    action = ACTIONS.get(form.get("step", ""))
    if action is None or action.actor not in (ANY, OFFICE if office else UNIT):
        raise NotAllowed()
    lock(unit)
    if action.open_year_only and unit.year.status != YearStatus.OPEN:
        raise EvaluationError("结果已公布，不能再修改")
    if action.open_year_only and not office and unit.year.is_withdrawn:
        raise EvaluationError("本年度考评结果已撤回，正由考评办更正，更正后重新公布")
    try:
        return action.run(unit, form, files, user)
    except (TransitionError, LifecycleError) as exc:
        raise EvaluationError(str(exc)) from None


def _log(unit, user, detail: str) -> None:
    """The audit line of an action on a unit's page (subject: the unit and its year)."""
    audit("evaluation", f"{unit.year.year}年度 {unit.department.name}", detail, user)


def _target(unit, form, files, user) -> str:
    target = EvalTarget(name=text(form, "name", "目标名称")[:200],
                        weight=number(form.get("weight"), Decimal(0), Decimal(100), "权重"))
    unit.targets.append(target)
    _log(unit, user, f"目标考核：添加目标“{target.name}”，权重{target.weight}")
    return "已添加目标。"


def _score(unit, form, files, user) -> str:
    target = child(unit.targets, form)
    before = target.score
    target.score = number(form.get("score"), Decimal(0), Decimal(100), "得分")
    _log(unit, user, f"目标考核：“{target.name}”得分 {before if before is not None else '未评'} → {target.score}")
    return f"已为“{target.name}”评分。"


def _deduction(unit, form, files, user) -> str:
    item = Deduction(points=number(form.get("points"), Decimal(0), Decimal(100), "扣分"),
                     reason=text(form, "reason", "扣分理由"), created_by_id=user.id)
    unit.deductions.append(item)
    _log(unit, user, f"明察暗访扣分：{item.points}分，理由：{item.reason}")
    return "已记录扣分。"


def _leader(unit, form, files, user) -> str:
    leader, score = text(form, "leader", "领导姓名")[:64], number(form.get("score"), Decimal(0), Decimal(100), "得分")
    if evaluation.set_leader_score(unit, leader, score):  # one per leader: replaces
        _log(unit, user, f"领导评分：{leader} {score}分")
    return "已记录领导评分。"


def _verify_innovation(unit, form, files, user) -> str:
    item = child(unit.innovations, form)
    verified = number(form.get("verified"), Decimal(0), item.claimed, "核定分值")
    apply(item, INNOVATION, "verify", user, {OFFICE}, note=f"核定{verified}分", subject=unit.department.name)
    item.verified, item.verify_note = verified, form.get("note", "").strip()[:TEXT_LIMIT]
    return f"已核定“{item.title}”。"


def _vetoes(unit, form, files, user) -> str:
    before, promoted = list(unit.vetoes or []), unit.special_promotion
    unit.vetoes = [v for v in form.getlist("veto") if v in evaluation.scheme_of(unit.year).veto_items]
    unit.special_promotion = form.get("special_promotion") == "y"
    _log(unit, user, f"一票否决事项：{'、'.join(before) or '无'} → {'、'.join(unit.vetoes) or '无'}；"
         f"专项晋优：{'是' if promoted else '否'} → {'是' if unit.special_promotion else '否'}")
    return "已更新否决事项和专项晋优认定。"


def _manual(unit, form, files, user) -> str:
    rates = dict(unit.manual_rates or {})
    for component in evaluation.scheme_of(unit.year).components:
        if component.source == "manual" and form.get(component.code, "").strip():
            rates[component.code] = str(number(form.get(component.code), Decimal(0), Decimal(100),
                                               component.label) / 100)
    changes = [f"{c.label} {(unit.manual_rates or {}).get(c.code, '未填')} → {rates[c.code]}"
               for c in evaluation.scheme_of(unit.year).components
               if c.code in rates and rates[c.code] != (unit.manual_rates or {}).get(c.code)]
    unit.manual_rates = rates
    _log(unit, user, f"人工录入得分率：{'；'.join(changes) or '未改变'}")
    return "已保存。"


def _decide_appeal(unit, form, files, user) -> str:
    appeal = child(unit.appeals, form)
    upheld, change = _appeal_choice(form)
    evaluation.decide_appeal(appeal, upheld, change, form.get("decision", ""), user)
    return "申诉已处理，排名和等级已重新计算。"


def _commitment(unit, form, files, user) -> str:
    """A step of a rectification commitment: the unit reports it done, the office verifies or returns it."""
    from budget_eval.evaluation import feedback
    from budget_eval.evaluation.domain.comment_lifecycles import COMMITMENT, label

    item = child(unit.rectifications, form)
    feedback.move(item, COMMITMENT, form.get("action", ""), user, form.get("note", "").strip())
    return f"“{item.topic}”：{label(item.status)}。"


def _supervision_progress(unit, form, files, user) -> str:
    from budget_eval.evaluation import feedback

    item = next((i for i in feedback.unit_items(unit) if str(i.id) == form.get("id", "")), None)
    if item is None:
        raise NotAllowed()
    report = text(form, 'progress', '进展情况')
    item.progress = (item.progress + "\n" if item.progress else "") + f"{beijing_today()} {unit.department.name}：{report}"
    audit("supervision", item.title, f"{unit.department.name}报送督办进展：{report}", user)
    return "已报送督办进展。"


def _progress(unit, form, files, user) -> str:
    target = child(unit.targets, form)
    report = text(form, 'progress', '进展情况')
    target.progress = (target.progress + "\n" if target.progress else "") + f"{beijing_today()}：{report}"
    file = files.get("evidence")
    evidence = ""
    if file is not None and file.filename:
        try:
            saved = attachments.save_upload(file.stream, file.filename)
        except attachments.AttachmentError as exc:
            raise EvaluationError(f"佐证材料上传失败：{exc}") from None
        target.evidence.append(Evidence(filename=saved.filename, storage_key=saved.key, size=saved.size,
                                        uploaded_by_id=user.id))
        evidence = f"；佐证材料“{saved.filename}”（{saved.size}字节）"
    _log(unit, user, f"目标进展报送：“{target.name}”：{report}{evidence}")
    return "已报送进展。"


def _innovation(unit, form, files, user) -> str:
    item = Innovation(unit_id=unit.id, title=text(form, "title", "项目名称")[:200],
                      description=form.get("description", "")[:TEXT_LIMIT],
                      claimed=number(form.get("claimed"), Decimal(0), Decimal(100), "申报分值"))
    create(item, INNOVATION, user, subject=unit.department.name, note=item.title)
    return "已申报创新创优项目，待专家核验。"


def _appeal(unit, form, files, user) -> str:
    evaluation.file_appeal(unit, form.get("reason", ""), user)
    return "申诉已提交，考评办将作出处理。"


def _rectification(unit, form, files, user) -> str:
    from budget_eval.evaluation import feedback

    deadline = form.get("deadline", "")
    try:
        when = date.fromisoformat(deadline) if deadline else None
    except ValueError:
        raise EvaluationError("完成期限的格式应为 2027-06-30") from None
    public = form.get("public") == "yes"
    feedback.commit_target(unit, text(form, "topic", "问题"), text(form, "response", "回应"),
                           text(form, "measures", "整改措施"), when, public, user)
    return "已提交回应和整改承诺" + ("（向社会公开）。" if public else "（内部）。")


ACTIONS = {
    "target": Action(_target, OFFICE, True),
    "score": Action(_score, OFFICE, True),
    "deduction": Action(_deduction, OFFICE, True),
    "leader": Action(_leader, OFFICE, True),
    "verify": Action(_verify_innovation, OFFICE, True),
    "vetoes": Action(_vetoes, OFFICE, True),
    "manual": Action(_manual, OFFICE, True),
    "decide": Action(_decide_appeal, OFFICE),
    "commitment": Action(_commitment, ANY),
    "progress": Action(_progress, UNIT, True),
    "innovation": Action(_innovation, UNIT, True),
    "appeal": Action(_appeal, UNIT),
    "rectification": Action(_rectification, UNIT),
    "supervision_progress": Action(_supervision_progress, UNIT),
}
