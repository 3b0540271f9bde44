"""The issues behind each hot word, stored so the office can edit and confirm them."""
from __future__ import annotations

from sqlalchemy import select

from budget_eval.evaluation.domain.hotword_ranking import HotWord
from budget_eval.platform.extensions import db
from budget_eval.evaluation.feedback_models import HotWordIssue
from budget_eval.evaluation.models import EvaluationYear
from budget_eval.platform.models.department import Department
from budget_eval.platform.models.user import User
from budget_eval.platform.models.types import utcnow
from budget_eval.platform.audit import audit


def stored(year: EvaluationYear) -> dict[tuple[int | None, str], list[HotWordIssue]]:
    found: dict[tuple[int | None, str], list[HotWordIssue]] = {}
    for issue in db.session.scalars(select(HotWordIssue).where(HotWordIssue.year_id == year.id)
                                    .order_by(HotWordIssue.position, HotWordIssue.id)):
        found.setdefault((issue.department_id, issue.word), []).append(issue)
    return found


def keep(year: EvaluationYear, department: Department | None, word: HotWord, user) -> list[HotWordIssue]:
    """Store the computed issues of one hot word (once; later calls return what is stored)."""
    department_id = department.id if department else None
    existing = stored(year).get((department_id, word.word))
    if existing:
        return existing
    found = [(issue.label, issue.count) for issue in word.issues] or [(word.examples[0][:500], word.count)]
    made = [HotWordIssue(year_id=year.id, department_id=department_id, word=word.word, position=n,
                         label=label, count=count) for n, (label, count) in enumerate(found)]
    db.session.add_all(made)
    audit("hotwords", f"{year.year}年度热词“{word.word}”", f"保存问题清单{len(made)}条", user)
    return made


def edit(issue: HotWordIssue, label: str, confirmed: bool, user: User) -> None:
    label = label.strip()[:500]
    if not label:
        raise ValueError("请填写问题表述")
    issue.label = label
    if confirmed and not issue.confirmed:
        issue.confirmed, issue.confirmed_by_id, issue.confirmed_at = True, user.id, utcnow()
    elif not confirmed:
        issue.confirmed, issue.confirmed_by_id, issue.confirmed_at = False, None, None
    audit("hotwords", f"热词“{issue.word}”问题", f"{'确认' if confirmed else '修改'}：{label}", user)
