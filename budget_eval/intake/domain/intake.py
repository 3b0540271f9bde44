"""What a proposal (项目申报) holds, and what makes it consistent (draft) or complete (submit).

Problems are (field key, Chinese message) pairs; the key names the form field the message belongs to,
e.g. "name", "fund_years", "sources", "targets-2-unit".
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
import re
import unicodedata
from decimal import Decimal
from typing import Any

from budget_eval.platform.domain.money import format_wan
from budget_eval.intake.domain.cost_lines import cost_line_problems, CostLine
from budget_eval.intake.domain.rule_files import IntakeRules

Problem = tuple[str, str]


@dataclass(frozen=True)
class FundYear:
    year: int
    amount_wan: Decimal


@dataclass(frozen=True)
class Target:
    """One 绩效目标: 一级/二级/三级指标, comparator (≥ ≤ = 定性), value (a description for 定性), unit,
    the basis of the value (指标值设定依据), and the year it belongs to (None: the whole period)."""

    level1: str
    level2: str
    name: str
    value: str
    unit: str
    comparator: str = ""
    basis: str = ""
    year: int | None = None

    def is_blank(self) -> bool:
        texts = (self.level1, self.level2, self.name, self.value, self.unit, self.basis)
        return not any(s.strip() for s in texts) and self.year is None


@dataclass(frozen=True)
class ProposalDraft:
    name: str = ""
    year: int | None = None  # 预算年度
    category: str = ""
    is_new: bool | None = None
    is_emergency: bool = False
    emergency_reason: str = ""
    nature: str = ""  # a continuing item's kind: continuing / expiring / changed ("" for a new item)
    is_midyear: bool = False  # raised in a mid-year budget adjustment
    amount_estimated: bool = False  # a policy without a fixed amount: the amounts are an estimate
    estimate_basis: str = ""  # … and how they were estimated
    start_year: int | None = None
    end_year: int | None = None
    fund_years: tuple[FundYear, ...] = ()  # this level's fiscal funds requested, by year
    sources: dict[str, Decimal] = field(default_factory=dict)  # the total investment by funding source
    basis_text: str = ""  # 立项依据及必要性
    plan_text: str = ""  # 实施方案
    budget_text: str = ""  # 预算测算依据
    targets: tuple[Target, ...] = ()
    cost_lines: tuple[CostLine, ...] = ()  # the 预算测算 as a table (费用明细)

    @property
    def fiscal_total_wan(self) -> Decimal:
        return sum((f.amount_wan for f in self.fund_years), Decimal("0.00"))

    @property
    def sources_total_wan(self) -> Decimal:
        return sum(self.sources.values(), Decimal("0.00"))

    def counted_total_wan(self, counted: Collection[str]) -> Decimal:
        return sum((v for code, v in self.sources.items() if code in counted), Decimal("0.00"))


def draft_problems(draft: ProposalDraft, rules: IntakeRules) -> list[Problem]:
    """Inconsistencies refused even in a draft: a draft may be incomplete, never contradictory."""
    problems: list[Problem] = []
    if not draft.name.strip():
        problems.append(("name", "请填写项目名称，草稿也需要名称以便查找"))
    start, end = draft.start_year, draft.end_year
    if start and end:
        if end < start:
            problems.append(("end_year", "结束年度不能早于开始年度"))
        elif end - start + 1 > rules.max_period_years:
            problems.append(("end_year", f"实施期不能超过{rules.max_period_years}年"))
    years = [f.year for f in draft.fund_years]
    for index, fund in enumerate(draft.fund_years):
        if years.index(fund.year) != index:
            problems.append((f"fund_years-{index}-year", f"{fund.year}年重复填写"))
        elif start and end and not start <= fund.year <= end:
            problems.append((f"fund_years-{index}-year", f"{fund.year}年不在实施期（{start}—{end}年）内"))
    children = {level.label: level.children for level in rules.indicator_levels}
    for index, target in enumerate(draft.targets):
        if target.level1 and target.level2 and target.level2 not in children.get(target.level1, ()):
            problems.append((f"targets-{index}-level2", f"“{target.level2}”不属于“{target.level1}”"))
        if target.year and start and end and not start <= target.year <= end:
            problems.append((f"targets-{index}-year", f"{target.year}年不在实施期（{start}—{end}年）内"))
    return problems


def submission_problems(draft: ProposalDraft, rules: IntakeRules, counted: Collection[str] | None = None
                        ) -> list[Problem]:
    """Everything a submitted proposal must have, beyond the draft checks. `counted` are the funding
    sources that count toward the art. 5 amount (rules/screening.yaml); the yearly fiscal funds requested
    from this level must add up to them."""
    problems = draft_problems(draft, rules)
    required = {
        "year": (draft.year, "请填写预算年度"),
        "category": (draft.category, "请选择项目类别"),
        "is_new": (draft.is_new is not None, "请选择新出台或延续"),
        "start_year": (draft.start_year, "请填写实施期开始年度"),
        "end_year": (draft.end_year, "请填写实施期结束年度"),
        "basis_text": (draft.basis_text.strip(), "请填写立项依据及必要性"),
        "plan_text": (draft.plan_text.strip(), "请填写实施方案"),
        "budget_text": (draft.budget_text.strip(), "请填写预算测算依据"),
    }
    problems += [(key, message) for key, (value, message) in required.items() if not value]
    if draft.is_emergency and not draft.emergency_reason.strip():
        problems.append(("emergency_reason", "勾选应急、抢险、救灾急需时，请说明理由"))
    if draft.amount_estimated and not draft.estimate_basis.strip():
        problems.append(("estimate_basis", "金额为估算时，请写明测算依据"))
    problems += _funding_problems(draft, counted)
    problems += _target_problems(draft, rules)
    return problems


def cost_table_problems(draft: ProposalDraft, basis_codes: Collection[str], documented: Collection[str], *,
                        complete: bool) -> list[Problem]:
    """The 费用明细's problems: each line quantity × unit price, tied to a target of this proposal, and (on
    submission) adding up to the fiscal funds requested."""
    requested = draft.fiscal_total_wan if draft.fund_years else None
    return cost_line_problems(draft.cost_lines, requested, list(basis_codes), [t.name for t in draft.targets],
                              complete=complete, documented=list(documented))


def _funding_problems(draft: ProposalDraft, counted: Collection[str] | None) -> list[Problem]:
    if not draft.fund_years:
        return [("fund_years", "请按年度填写申请本级财政资金")]
    total = draft.fiscal_total_wan
    if counted is None:
        sources, what = draft.sources_total_wan, "资金来源合计"
    else:
        sources, what = draft.counted_total_wan(counted), "资金来源中计入本级财政预算资金的部分合计"
    if sources != total:
        return [("sources", f"{what}{format_wan(sources)}，与分年度申请本级财政资金合计{format_wan(total)}不一致")]
    return []


def _target_problems(draft: ProposalDraft, rules: IntakeRules) -> list[Problem]:
    filled = [(i, t) for i, t in enumerate(draft.targets) if not t.is_blank()]
    if not filled:
        return [("targets", "请至少填写一项绩效目标")]
    problems = []
    for i, target in filled:
        qualitative = target.comparator == rules.qualitative
        labels = {"level1": "一级指标", "level2": "二级指标", "name": "三级指标", "comparator": "比较方式",
                  "value": "定性描述" if qualitative else "指标值", "unit": "计量单位", "basis": "指标值设定依据"}
        if qualitative:
            del labels["unit"]
        problems += [(f"targets-{i}-{key}", f"请填写{label}") for key, label in labels.items()
                     if not getattr(target, key).strip()]
        if target.comparator and not qualitative and target.value.strip() and not is_quantity(target, rules):
            problems.append((f"targets-{i}-value",
                             f"比较方式为“{target.comparator}”时指标值应为数字（时效指标可为日期）；文字描述请选“{rules.qualitative}”"))
        if target.level1 in rules.cost_levels and qualitative:
            problems.append((f"targets-{i}-comparator", "成本指标应为数值目标（单价或总额），不能为定性"))
    return problems


DATE = re.compile(r"\d{4}\s*年|\d{4}[-/.]\d{1,2}|\d{1,2}\s*月|季度|年底|年内|当年")


def is_quantity(target: Target, rules: IntakeRules) -> bool:
    """A number, or for a time target (时效指标) a date: what a ≥ ≤ = target's value must be."""
    return is_numeric(target.value) or (target.level2 == rules.smart_time_level2 and bool(DATE.search(target.value)))


