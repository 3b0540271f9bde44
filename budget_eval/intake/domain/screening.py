"""Whether an item needs a pre-project performance assessment (事前绩效评估).

Implements art. 5 of 杭州市预算事前绩效评估管理办法 (2020): newly introduced items that need fiscal budget
funds are assessed when infrastructure investment reaches its threshold or another policy/project reaches
its own; urgent emergency, rescue and disaster-relief items may skip it. Thresholds and clause texts come
from rules/screening.yaml; this module holds no policy figure.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from budget_eval.platform.domain.money import format_money, format_round
from budget_eval.platform.domain.ruleset import ScreeningRules


class Outcome(StrEnum):
    REQUIRED = "required"
    NOT_REQUIRED = "not_required"
    EXEMPT = "exempt"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS = {Outcome.REQUIRED: "需要", Outcome.NOT_REQUIRED: "不需要", Outcome.EXEMPT: "免于评估"}


@dataclass(frozen=True)
class ScreeningInput:
    category: str  # a category code from the rules
    is_new: bool  # 新出台 (True) or 延续 (False)
    fiscal_total_wan: Decimal  # fiscal funds requested over the whole implementation period
    is_emergency: bool = False  # 应急、抢险、救灾急需


@dataclass(frozen=True)
class ScreeningResult:
    outcome: Outcome
    basis: str  # which clause decided, and which amount against which threshold, in words
    rule_version: str
    threshold_wan: Decimal | None


def screen(item: ScreeningInput, rules: ScreeningRules) -> ScreeningResult:
    """Decide 需要 / 不需要 / 免于评估 for one item, citing the clause that decided it."""
    category = rules.category(item.category)
    cite = f"依据{rules.document}{rules.article}"
    amount = format_money(item.fiscal_total_wan)
    threshold = format_round(category.threshold_wan)

    def result(outcome: Outcome, reason: str, clause: str) -> ScreeningResult:
        basis = f"{reason}。{cite}：“{clause}”。"
        return ScreeningResult(outcome, basis, rules.version, category.threshold_wan)

    if not item.is_new:
        return result(Outcome.NOT_REQUIRED, f"该{category.label}为延续事项，不属于新出台的政策和项目", rules.continuing_clause)
    if item.fiscal_total_wan <= 0:
        return result(Outcome.NOT_REQUIRED, "未申请财政资金", rules.no_funds_clause)
    comparison = f"新出台{category.label}，实施期内申请财政资金合计{amount}"
    if item.fiscal_total_wan < category.threshold_wan:
        return result(Outcome.NOT_REQUIRED, f"{comparison}，低于{threshold}的评估门槛", category.clause)
    if item.is_emergency:
        return result(
            Outcome.EXEMPT,
            f"{comparison}，达到{threshold}的评估门槛，但属应急、抢险、救灾急需事项",
            rules.exemption_clause,
        )
    return result(Outcome.REQUIRED, f"{comparison}，达到{threshold}的评估门槛", category.clause)
