"""Template filters for a proposal's labels: its status, its screening outcome, its category, its kind of
continuing item and its funding sources."""
from __future__ import annotations

from flask import Flask

from budget_eval.intake.domain.assessor import ASSESSOR_LABELS, AssessorKind
from budget_eval.intake.domain.screening import Outcome, OUTCOME_LABELS
from budget_eval.intake.domain.workflow import Status, STATUS_LABELS
from budget_eval.intake.rules import economy_rules, intake_rules, screening_rules


def category_label(code: str | None) -> str:
    if not code:
        return "—"
    try:
        return screening_rules().category(code).label
    except KeyError:
        return code


def nature_label(code: str) -> str:
    """延续 / 到期延续 / …: a continuing item's kind as rules/screening.yaml names it."""
    case = screening_rules().silent_cases.get(code)
    return case.label if case else code


def register(app: Flask) -> None:
    app.add_template_filter(lambda code: STATUS_LABELS.get(Status(code), code) if code else "—", "status_label")
    app.add_template_filter(lambda code: OUTCOME_LABELS[Outcome(code)] if code else "未筛查", "outcome_label")
    app.add_template_filter(lambda code: ASSESSOR_LABELS[AssessorKind(code)] if code else "未确定", "assessor_label")
    app.add_template_filter(category_label, "category_label")
    app.add_template_filter(nature_label, "nature_label")
    app.add_template_filter(lambda code: intake_rules().source_label(code), "source_label")
    app.add_template_filter(lambda code: economy_rules().basis_label(code) if code else "—", "cost_basis_label")
    app.add_template_filter(yuan, "yuan")
    app.add_template_filter(lambda value: "—" if value is None else f"{value:,.2f}", "yuan_n")


def yuan(value) -> str:
    """A unit price in 元 with thousands separators (5,000,000.00元); — when blank."""
    return "—" if value is None else f"{value:,.2f}元"
