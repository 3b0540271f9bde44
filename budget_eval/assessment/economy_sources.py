"""How the report names the figures a 投入经济性 finding rests on (issue 26): the 比较法's comparables counted by kind
and listed in the annex 单位成本比较明细, never the system's internal numbers. Used where a finding is recorded
(assessment.economy) and where the report prints it (assessment.economy_report)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from budget_eval.assessment.models import Assessment
from budget_eval.assessment.unit_cost_library import KIND_LABELS

ANNEX = "单位成本比较明细"


def _basis(comparable: dict[str, Any]) -> str:
    """Where a comparable comes from, as a reader can look it up: a past proposal of this system is named by its
    label (project, department, year); an imported row by its kind and document (合同编号 or 定额名称)."""
    if comparable.get("kind") == KIND_LABELS["project"]:
        return "本系统以往项目申报"
    return f"依据文件：{str(comparable.get('source', '')).split('：', 1)[-1]}"


def comparable_rows(round_: Assessment) -> list[dict[str, Any]]:
    """The report's annex 单位成本比较明细: every comparable of every compared cost line of the round's 比较法."""
    rows: list[dict[str, Any]] = []
    for finding in round_.economy_findings:
        if finding.method != "比较法":
            continue
        for line in finding.figures.get("lines") or []:
            for n, c in enumerate(line.get("comparables") or []):
                rows.append({"no": str(len(rows) + 1), "item": f"{line['item']}（{line['unit']}）", "first": n == 0,
                             "comparable": c["label"], "basis": _basis(c), "year": str(c["year"]),
                             "price": _money(c["price"]), "adjusted": _money(c["adjusted"])})
    return rows


def _money(text: object) -> str:
    return f"{Decimal(str(text)):,.2f}"


def shown_sources(method: str, figures: dict[str, Any], stored: str) -> str:
    """A finding's 数据来源 as the report prints it. For 比较法: how many comparables of which kind, with the rows
    in the annex (never a list of every project inline, never the system's internal numbers); the price index and
    comparison rule as recorded. Other methods: as recorded."""
    if method != "比较法":
        return stored
    seen: dict[tuple[str, str], str] = {}
    for line in figures.get("lines") or []:
        for c in line.get("comparables") or []:
            seen[(c["label"], c.get("source", ""))] = c.get("kind", "")
    kinds: dict[str, int] = {}
    for kind in seen.values():
        kinds[kind] = kinds.get(kind, 0) + 1
    text = (f"可比项目{len(seen)}个（" + "、".join(f"{k}{n}个" for k, n in kinds.items()) + f"），逐项列于附件“{ANNEX}”"
            if seen else "单位成本库中的定额")
    tail = stored.split("价格折算：", 1)[1] if "价格折算：" in stored else ""  # as recorded (older findings: after 。)
    return text + (f"；价格折算：{tail}" if tail else "")
