"""A meeting's decision on one project, checked before anything is written (pure).

What the decision holds: 通过 / 不通过 / 暂缓 (nothing chosen in advance); for 通过, the approved amount of every
year of the request, in 万元 (the caller has already read 元/万元/亿元 into Decimal 万元). Rules (this bureau's,
本局自定, stated on the form):
- a year's approved amount is never above the amount requested for that year: the meeting arranges funds within
  the request; more money is a new or revised request, which goes through screening and assessment again;
- an approved total below the requested total is a cut (核减) and needs its reason;
- an approval arranges some money (a total of 0 is 不通过, not 通过);
- 不通过 and 暂缓 arrange nothing, so no amounts are typed with them.
Each problem names the form field it belongs to, so the page shows it there.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from budget_eval.meetings.domain.states import Decision

DECISION_FIELD, CUT_FIELD = "decision", "cut_reason"


def year_field(year: int) -> str:
    return f"approved-{year}"


@dataclass(frozen=True)
class DecisionInput:
    decision: str  # "" when nothing was chosen
    requested: dict[int, Decimal]  # year → requested (万元)
    approved: dict[int, Decimal | None]  # year → as typed (None: blank)
    cut_reason: str = ""


@dataclass(frozen=True)
class Checked:
    decision: Decision
    approved: dict[int, Decimal]  # every requested year (empty unless approved)
    is_cut: bool


def check(given: DecisionInput, labels: dict[Decision, str]) -> tuple[Checked | None, dict[str, str]]:
    """The decision as it will be stored, or the problems by field name (Chinese)."""
    problems: dict[str, str] = {}
    choices = [d for d in Decision if d is not Decision.PENDING]
    decision = next((d for d in choices if d.value == given.decision), None)
    if decision is None:
        problems[DECISION_FIELD] = "请选择会议决策：" + "、".join(labels[d] for d in choices)
        return None, problems
    typed = {year: amount for year, amount in given.approved.items() if amount is not None}
    if decision is not Decision.APPROVED:
        for year in sorted(typed):
            problems[year_field(year)] = f"会议决策为“{labels[decision]}”，不安排资金，请清空{year}年金额"
        return (None, problems) if problems else (Checked(decision, {}, False), {})
    if not given.requested:
        problems[DECISION_FIELD] = "该项目没有分年度申请数，不能记录“通过”，请先核对申报数据"
        return None, problems
    approved: dict[int, Decimal] = {}
    for year, requested in sorted(given.requested.items()):
        amount = typed.get(year)
        if amount is None:
            problems[year_field(year)] = f"请填写{year}年安排资金（万元；未安排填0）"
        elif amount > requested:
            problems[year_field(year)] = f"{year}年安排资金不能超过该年申请数{requested:,.2f}万元"
        else:
            approved[year] = amount
    if problems:
        return None, problems
    total, requested_total = sum(approved.values(), Decimal(0)), sum(given.requested.values(), Decimal(0))
    if total <= 0:
        problems[year_field(min(approved))] = "会议通过的项目安排资金合计应大于0（不安排资金请选择“不通过”）"
        return None, problems
    is_cut = total < requested_total
    if is_cut and not given.cut_reason.strip():
        problems[CUT_FIELD] = (f"安排资金合计{total:,.2f}万元少于申请数{requested_total:,.2f}万元，"
                               "请填写核减理由")
        return None, problems
    return Checked(decision, approved, is_cut), {}
