"""Read score sheets (one score and comment per indicator) from a posted form."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from budget_eval.assessment.domain.assessment_rules import Template
from budget_eval.assessment.domain.scoring import plain, TWO


def read_scores(form, template: Template) -> tuple[dict[str, Decimal | None], dict[str, str], list[tuple[str, str]]]:
    """Scores, comments and format problems ("请输入数字") keyed by indicator."""
    scores: dict[str, Decimal | None] = {}
    comments: dict[str, str] = {}
    problems = []
    for indicator in template.indicators:
        text = (form.get(f"score-{indicator.key}") or "").strip()
        comments[indicator.key] = (form.get(f"comment-{indicator.key}") or "")[:2000]
        if not text:
            scores[indicator.key] = None
            continue
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = None
        # range before quantize: quantize fails on huge exponents
        ok = value is not None and value.is_finite() and 0 <= value <= indicator.points \
            and value == value.quantize(TWO)
        if not ok:
            problems.append((indicator.key, f"得分应为0至{plain(indicator.points)}之间的数字，最多两位小数"))
            scores[indicator.key] = None
        else:
            scores[indicator.key] = value.quantize(TWO)
    return scores, comments, problems
