"""投入经济性 computed (issue 26): the unit-cost library (past proposals' cost lines and imported contract prices
or 定额), each cost line's comparison, the cost–benefit figures, the findings a reviewer records from them, and
the 因素分析法 text of the report. The maths is in domain/unit_costs.py and domain/cost_benefit.py."""
from __future__ import annotations

from dataclasses import dataclass
from budget_eval.platform.worklist import beijing_today
from decimal import Decimal, ROUND_HALF_UP
from typing import Any

from sqlalchemy import select

from budget_eval.assessment.domain import cost_benefit as cb
from budget_eval.assessment.domain.unit_costs import classify, compare, Comparison
from budget_eval.assessment.economy_models import EconomyFinding, UnitCostRecord
from budget_eval.assessment.economy_sources import shown_sources
from budget_eval.assessment.unit_cost_library import KIND_LABELS, library_samples
from budget_eval.assessment.models import Assessment
from budget_eval.intake.domain.economy_rules import EconomyFile
from budget_eval.intake.models import CostLine, Proposal
from budget_eval.intake.rules import economy_rules
from budget_eval.platform.audit import audit
from budget_eval.platform.domain.money import CENT, format_wan
from budget_eval.platform.extensions import db
from budget_eval.platform.imports import read_import, set_aside_note
from budget_eval.platform.models.user import User

# the methods of the rules' 评估方法 a finding may be recorded as (the words of the local rules, DOMAIN.md)
COMPARISON, BENCHMARK, COST_BENEFIT, LEAST_COST = "比较法", "标杆管理法", "成本效益分析法", "最低成本法"
METHODS = (COMPARISON, BENCHMARK, COST_BENEFIT, LEAST_COST)
KINDS = {"历史合同": "contract", "合同": "contract", "合同价": "contract", "定额": "quota", "定额标准": "quota"}
PERCENT = Decimal(100)


class EconomyError(ValueError):
    """A finding that cannot be recorded; the message is Chinese."""


# --- the library ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LineComparison:
    line: CostLine
    type_label: str | None
    comparison: Comparison | None


def comparisons_for(proposal: Proposal, rules: EconomyFile | None = None) -> list[LineComparison]:
    """Each cost line of the proposal against its reference class (None where its type is unknown)."""
    rules = rules or economy_rules()
    samples = library_samples(rules, exclude_proposal=proposal.id)
    year = proposal.year or beijing_today().year
    c, index, found = rules.comparison, rules.price_index.as_map(), []
    for line in proposal.cost_lines:
        kind = classify(line.item, line.unit, rules.classifier())
        if kind is None or line.unit_price_yuan is None:
            found.append(LineComparison(line, None, None))
            continue
        found.append(LineComparison(line, rules.type_label(kind), compare(
            line.unit_price_yuan, kind, line.unit.strip(), year, samples, index, max_age_years=c.max_age_years,
            min_class=c.min_class, fence=c.outlier_fence, uplift_min_class=c.uplift_min_class,
            uplift_quantile=c.uplift_quantile, exclude=f"项目申报#{proposal.id}")))
    return found


def library_summary(rules: EconomyFile | None = None) -> list[tuple[str, str, int, int]]:
    """(output type, unit, past proposals' lines, imported rows) per class, for the library page."""
    rules = rules or economy_rules()
    counts: dict[tuple[str, str], list[int]] = {}
    for s in library_samples(rules):
        entry = counts.setdefault((rules.type_label(s.output_type), s.unit), [0, 0])
        entry[0 if s.kind == "project" else 1] += 1
    return [(t, u, n[0], n[1]) for (t, u), n in sorted(counts.items())]


def import_unit_costs(source, filename: str, user: User, rules: EconomyFile | None = None):
    """Read a sheet of historical contract prices or 定额 (rules/tables.yaml `unit_costs`) into the library.
    Returns (imported, [(source row, reason)], rows set aside)."""
    rules = rules or economy_rules()
    table = read_import("unit_costs", source, filename)
    types = {t.label: t for t in rules.output_types}
    imported, rejected = 0, []
    for number, record in table.frame.fillna("").astype(str).iterrows():
        kind = KINDS.get(record["依据类型"].strip())
        otype = types.get(record["产出类型"].strip())
        unit, item = record["计量单位"].strip(), record["项目或合同名称"].strip()[:200]
        year, price = _int(record["年度"]), _decimal(record["单价(元)"])
        reason = ("依据类型应为“历史合同”或“定额”" if kind is None else
                  f"产出类型“{record['产出类型']}”不在规则文件的产出类型中（{'、'.join(types)}）" if otype is None else
                  f"计量单位“{unit}”不是{otype.label}的计量单位（{'、'.join(otype.units)}）" if unit not in otype.units else
                  "请填写项目或合同名称" if not item else
                  "年度应为四位数字" if year is None else
                  "单价应为不小于0的数字（元）" if price is None else
                  "请填写依据文件（合同编号或定额名称）" if not record["依据文件"].strip() else "")
        if reason:
            rejected.append((int(number), reason))
            continue
        assert otype is not None and kind is not None and year is not None and price is not None
        db.session.add(UnitCostRecord(
            kind=kind, output_type=otype.code, item=item, unit=unit, year=year, unit_price_yuan=price,
            department=record.get("部门", "").strip()[:100], document=record["依据文件"].strip(),
            approved_wan=_wan(record.get("批复金额(万元)", "")), actual_wan=_wan(record.get("实际金额(万元)", "")),
            source_file=filename[:255], source_row=int(number), imported_by_id=user.id))
        imported += 1
    audit("import", "单位成本库", f"导入历史单价与定额“{filename}”：共 {len(table.frame)} 行，导入 {imported} 行，"
          f"拒收 {len(rejected)} 行{set_aside_note(table.skipped)}", user)
    db.session.commit()
    return imported, rejected, table.skipped


