"""Template filters for a proposal's labels: its status and its screening outcome."""
from __future__ import annotations

from flask import Flask

from budget_eval.intake.domain.screening import Outcome, OUTCOME_LABELS
from budget_eval.intake.domain.workflow import Status, STATUS_LABELS


def register(app: Flask) -> None:
    app.add_template_filter(lambda code: STATUS_LABELS.get(Status(code), code) if code else "—", "status_label")
    app.add_template_filter(lambda code: OUTCOME_LABELS[Outcome(code)] if code else "未筛查", "outcome_label")
