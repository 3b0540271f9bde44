"""Read score sheets (one score and comment per indicator) from a posted form."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from budget_eval.assessment.domain.assessment_rules import Template
from budget_eval.assessment.domain.scoring import plain, TWO
from budget_eval.assessment.domain.ratings import (
    ANALYSIS_FIELDS, ANALYSIS_LIMIT, Citation, COMMENT_LIMIT, MAX_CITATIONS, QUOTE_LIMIT, Rating,
)


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


def read_ratings(form, template: Template) -> tuple[dict[str, Rating], list[tuple[str, str]]]:
    """审核要点 ratings (level-<key>, comment-<key>, cite-<key>-<n>-file/page/quote) and format problems."""
    ratings: dict[str, Rating] = {}
    problems = []
    for point in template.audit_points:
        key = point.key
        citations = []
        for n in range(1, MAX_CITATIONS + 1):
            stem = f"cite-{key}-{n}"
            file, page = (form.get(f"{stem}-file") or "").strip(), (form.get(f"{stem}-page") or "").strip()
            quote = (form.get(f"{stem}-quote") or "").strip()[:QUOTE_LIMIT]
            if not file and not page and not quote:
                continue
            if not file.isdigit() or len(file) > 12:
                problems.append((key, f"引用{n}：请选择材料"))
            elif not page.isdigit() or len(page) > 6 or int(page) < 1:
                problems.append((key, f"引用{n}：页码应为正整数"))
            else:
                citations.append(Citation(int(file), int(page), quote))
        ratings[key] = Rating((form.get(f"level-{key}") or "").strip()[:20],
                              (form.get(f"comment-{key}") or "")[:COMMENT_LIMIT].strip(), tuple(citations))
    return ratings, problems


def read_analyses(form, template: Template) -> dict[str, dict[str, str]]:
    """Each dimension's written analysis (facts-<dim>, problems-<dim> …), each field trimmed to its limit."""
    return {d.code: {key: (form.get(f"{key}-{d.code}") or "")[:ANALYSIS_LIMIT].strip() for key, _, _ in ANALYSIS_FIELDS}
            for d in template.dimensions}
