"""The 预算测算 as a table of cost lines (item, quantity, unit, unit price, amount, basis, the output target it
produces), and what makes the table consistent: each amount is quantity × unit price, and the lines add up to
the fiscal funds requested. Amounts in 万元, unit prices in 元 per unit (元/公里, 元/人次). Pure.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, ROUND_HALF_UP

from budget_eval.platform.domain.money import CENT, format_wan, WAN_PER_YI

YUAN_PER_WAN = WAN_PER_YI  # 1万元 = 10000元, the same factor as 1亿元 = 10000万元 (a unit conversion)

Problem = tuple[str, str]


@dataclass(frozen=True)
class CostLine:
    item: str
    quantity: Decimal | None
    unit: str
    unit_price_yuan: Decimal | None
    amount_wan: Decimal | None
    basis: str = ""  # a code from rules/economy.yaml (quota, quote, contract, other)
    document: str = ""  # the 定额 / 询价单 / 合同 the price rests on
    target: str = ""  # the output target (三级指标) the line produces

    def is_blank(self) -> bool:
        texts = (self.item, self.unit, self.basis, self.document, self.target)
        return not any(t.strip() for t in texts) and self.quantity is None and self.unit_price_yuan is None \
            and self.amount_wan is None


def line_amount_wan(quantity: Decimal, unit_price_yuan: Decimal) -> Decimal:
    """Quantity × unit price, in 万元 to the 分 of 万元 (100元), half up."""
    return (quantity * unit_price_yuan / YUAN_PER_WAN).quantize(CENT, rounding=ROUND_HALF_UP)


def lines_total_wan(lines: Sequence[CostLine]) -> Decimal:
    return sum((line.amount_wan or Decimal(0) for line in lines), Decimal("0.00"))


def cost_line_problems(lines: Sequence[CostLine], requested_wan: Decimal | None, basis_codes: Sequence[str],
                       target_names: Sequence[str], *, complete: bool,
                       documented: Sequence[str] | None = None) -> list[Problem]:
    """Problems of the table, keyed by the form field ("cost_lines-2-amount": item, quantity, unit, unit_price, amount, basis, document, target; or "cost_lines" for the whole).
    `complete`: a submission (every cell needed, the lines add up to `requested_wan`); a draft only refuses
    contradictions. `documented`: the bases that need their document named (default: all but the last)."""
    needs_document = set(basis_codes[:-1] if documented is None else documented)
    problems: list[Problem] = []
    for i, line in enumerate(lines):
        if line.is_blank():
            continue
        key = f"cost_lines-{i}-"
        if complete:
            for name, label in (("item", "费用项目"), ("unit", "计量单位"), ("basis", "测算依据类型")):
                if not getattr(line, name).strip():
                    problems.append((key + name, f"请填写{label}"))
            for name, field, label in (("quantity", "quantity", "数量"), ("unit_price_yuan", "unit_price", "单价"),
                                       ("amount_wan", "amount", "金额")):
                if getattr(line, name) is None:
                    problems.append((key + field, f"请填写{label}"))
        if line.basis and line.basis not in basis_codes:
            problems.append((key + "basis", "请选择有效的测算依据类型"))
        if complete and line.basis in needs_document and not line.document.strip():
            problems.append((key + "document", "请写明依据的定额、询价单或合同名称"))
        if line.target.strip() and line.target.strip() not in target_names:
            problems.append((key + "target", f"“{line.target}”不是本项目绩效目标中的指标"))
        if line.quantity is not None and line.quantity <= 0:
            problems.append((key + "quantity", "数量应大于0"))
        if line.unit_price_yuan is not None and line.unit_price_yuan < 0:
            problems.append((key + "unit_price", "单价不能为负数"))
        if line.quantity and line.unit_price_yuan is not None and line.amount_wan is not None and line.quantity > 0:
            expected = line_amount_wan(line.quantity, line.unit_price_yuan)
            if expected != line.amount_wan:
                problems.append((key + "amount", f"数量×单价为{format_wan(expected)}，与所填金额"
                                 f"{format_wan(line.amount_wan)}不一致"))
    filled = [line for line in lines if not line.is_blank()]
    if complete and filled and requested_wan is not None and all(line.amount_wan is not None for line in filled):
        total = lines_total_wan(filled)
        if total != requested_wan:
            problems.append(("cost_lines", f"费用明细合计{format_wan(total)}，与申请本级财政资金合计"
                             f"{format_wan(requested_wan)}不一致（差{format_wan(abs(total - requested_wan))}）"))
    return problems
