"""The results notice's 发文字号, given once through platform.numbering.number_once (safe when two requests race;
a notice keeps the number it was first given)."""
from __future__ import annotations

from budget_eval.evaluation.models import EvaluationYear
from budget_eval.platform.audit import audit, system
from budget_eval.platform.numbering import number_once


def _actor():
    """Whoever asked for the notice (its download numbers it), or the system when no one is signed in."""
    from flask import has_request_context
    from flask_login import current_user

    if has_request_context() and current_user.is_authenticated:
        return current_user
    return system("生成结果通报")


def notice_number(record: EvaluationYear, issue_year: int, template: str, actor=None) -> str:
    """The results notice's 文号: given once per evaluation year, from the issuing year's counter (commits),
    audited with `actor` (who asked for the notice: a job passes its user) or the signed-in user."""
    return number_once(record, "notice_number", "evaluation_notice", issue_year,
                       lambda seq: template.format(year=issue_year, seq=seq),
                       lambda number: audit("evaluation", f"{record.year}年度考评", f"结果通报编号：{number}",
                                            actor or _actor()))
