"""Cost–benefit figures of a proposal (成本效益分析法), pure: yearly costs and benefits over the appraisal
period (year 0 = the first year), NPV at a discount rate, BCR, payback year, IRR where it exists, and a
sensitivity table. For outcomes that cannot be priced: cost per unit of outcome (最低成本法 / 成本效果).

Conventions: flows are discounted to year 0 by (1 + r)^t; the payback year is the first year in which the
cumulative undiscounted net flow reaches zero; the IRR is reported only where the net flows change sign
exactly once (then it is unique), found by bisection to 0.0001%.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext, ROUND_HALF_UP

from budget_eval.intake.domain.cost_lines import YUAN_PER_WAN

ONE = Decimal(1)


def present_value(flows: Sequence[Decimal], rate: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 40
        return sum((f / (ONE + rate) ** t for t, f in enumerate(flows)), Decimal(0))


def npv(costs: Sequence[Decimal], benefits: Sequence[Decimal], rate: Decimal) -> Decimal:
    return present_value(net_flows(costs, benefits), rate)


def net_flows(costs: Sequence[Decimal], benefits: Sequence[Decimal]) -> list[Decimal]:
    n = max(len(costs), len(benefits))
    c = list(costs) + [Decimal(0)] * (n - len(costs))
    b = list(benefits) + [Decimal(0)] * (n - len(benefits))
    return [bi - ci for ci, bi in zip(c, b)]


def bcr(costs: Sequence[Decimal], benefits: Sequence[Decimal], rate: Decimal) -> Decimal | None:
    """Present value of benefits ÷ present value of costs; None when the costs are nil."""
    pv_costs = present_value(costs, rate)
    if pv_costs == 0:
        return None
    return present_value(benefits, rate) / pv_costs


def payback_year(costs: Sequence[Decimal], benefits: Sequence[Decimal]) -> int | None:
    """The index of the first year where the cumulative net flow, having been negative, reaches ≥ 0; 0 when it
    is never negative; None when it never comes back within the period."""
    total = Decimal(0)
    for t, flow in enumerate(net_flows(costs, benefits)):
        total += flow
        if total >= 0:
            return t
    return None


def sign_changes(flows: Sequence[Decimal]) -> int:
    signs = [f > 0 for f in flows if f != 0]
    return sum(1 for a, b in zip(signs, signs[1:]) if a != b)


def irr(costs: Sequence[Decimal], benefits: Sequence[Decimal]) -> Decimal | None:
    """The rate where NPV = 0, when the net flows change sign exactly once and it lies in (−99%, 1000%)."""
    flows = net_flows(costs, benefits)
    if sign_changes(flows) != 1:
        return None
    low, high = Decimal("-0.99"), Decimal(10)
    f_low, f_high = present_value(flows, low), present_value(flows, high)
    if f_low == 0:
        return low
    if (f_low > 0) == (f_high > 0):
        return None
    for _ in range(200):
        mid = (low + high) / 2
        f_mid = present_value(flows, mid)
        if f_mid == 0 or high - low < Decimal("0.0000001"):
            return mid
        if (f_mid > 0) == (f_low > 0):
            low, f_low = mid, f_mid
        else:
            high = mid
    return (low + high) / 2


@dataclass(frozen=True)
class Result:
    label: str
    npv: Decimal
    bcr: Decimal | None
    payback: int | None
    irr: Decimal | None


def evaluate(label: str, costs: Sequence[Decimal], benefits: Sequence[Decimal], rate: Decimal) -> Result:
    return Result(label, npv(costs, benefits, rate), bcr(costs, benefits, rate), payback_year(costs, benefits),
                  irr(costs, benefits))


def sensitivity(costs: Sequence[Decimal], benefits: Sequence[Decimal], rate: Decimal, cost_up: Decimal,
                benefit_down: Decimal, delay_years: int) -> list[Result]:
    """The base case, costs raised by `cost_up` (0.2 = 20%), benefits lowered by `benefit_down`, and the
    benefits arriving `delay_years` later (the costs as planned)."""
    up = [c * (ONE + cost_up) for c in costs]
    down = [b * (ONE - benefit_down) for b in benefits]
    late = [Decimal(0)] * delay_years + list(benefits)
    pct = Decimal(100)
    return [
        evaluate("基准情形", costs, benefits, rate),
        evaluate(f"成本增加{_pct(cost_up * pct)}%", up, benefits, rate),
        evaluate(f"效益减少{_pct(benefit_down * pct)}%", costs, down, rate),
        evaluate(f"效益推迟{delay_years}年", costs, late, rate),
    ]


def cost_per_unit(total_cost_wan: Decimal, outcome: Decimal) -> Decimal | None:
    """Cost per unit of an outcome that cannot be priced, in 元 (成本效果比)."""
    if outcome <= 0:
        return None
    return (total_cost_wan * YUAN_PER_WAN / outcome).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _pct(value: Decimal) -> str:
    return format(value.normalize(), "f")


def rounded(value: Decimal | None, places: str = "0.01") -> Decimal | None:
    return None if value is None else value.quantize(Decimal(places), rounding=ROUND_HALF_UP)