def is_numeric(text: str) -> bool:
    """A target value that is a number (1,200 / 12.5 / ９５)."""
    cleaned = unicodedata.normalize("NFKC", text).replace(",", "").strip()
    try:
        return Decimal(cleaned).is_finite()
    except ArithmeticError:
        return False


def to_record(draft: ProposalDraft) -> Record:
    """The draft as plain JSON data (amounts as strings), for storing a version."""
    return {
        "name": draft.name, "year": draft.year, "category": draft.category, "is_new": draft.is_new,
        "is_emergency": draft.is_emergency, "emergency_reason": draft.emergency_reason,
        "nature": draft.nature, "is_midyear": draft.is_midyear,
        "amount_estimated": draft.amount_estimated, "estimate_basis": draft.estimate_basis,
        "start_year": draft.start_year, "end_year": draft.end_year,
        "fund_years": [[f.year, str(f.amount_wan)] for f in draft.fund_years],
        "sources": {code: str(amount) for code, amount in draft.sources.items()},
        "fiscal_total_wan": str(draft.fiscal_total_wan),
        "basis_text": draft.basis_text, "plan_text": draft.plan_text, "budget_text": draft.budget_text,
        "targets": [[t.level1, t.level2, t.name, t.comparator, t.value, t.unit, t.basis, t.year]
                    for t in draft.targets],
        "cost_lines": [[c.item, _text(c.quantity), c.unit, _text(c.unit_price_yuan), _text(c.amount_wan), c.basis,
                        c.document, c.target] for c in draft.cost_lines],
    }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


