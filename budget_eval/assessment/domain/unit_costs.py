"""The unit-cost library (reference class): unit costs of past projects and imported contract prices or
定额, brought to one year by a price index, and where a cost line under review stands among its comparables
(median, quartiles, position, flags). Pure: the figures come in, the rules (rules/economy.yaml) come in.

Quartiles are the inclusive linear interpolation (Excel QUARTILE.INC, R type 7): for sorted x₁…xₙ the
p-quantile is x at rank 1 + p(n−1), interpolated between neighbours.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, ROUND_HALF_UP

HUNDRED = Decimal(100)
YUAN = Decimal("0.01")
TENTH = Decimal(1).scaleb(-1)  # figures in % to one decimal
Q1, MEDIAN, Q3 = Decimal(1) / 4, Decimal(1) / 2, Decimal(3) / 4


class IndexGap(ValueError):
    """A year the price index does not cover."""


@dataclass(frozen=True)
class Sample:
    """One unit cost in the library: a past proposal's cost line or an imported row."""

    output_type: str
    unit: str
    year: int
    unit_price_yuan: Decimal
    label: str  # the project or contract, as a reader finds it
    source: str  # where it comes from: 项目申报 #12, or the imported file and row
    category: str = ""
    department: str = ""
    kind: str = "project"  # project / contract / quota
    approved_wan: Decimal | None = None  # for the optimism-bias uplift: approved …
    actual_wan: Decimal | None = None  # … and actual cost


@dataclass(frozen=True)
class Stats:
    n: int
    minimum: Decimal
    q1: Decimal
    median: Decimal
    q3: Decimal
    maximum: Decimal

    @property
    def iqr(self) -> Decimal:
        return self.q3 - self.q1


def quantile(values: Sequence[Decimal], p: Decimal) -> Decimal:
    """The p-quantile (0 ≤ p ≤ 1) by inclusive linear interpolation."""
    if not values:
        raise ValueError("empty")
    xs = sorted(values)
    rank = p * (len(xs) - 1)
    low = int(rank)
    fraction = rank - low
    if low + 1 >= len(xs):
        return xs[-1]
    return xs[low] + (xs[low + 1] - xs[low]) * fraction


def stats(values: Sequence[Decimal]) -> Stats:
    xs = sorted(values)
    return Stats(n=len(xs), minimum=xs[0], q1=quantile(xs, Q1), median=quantile(xs, MEDIAN),
                 q3=quantile(xs, Q3), maximum=xs[-1])


def index_factor(index: Mapping[int, Decimal], from_year: int, to_year: int) -> Decimal:
    """The price change from `from_year` to `to_year`: the product of each later year's index
    (previous year = 100). Before `from_year` (a later price brought back) the inverse."""
    factor = Decimal(1)
    low, high = sorted((from_year, to_year))
    for year in range(low + 1, high + 1):
        if year not in index:
            raise IndexGap(year)
        factor *= index[year] / HUNDRED
    return factor if to_year >= from_year else Decimal(1) / factor


def adjust(price: Decimal, from_year: int, to_year: int, index: Mapping[int, Decimal]) -> Decimal:
    """A unit price of `from_year` in `to_year` prices, to the 分."""
    return (price * index_factor(index, from_year, to_year)).quantize(YUAN, rounding=ROUND_HALF_UP)


def outliers(values: Sequence[Decimal], fence: Decimal) -> list[Decimal]:
    """Values beyond Tukey's fences: below Q1 − fence×IQR or above Q3 + fence×IQR."""
    if len(values) < 2:
        return []
    s = stats(values)
    low, high = s.q1 - fence * s.iqr, s.q3 + fence * s.iqr
    return [v for v in values if v < low or v > high]


@dataclass(frozen=True)
class Comparable:
    sample: Sample
    adjusted_yuan: Decimal  # in the target year's prices