def _int(text: str) -> int | None:
    value = _decimal(text)
    return int(value) if value is not None and value == value.to_integral_value() and 1900 < value < 2200 else None


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(str(text).replace(",", "").strip())
    except ArithmeticError:
        return None
    return value.quantize(CENT, rounding=ROUND_HALF_UP) if value.is_finite() and value >= 0 else None


def _wan(text: str) -> Decimal | None:
    return _decimal(text) if str(text).strip() else None


# --- findings ----------------------------------------------------------------------------------------------
def _yuan(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f}元"


def index_source(rules: EconomyFile) -> str:
    p = rules.price_index
    return f"{p.name}（{p.source.status}：{p.source.source}）"


def comparison_figures(proposal: Proposal, rules: EconomyFile | None = None) -> tuple[dict[str, Any], str, str]:
    """The 比较法 figures of every compared line (as stored with the finding), a summary in words and the sources."""
    rules = rules or economy_rules()
    lines, words, quota_used = [], [], False
    for lc in comparisons_for(proposal, rules):
        cmp = lc.comparison
        if cmp is None or (cmp.stats is None and cmp.quota_yuan is None):
            continue
        s = cmp.stats
        quota_used = quota_used or cmp.quota_yuan is not None
        lines.append({
            "item": lc.line.item, "type": lc.type_label, "unit": cmp.unit, "price": str(cmp.price_yuan),
            "year": cmp.year, "n": s.n if s else len(cmp.comparables),
            "q1": str(s.q1.quantize(CENT)) if s else None,
            "median": str(s.median.quantize(CENT)) if s else None,
            "q3": str(s.q3.quantize(CENT)) if s else None,
            "position": cmp.position, "percentile": str(cmp.percentile) if cmp.percentile is not None else None,
            "above_q3": cmp.above_q3, "quota": str(cmp.quota_yuan) if cmp.quota_yuan is not None else None,
            "above_quota": cmp.above_quota, "uplift": str(cmp.uplift) if cmp.uplift is not None else None,
            "comparables": [{"label": c.sample.label, "year": c.sample.year, "price": str(c.sample.unit_price_yuan),
                             "adjusted": str(c.adjusted_yuan), "source": c.sample.source,
                             "kind": KIND_LABELS[c.sample.kind]} for c in cmp.comparables],
        })
        text = f"“{lc.line.item}”单价{_yuan(cmp.price_yuan)}/{cmp.unit}"
        if s:
            text += (f"，{s.n}个可比项目（折算到{cmp.year}年价格）中位数{_yuan(s.median.quantize(CENT))}，"
                     f"四分位数{_yuan(s.q1.quantize(CENT))}—{_yuan(s.q3.quantize(CENT))}，本项目单价"
                     + (cmp.position if cmp.position.startswith(("高于", "低于")) else f"位于{cmp.position}")
                     + ("，偏高" if cmp.above_q3 else ""))
        if cmp.quota_yuan is not None:
            text += f"；定额{_yuan(cmp.quota_yuan)}" + ("，高于定额" if cmp.above_quota else "，未超定额")
        if cmp.uplift is not None:
            text += f"；同类项目历史超支率（{rules.comparison.uplift_quantile * PERCENT:.0f}分位）{cmp.uplift}%"
        words.append(text)
    if not lines:
        raise EconomyError("本项目的费用明细中没有可与单位成本库比较的费用（需数量、单价和可识别的产出类型，且可比项目不少于"
                           f"{rules.comparison.min_class}个或有定额）")
    figures = {"lines": lines, "index": rules.price_index.name, "rules_version": rules.version,
                "quota_used": quota_used}
    sources = shown_sources("比较法", figures, f"。价格折算：{index_source(rules)}。可比规则：同一产出类型和计量单位、"
                                             f"近{rules.comparison.max_age_years}年，规则文件 economy.yaml 版本 {rules.version}")
    return figures, "。".join(words) + "。", sources