# a stored version: JSON data (str, int, bool, None, lists), as `to_record` writes it or an older version wrote it
Record = dict[str, Any]

RECORD_LABELS = {
    "name": "项目名称", "year": "预算年度", "category": "项目类别", "is_new": "新出台或延续",
    "is_emergency": "应急事项", "emergency_reason": "应急事由", "nature": "延续事项类别",
    "is_midyear": "年中预算调整新增", "amount_estimated": "金额为估算", "estimate_basis": "测算依据", "start_year": "实施期开始年度",
    "end_year": "实施期结束年度", "fund_years": "分年度申请本级财政资金", "sources": "项目总投资（按资金来源）",
    "fiscal_total_wan": "申请本级财政资金合计", "basis_text": "立项依据及必要性", "plan_text": "实施方案",
    "budget_text": "预算测算依据", "targets": "绩效目标", "cost_lines": "费用明细",
}


def record_changes(old: Record, new: Record) -> list[tuple[str, object, object]]:
    """What changed between two stored versions: (field label, old value, new value)."""
    old, new = _current_form(old), _current_form(new)
    return [(label, old.get(key), new.get(key)) for key, label in RECORD_LABELS.items() if old.get(key) != new.get(key)]


ADDED_FIELDS = {"nature": "", "is_midyear": False, "amount_estimated": False, "estimate_basis": "", "cost_lines": []}


def _current_form(record: Record) -> Record:
    """A version stored before 2026-11 (five-column targets, no nature) in today's shape, so that only
    real changes show."""
    record = {**ADDED_FIELDS, **record}
    record["targets"] = [_target_row(t) for t in record.get("targets") or []]
    # amounts as numbers: a draft's "8000" and the stored "8000.00" are the same amount
    record["fund_years"] = [[year, _amount(amount)] for year, amount in record.get("fund_years") or []]
    record["sources"] = {code: _amount(amount) for code, amount in (record.get("sources") or {}).items()}
    if record.get("fiscal_total_wan") is not None:
        record["fiscal_total_wan"] = _amount(record["fiscal_total_wan"])
    return record


def _amount(value: Any) -> Any:
    try:
        return Decimal(str(value)).normalize()
    except (ArithmeticError, ValueError):
        return value


def _target_row(row: list[Any]) -> list[Any]:
    if len(row) == OLD_TARGET_COLUMNS:
        level1, level2, name, value, unit = row
        return [level1, level2, name, "", value, unit, "", None]
    return row


OLD_TARGET_COLUMNS = len(("level1", "level2", "name", "value", "unit"))
