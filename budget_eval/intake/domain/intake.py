"""What a proposal (项目申报) holds, and what makes it consistent (draft) or complete (submit).

Problems are (field key, Chinese message) pairs; the key names the form field the message belongs to,
e.g. "name", "fund_years", "sources", "targets-2-unit".
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from budget_eval.platform.domain.money import format_wan
from budget_eval.platform.domain.ruleset import IntakeRules

Problem = tuple[str, str]


@dataclass(frozen=True)
class FundYear:
    year: int
    amount_wan: Decimal


@dataclass(frozen=True)
class Target:
    level1: str
    level2: str
    name: str
    value: str
    unit: str

    def is_blank(self) -> bool:
        return not any(s.strip() for s in (self.level1, self.level2, self.name, self.value, self.unit))


@dataclass(frozen=True)
class ProposalDraft:
    name: str = ""
    year: int | None = None  # 预算年度
    category: str = ""
    is_new: bool | None = None
    is_emergency: bool = False
    emergency_reason: str = ""
    start_year: int | None = None
    end_year: int | None = None
    fund_years: tuple[FundYear, ...] = ()
    sources: dict[str, Decimal] = field(default_factory=dict)
    basis_text: str = ""  # 立项依据及必要性
    plan_text: str = ""  # 实施方案
    budget_text: str = ""  # 预算测算依据
    targets: tuple[Target, ...] = ()

    @property
    def fiscal_total_wan(self) -> Decimal:
        return sum((f.amount_wan for f in self.fund_years), Decimal("0.00"))

    @property
    def sources_total_wan(self) -> Decimal:
        return sum(self.sources.values(), Decimal("0.00"))


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
    return problems


def submission_problems(draft: ProposalDraft, rules: IntakeRules) -> list[Problem]:
    """Everything a submitted proposal must have, beyond the draft checks."""
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
    problems += _funding_problems(draft)
    problems += _target_problems(draft)
    return problems


def _funding_problems(draft: ProposalDraft) -> list[Problem]:
    if not draft.fund_years:
        return [("fund_years", "请按年度填写申请财政资金")]
    total, sources = draft.fiscal_total_wan, draft.sources_total_wan
    if sources != total:
        return [("sources", f"资金来源合计{format_wan(sources)}，与申请资金合计{format_wan(total)}不一致")]
    return []


def _target_problems(draft: ProposalDraft) -> list[Problem]:
    filled = [(i, t) for i, t in enumerate(draft.targets) if not t.is_blank()]
    if not filled:
        return [("targets", "请至少填写一项绩效目标")]
    labels = {"level1": "一级指标", "level2": "二级指标", "name": "三级指标", "value": "指标值", "unit": "计量单位"}
    return [
        (f"targets-{i}-{key}", f"请填写{label}")
        for i, target in filled
        for key, label in labels.items()
        if not getattr(target, key).strip()
    ]


def to_record(draft: ProposalDraft) -> dict:
    """The draft as plain JSON data (amounts as strings), for storing a version."""
    return {
        "name": draft.name, "year": draft.year, "category": draft.category, "is_new": draft.is_new,
        "is_emergency": draft.is_emergency, "emergency_reason": draft.emergency_reason,
        "start_year": draft.start_year, "end_year": draft.end_year,
        "fund_years": [[f.year, str(f.amount_wan)] for f in draft.fund_years],
        "sources": {code: str(amount) for code, amount in draft.sources.items()},
        "fiscal_total_wan": str(draft.fiscal_total_wan),
        "basis_text": draft.basis_text, "plan_text": draft.plan_text, "budget_text": draft.budget_text,
        "targets": [[t.level1, t.level2, t.name, t.value, t.unit] for t in draft.targets],
    }


RECORD_LABELS = {
    "name": "项目名称", "year": "预算年度", "category": "项目类别", "is_new": "新出台或延续",
    "is_emergency": "应急事项", "emergency_reason": "应急事由", "start_year": "实施期开始年度",
    "end_year": "实施期结束年度", "fund_years": "分年度申请资金", "sources": "资金来源",
    "fiscal_total_wan": "申请财政资金合计", "basis_text": "立项依据及必要性", "plan_text": "实施方案",
    "budget_text": "预算测算依据", "targets": "绩效目标",
}


def record_changes(old: dict, new: dict) -> list[tuple[str, object, object]]:
    """What changed between two stored versions: (field label, old value, new value)."""
    return [(label, old.get(key), new.get(key)) for key, label in RECORD_LABELS.items() if old.get(key) != new.get(key)]