def parse_series(text: str, what: str) -> list[Decimal]:
    """Yearly amounts in 万元, separated by commas, spaces or 、 (year 0 first)."""
    parts = [p for p in text.replace("，", ",").replace("、", ",").replace(" ", ",").split(",") if p.strip()]
    try:
        values = [Decimal(p.strip()) for p in parts]
    except ArithmeticError:
        raise EconomyError(f"{what}应为按年度排列的数字（万元），用逗号分隔") from None
    if not values or not all(v.is_finite() and abs(v) < Decimal("1E9") for v in values):
        raise EconomyError(f"请按年度填写{what}（万元），用逗号分隔")
    return values


def cost_benefit_figures(costs: list[Decimal], benefits: list[Decimal], rules: EconomyFile | None = None
                         ) -> tuple[dict[str, Any], str, str]:
    rules = rules or economy_rules()
    cfg = rules.cost_benefit
    if max(len(costs), len(benefits)) > cfg.max_years:
        raise EconomyError(f"分析期不超过{cfg.max_years}年")
    rate = cfg.discount_rate
    rows = cb.sensitivity(costs, benefits, rate, cfg.cost_up, cfg.benefit_down, cfg.delay_years)
    table = [{"label": r.label, "npv": _2(r.npv), "bcr": _2(r.bcr), "payback": r.payback,
              "irr": _2(r.irr * PERCENT) if r.irr is not None else None} for r in rows]
    base = table[0]
    text = (f"分析期{max(len(costs), len(benefits))}年，折现率{cfg.discount_rate_pct}%：净现值{base['npv']}万元，"
            f"效益费用比{base['bcr'] or '无（成本为零）'}，"
            + (f"静态投资回收期第{base['payback']}年" if base["payback"] is not None else "分析期内未能回收") + "，"
            + (f"内部收益率{base['irr']}%" if base["irr"] is not None else "内部收益率不存在或不唯一")
            + "。敏感性分析：" + "；".join(f"{r['label']}时净现值{r['npv']}万元、效益费用比{r['bcr'] or '—'}"
                                    for r in table[1:]) + f"。{cfg.bcr_note}")
    rate_source = rules.sourced_numbers().get("cost_benefit.discount_rate_pct")
    sources = f"折现率{cfg.discount_rate_pct}%：" + (f"{rate_source.status}，{rate_source.source}" if rate_source else
                                                   "规则文件 economy.yaml") + f"（版本 {rules.version}）；成本与效益按评审人员录入的年度数据"
    figures = {"costs": [str(c) for c in costs], "benefits": [str(b) for b in benefits],
               "rate_pct": str(cfg.discount_rate_pct), "table": table, "note": cfg.bcr_note}
    return figures, text, sources


def least_cost_figures(proposal: Proposal, outcome: Decimal, unit: str, rules: EconomyFile | None = None
                       ) -> tuple[dict[str, Any], str, str]:
    """Cost per unit of an outcome that cannot be priced (最低成本法 / 成本效果)."""
    per = cb.cost_per_unit(proposal.fiscal_total_wan, outcome)
    if per is None:
        raise EconomyError("请填写大于0的成果数量")
    text = (f"申请财政资金{format_wan(proposal.fiscal_total_wan)}，预期成果{outcome:,f}{unit}，"
            f"单位成果成本{_yuan(per)}/{unit}。")
    return ({"total_wan": str(proposal.fiscal_total_wan), "outcome": str(outcome), "unit": unit,
             "per_unit": str(per)}, text, "申请财政资金取自项目申报；成果数量按评审人员录入")


def _2(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def record_finding(round_: Assessment, method: str, summary: str, figures: dict[str, Any], sources: str,
                   user: User) -> EconomyFinding:
    """Record (or replace) the round's finding of one method; audited; committed by the caller. The same figures
    recorded again change nothing and log nothing (a double click)."""
    if method not in METHODS:
        raise EconomyError("无效的评估方法")
    finding = next((f for f in round_.economy_findings if f.method == method), None)
    if finding is None:
        finding = EconomyFinding(assessment=round_, method=method, summary=summary, figures=figures, sources=sources,
                                 created_by_id=user.id)
        db.session.add(finding)
        audit("economy", round_.proposal.name, f"记录{method}结果：{summary[:200]}", user)
    elif (finding.summary, finding.figures, finding.sources) != (summary, figures, sources):
        finding.summary, finding.figures, finding.sources, finding.created_by_id = summary, figures, sources, user.id
        audit("economy", round_.proposal.name, f"更新{method}结果：{summary[:200]}", user)
    db.session.flush()
    return finding
