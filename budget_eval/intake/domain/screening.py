"""Whether an item needs a pre-project performance assessment (事前绩效评估).

Implements art. 5 of 杭州市预算事前绩效评估管理办法 (2020): items newly to be introduced that need fiscal
budget funds are assessed when infrastructure investment reaches its threshold or another policy/project
reaches its own; urgent emergency, rescue and disaster-relief items may skip it. Where the article is silent
(延续, 到期延续, continuing items changed in substance, mid-year 预算调整) the bureau's own rule applies,
and the basis says so. Thresholds, the article's sentences (quoted verbatim), which funding sources count
and the bureau's rules all come from rules/screening.yaml; this module holds no policy figure or text.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from budget_eval.platform.domain.money import format_round, format_wan
from budget_eval.intake.domain.rule_files import ScreeningRules

BUREAU = "【本局自定】"
NEW, CONTINUING, MIDYEAR = "new", "continuing", "midyear"


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
    is_new: bool  # 新出台 (True) or a continuing item (False)
    fiscal_total_wan: Decimal  # the fiscal money requested, when the sources are not itemised (batch rows)
    is_emergency: bool = False  # 应急、抢险、救灾急需
    nature: str = ""  # for a continuing item: continuing / expiring / changed (a silent case in the rules)
    midyear: bool = False  # raised in a mid-year budget adjustment (年中预算调整)
    sources: Mapping[str, Decimal] | None = None  # the total investment by funding source
    fund_years: tuple[tuple[int, Decimal], ...] = ()  # this level's fiscal funds requested, by year
    estimate_basis: str = ""  # a policy without a fixed amount: how the amount was estimated


@dataclass(frozen=True)
class ScreeningResult:
    outcome: Outcome
    basis: str  # our reasoning in plain words, then the article's own sentences in quotation marks
    rule_version: str
    threshold_wan: Decimal | None
    amount_wan: Decimal | None = None  # the amount compared with the threshold
    estimated: bool = False  # the amount is an estimate (policy without a fixed amount)


def screen(item: ScreeningInput, rules: ScreeningRules) -> ScreeningResult:
    """Decide 需要 / 不需要 / 免于评估 for one item, quoting the sentences of art. 5 that decided it."""
    category = rules.category(item.category)
    quote_scope = _cite(rules, rules.quotes[category.quote])
    amount, counted = _amount(item, rules)
    estimate = f"；该{category.label}无固定金额，按估算金额判定（测算依据：{item.estimate_basis}）" \
        if item.estimate_basis else ""

    def result(outcome: Outcome, reason: str, *quotes: str) -> ScreeningResult:
        return ScreeningResult(outcome, f"{reason}。{''.join(quotes)}", rules.version, category.threshold_wan,
                               amount, bool(item.estimate_basis))

    kind = f"该{category.label}为拟新出台事项。"
    case = rules.silent_cases.get(MIDYEAR if item.is_new and item.midyear else
                                  "" if item.is_new else (item.nature or CONTINUING))
    if case is not None:
        kind = f"该{category.label}为{case.label}事项，第五条对此未作规定。{BUREAU}{case.rule.rstrip('。')}。"
        if not case.needs_assessment:
            return result(Outcome.NOT_REQUIRED, kind.rstrip("。"), quote_scope)
    if amount <= 0:
        return result(Outcome.NOT_REQUIRED, f"{kind}{counted}{format_wan(amount)}，未申请财政预算资金", quote_scope)
    threshold = format_round(category.threshold_wan)
    comparison = f"{kind}{counted}{format_wan(amount)}{estimate}"
    if amount < category.threshold_wan:
        return result(Outcome.NOT_REQUIRED, f"{comparison}，低于{category.label}{threshold}的评估门槛", quote_scope)
    if item.is_emergency:
        return result(Outcome.EXEMPT, f"{comparison}，达到{threshold}的评估门槛，但属应急、抢险、救灾急需事项",
                      quote_scope, _cite(rules, rules.quotes["exemption"]))
    return result(Outcome.REQUIRED, f"{comparison}，达到{category.label}{threshold}的评估门槛",
                  quote_scope, _cite(rules, rules.quotes["duty"]))


def _cite(rules: ScreeningRules, sentence: str) -> str:
    return f"{rules.citation}：“{sentence}”"


def _amount(item: ScreeningInput, rules: ScreeningRules) -> tuple[Decimal, str]:
    """The art. 5 amount and, in words ending where the figure follows, which sources and years it counts."""
    if item.sources is None:  # a batch row: one figure of fiscal money requested
        return item.fiscal_total_wan, "申请财政资金合计"
    parts = [(code, value) for code, value in item.sources.items() if value]
    included = [f"{rules_label(rules, code)}{format_wan(v)}" for code, v in parts if rules.counts(code)]
    excluded = [f"{rules_label(rules, code)}{format_wan(v)}（{_reason(rules, code)}）"
                for code, v in parts if not rules.counts(code)]
    counted = "计入第五条金额的财政预算资金：" + ("、".join(included) or "无")
    counted += ("；不计入：" + "、".join(excluded) if excluded else "") + "。"
    if rules.amount_basis == "largest_year" and item.fund_years:
        year, amount = max(item.fund_years, key=lambda f: (f[1], -f[0]))
        return amount, f"{counted}{BUREAU}按分年度申请本级财政资金中最大的一年（{year}年）计算，为"
    total = sum((v for code, v in parts if rules.counts(code)), Decimal("0.00"))
    years = sorted(y for y, _ in item.fund_years)
    period = f"（{years[0]}—{years[-1]}年）" if len(years) > 1 else (f"（{years[0]}年）" if years else "")
    return total, f"{counted}{BUREAU}按实施期{period}合计计算，为"


def rules_label(rules: ScreeningRules, code: str) -> str:
    return rules.source_labels.get(code, code)


def _reason(rules: ScreeningRules, code: str) -> str:
    count = rules.source_counts.get(code)
    return count.reason.rstrip("。") if count else "规则未列入计入的资金来源"
