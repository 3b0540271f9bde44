"""The methods an assessment really used (评估方法), as records: what the assessor recorded on the round (a method
from rules/assessment.yaml's list, its finding and the evidence it rests on) and what other features found with
a method in their own records (e.g. the 投入经济性 calculator's 比较法 or 成本效益分析法 findings).

A feature adds its findings by registering a provider from its init_app:

    from budget_eval.assessment import method_findings
    method_findings.register(app, lambda round_: [MethodFinding("comparison", "…", "…", source="投入经济性测算")])

The report names exactly these methods and no other (nothing is named when nothing is recorded).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import Flask, current_app

if TYPE_CHECKING:
    from budget_eval.assessment.models import Assessment

KEY = "assessment_method_findings"


@dataclass(frozen=True)
class MethodFinding:
    method: str  # a code of rules/assessment.yaml `methods`
    finding: str  # what the method showed
    evidence: str  # what it rests on (material and page, data, comparison projects …)
    source: str = ""  # where it was recorded, when not on the round itself


Provider = Callable[["Assessment"], list[MethodFinding]]


def register(app: Flask, provider: Provider) -> None:
    app.extensions.setdefault(KEY, []).append(provider)


def findings(round_: Assessment) -> list[MethodFinding]:
    """The round's recorded methods, then each registered feature's, in that order."""
    recorded = [MethodFinding(str(m.get("method", "")), str(m.get("finding", "")), str(m.get("evidence", "")))
                for m in round_.methods_used or []]
    for provider in current_app.extensions.get(KEY, []):
        recorded += provider(round_)
    return recorded
