"""What the report prints under 投入经济性 (issue 26): the 因素分析法 text generated from the assessed version's cost
lines, and the round's recorded findings with their figures and sources."""
from __future__ import annotations

from decimal import Decimal, ROUND_HALF_UP
from typing import Any

from budget_eval.assessment.domain.unit_costs import TENTH
from budget_eval.assessment.economy import PERCENT, _yuan
from budget_eval.assessment.models import Assessment
from budget_eval.assessment.economy_sources import comparable_rows, shown_sources
from budget_eval.intake.domain.economy_rules import EconomyFile
from budget_eval.intake.rules import economy_rules
from budget_eval.platform.domain.money import format_wan


# --- 因素分析法 -----------------------------------------------------------------------------------------------
def snapshot_lines(record: dict[str, Any]) -> list[tuple[str, Decimal | None, str, Decimal | None, Decimal | None]]:
    """(item, quantity, unit, unit price 元, amount 万元) of a stored version's 费用明细 (none before issue 26)."""
    def number(text: object) -> Decimal | None:
        return None if text in (None, "") else Decimal(str(text))
    return [(row[0], number(row[1]), row[2], number(row[3]), number(row[4])) for row in record.get("cost_lines") or []]


def factor_analysis(lines: list[tuple[str, Decimal | None, str, Decimal | None, Decimal | None]], top: int) -> str:
    """The requested amount explained by its main cost drivers (largest lines, quantity × price, share), in words
    generated from the 费用明细; empty without lines."""
    priced = [line for line in lines if line[4]]
    total = sum((line[4] or Decimal(0) for line in priced), Decimal(0))
    if not priced or total <= 0:
        return ""
    ranked = sorted(priced, key=lambda line: line[4] or Decimal(0), reverse=True)
    parts = []
    for item, quantity, unit, price, amount in ranked[:top]:
        assert amount is not None
        share = (amount / total * PERCENT).quantize(TENTH, rounding=ROUND_HALF_UP)
        how = f"（{quantity.normalize():,f}{unit}×{_yuan(price)}/{unit}）" if quantity and price is not None else ""
        parts.append(f"{item}{format_wan(amount)}{how}，占{share}%")
    covered = sum((line[4] or Decimal(0) for line in ranked[:top]), Decimal(0))
    text = f"费用明细共{len(priced)}项，合计{format_wan(total)}。主要费用为：" + "；".join(parts) + "。"
    if len(ranked) > top:
        text += f"其余{len(ranked) - top}项合计{format_wan(total - covered)}。"
    return text


def report_section(round_: Assessment, rules: EconomyFile | None = None) -> dict[str, Any] | None:
    """What the report prints under 投入经济性: the 因素分析 of the assessed version's cost lines and the round's
    recorded findings with their figures and sources; None when there is none of these."""
    rules = rules or economy_rules()
    factors = factor_analysis(snapshot_lines(round_.version.snapshot), rules.factor_analysis_lines)
    findings = [{"method": f.method, "summary": f.summary, "sources": shown_sources(f.method, f.figures, f.sources),
                 "table": f.figures.get("table") or []} for f in round_.economy_findings]
    if not factors and not findings:
        return None
    return {"factors": factors, "findings": findings, "comparables": comparable_rows(round_)}


def method_findings_of(round_: Assessment) -> list:
    """The round's 投入经济性 findings as methods used (the report's 评估方法 names them; assessment.method_findings):
    the method by its name in the rules' list (比较法, 成本效益分析法 …), the finding, the figures' sources."""
    from budget_eval.assessment.method_findings import MethodFinding

    return [MethodFinding(f.method, f.summary, shown_sources(f.method, f.figures, f.sources), source="投入经济性测算")
            for f in round_.economy_findings]