@dataclass(frozen=True)
class Comparison:
    """A cost line's unit price against its reference class."""

    output_type: str
    unit: str
    price_yuan: Decimal
    year: int
    comparables: tuple[Comparable, ...]
    stats: Stats | None
    position: str  # 低于下四分位数 / 下四分位数至中位数 / 中位数至上四分位数 / 高于上四分位数 / 可比项目不足
    percentile: Decimal | None  # share of comparables at or below this price, in %
    above_q3: bool
    quota_yuan: Decimal | None  # the lowest 定额 of the class, in the target year's prices
    above_quota: bool
    outliers: tuple[Comparable, ...]  # comparables beyond the fences (kept in the figures, shown apart)
    uplift: Decimal | None  # optimism-bias uplift in %, where the class is large enough and has actuals

    @property
    def enough(self) -> bool:
        return self.stats is not None


def comparables(samples: Sequence[Sample], output_type: str, unit: str, year: int, index: Mapping[int, Decimal],
                max_age_years: int, *, exclude: str = "") -> list[Comparable]:
    """The class: same output type and unit, not older than `max_age_years`, not from the future, price
    known to the index; `exclude` leaves out the line's own proposal."""
    found = []
    for s in samples:
        if s.output_type != output_type or s.unit != unit or s.source == exclude or s.kind == "quota":
            continue
        if not year - max_age_years <= s.year <= year:
            continue
        try:
            found.append(Comparable(s, adjust(s.unit_price_yuan, s.year, year, index)))
        except IndexGap:
            continue
    return sorted(found, key=lambda c: (c.adjusted_yuan, c.sample.label))


def optimism_uplift(samples: Sequence[Sample], min_class: int, p: Decimal) -> Decimal | None:
    """The overrun (actual ÷ approved − 1, in %) at the p-quantile of those samples that have both figures,
    when at least `min_class` have; never below 0. None otherwise: no uplift is claimed without actuals."""
    ratios = [s.actual_wan / s.approved_wan - 1 for s in samples
              if s.approved_wan and s.actual_wan is not None and s.approved_wan > 0]
    if len(ratios) < min_class:
        return None
    return max(Decimal(0), quantile(ratios, p) * HUNDRED).quantize(TENTH, rounding=ROUND_HALF_UP)


def compare(price_yuan: Decimal, output_type: str, unit: str, year: int, samples: Sequence[Sample],
            index: Mapping[int, Decimal], *, max_age_years: int, min_class: int, fence: Decimal,
            uplift_min_class: int, uplift_quantile: Decimal, exclude: str = "") -> Comparison:
    found = comparables(samples, output_type, unit, year, index, max_age_years, exclude=exclude)
    quotas = []
    for s in samples:
        if s.kind == "quota" and s.output_type == output_type and s.unit == unit and s.year <= year:
            try:
                quotas.append(adjust(s.unit_price_yuan, s.year, year, index))
            except IndexGap:
                continue
    quota = min(quotas) if quotas else None
    above_quota = quota is not None and price_yuan > quota
    uplift = optimism_uplift([c.sample for c in found], uplift_min_class, uplift_quantile)
    if len(found) < min_class:
        return Comparison(output_type, unit, price_yuan, year, tuple(found), None, "可比项目不足", None, False,
                          quota, above_quota, (), uplift)
    values = [c.adjusted_yuan for c in found]
    st = stats(values)
    far = set(outliers(values, fence))
    share = Decimal(sum(1 for v in values if v <= price_yuan)) / len(values) * HUNDRED
    if price_yuan < st.q1:
        position = "低于下四分位数"
    elif price_yuan <= st.median:
        position = "下四分位数至中位数"
    elif price_yuan <= st.q3:
        position = "中位数至上四分位数"
    else:
        position = "高于上四分位数"
    return Comparison(output_type, unit, price_yuan, year, tuple(found), st, position,
                      share.quantize(TENTH, rounding=ROUND_HALF_UP), price_yuan > st.q3, quota,
                      above_quota, tuple(c for c in found if c.adjusted_yuan in far), uplift)


def classify(item: str, unit: str, types: Sequence[tuple[str, Sequence[str], Sequence[str]]]) -> str | None:
    """The output type of a cost line: the first (code, keywords, units) whose keyword is in the item and whose
    units include the line's unit."""
    for code, keywords, units in types:
        if unit.strip() in units and any(k in item for k in keywords):
            return code
    return None
