"""What the assessor records about how a round was done: the methods actually used (from rules/assessment.yaml's
list, each with its finding and the evidence it rests on) and the procedure steps taken, with their dates.
Recorded while the round is open; the conclusion freezes them with the report. Every change is audited."""
from __future__ import annotations

from datetime import date

from budget_eval.assessment.domain.states import RoundStatus
from budget_eval.assessment.models import Assessment
from budget_eval.assessment.rules import rules_of
from budget_eval.platform.audit import audit
from budget_eval.platform.extensions import db
from budget_eval.platform.lifecycle import lock
from budget_eval.platform.domain.calendar import BEIJING
from budget_eval.platform.models.types import utcnow
from budget_eval.platform.models.user import User

TEXT_LIMIT = 500
NOTE_LIMIT = 200


class RecordError(ValueError):
    """Refused input: field → Chinese message."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("；".join(problems.values()))
        self.problems = problems


def _open(round_: Assessment) -> None:
    lock(round_)
    if round_.status != RoundStatus.OPEN:
        raise RecordError({"round": "本轮评估已出结论，评估方法和程序已随报告存档，不能再修改"})


def record_method(round_: Assessment, user: User, method: str, finding: str, evidence: str) -> str:
    """Add a method used with its finding and evidence (commits); returns the method's name."""
    listed = rules_of(round_).scoring.methods
    finding, evidence = finding.strip()[:TEXT_LIMIT], evidence.strip()[:TEXT_LIMIT]
    problems = {}
    if listed is None or method not in listed.codes:
        problems["method"] = "请从列表中选择评估方法"
    if not finding:
        problems["finding"] = "请填写运用该方法的发现"
    if not evidence:
        problems["evidence"] = "请填写发现所依据的材料（材料名称和页码）或数据"
    if problems:
        raise RecordError(problems)
    _open(round_)
    assert listed is not None
    label = listed.label(method)
    round_.methods_used = [*(round_.methods_used or []), {"method": method, "finding": finding, "evidence": evidence,
                                                          "by": user.id, "at": utcnow().isoformat()}]
    audit("score", round_.proposal.name, f"第{round_.round}轮：记录评估方法 {label}：{finding}（依据：{evidence}）",
          user)
    db.session.commit()
    return label


def record_step(round_: Assessment, user: User, step: str, day: str, note: str) -> str:
    """Add a procedure step taken on a day (commits); returns the step's name."""
    listed = rules_of(round_).scoring.procedure_steps
    problems = {}
    if listed is None or step not in listed.codes:
        problems["step"] = "请从列表中选择评估步骤"
    try:
        when = date.fromisoformat(day.strip())
        if when > (utcnow() + BEIJING).date():
            problems["date"] = "日期不能晚于今天（记录已开展的步骤）"
    except ValueError:
        problems["date"] = "日期格式应为 2026-11-20"
    if problems:
        raise RecordError(problems)
    _open(round_)
    assert listed is not None
    label = listed.label(step)
    note = note.strip()[:NOTE_LIMIT]
    round_.procedure_steps = [*(round_.procedure_steps or []), {"step": step, "date": when.isoformat(), "note": note,
                                                                "by": user.id, "at": utcnow().isoformat()}]
    audit("score", round_.proposal.name, f"第{round_.round}轮：记录评估程序 {when.isoformat()} {label}"
          + (f"：{note}" if note else ""), user)
    db.session.commit()
    return label


def remove_record(round_: Assessment, user: User, kind: str, index: int, at: str) -> None:
    """Take back a method or step recorded by mistake (commits; the audit log keeps what it said). `at` (when the
    entry was recorded) makes sure the entry is the one the user saw, whatever others removed meanwhile."""
    _open(round_)
    key = "methods_used" if kind == "method" else "procedure_steps"
    entries = list(getattr(round_, key) or [])
    if not 0 <= index < len(entries) or entries[index].get("at") != at:
        raise RecordError({"round": "该记录已不存在，请刷新页面"})
    gone = entries.pop(index)
    setattr(round_, key, entries)
    audit("score", round_.proposal.name, f"第{round_.round}轮：删除{'评估方法' if kind == 'method' else '评估程序'}记录"
          f"（{gone}）", user)
    db.session.commit()
