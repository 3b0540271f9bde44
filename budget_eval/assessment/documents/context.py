"""What the Word templates see: plain dicts built from a stored, concluded assessment.

Every figure comes from the assessment record and the rules stored with it, and the project data from the
version that was assessed, so a report rendered again later says exactly the same.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from budget_eval.assessment.domain.assessment_rules import AssessmentRules
from budget_eval.platform.domain.money import format_money, format_wan
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.domain.ruleset import IntakeRules, ReportSettings, ScreeningRules
from budget_eval.platform.domain.sourced import numbers
from budget_eval.assessment.domain.scoring import grade_of, plain
from budget_eval.assessment.models import Assessment, PanelMember
from budget_eval.intake.models import Proposal

BEIJING = timedelta(hours=8)


def chinese_date(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = moment + BEIJING
    return f"{local.year}年{local.month}月{local.day}日"


def percent(value: Decimal) -> str:
    """82.0% for a rate; 20% for a round weight."""
    return f"{plain((value * 100).quantize(Decimal('0.1')))}%"


def project_context(proposal: Proposal, record: dict, screening: ScreeningRules, intake: IntakeRules) -> dict:
    """The assessed version of the proposal (a stored ProposalVersion snapshot)."""
    try:
        category = screening.category(record["category"]).label
    except KeyError:
        category = record["category"]
    total = Decimal(record["fiscal_total_wan"])
    sources = [(code, Decimal(amount)) for code, amount in record["sources"].items()]
    return {
        "name": record["name"],
        "department": proposal.department.name,
        "year": record["year"],
        "category": category,
        "new_label": "新出台" if record["is_new"] else "延续",
        "emergency": record["is_emergency"],
        "emergency_reason": record["emergency_reason"],
        "period": f"{record['start_year']}—{record['end_year']}年",
        "total": format_money(total),
        "total_plain": format_wan(total, unit=False),
        "fund_years": [{"year": y, "amount": format_wan(Decimal(a), unit=False)} for y, a in record["fund_years"]],
        "sources": [{"label": intake.source_label(c), "amount": format_wan(a, unit=False)} for c, a in sources],
        "sources_total": format_wan(sum((a for _, a in sources), Decimal(0)), unit=False),
        "basis": record["basis_text"],
        "plan": record["plan_text"],
        "budget": record["budget_text"],
        "targets": [target_context(t, intake) for t in record["targets"]],
    }


TARGET_KEYS = ("level1", "level2", "name", "comparator", "value", "unit", "basis", "year")
ADDED_TARGET_KEYS = ("comparator", "basis", "year")


def target_context(row: list, intake: IntakeRules) -> dict:
    """A stored target row (five columns before 2026-11, eight since) for the report's table."""
    if len(row) == len(TARGET_KEYS) - len(ADDED_TARGET_KEYS):  # stored before comparator, basis and year
        level1, level2, name, value, unit = row
        row = [level1, level2, name, "", value, unit, "", None]
    target = dict(zip(TARGET_KEYS, row, strict=True))
    shown = target["comparator"] if target["comparator"] not in ("", intake.qualitative, "=") else ""
    return {**target, "raw_value": target["value"], "value": f"{shown}{target['value']}",
            "period": f"{target['year']}年" if target["year"] else "整个实施期"}


def threshold_sources(rules: AssessmentRules, screening: ScreeningRules, category: str | None) -> list[dict]:
    """The thresholds and cut-offs this report applies, each with its source and status (法定/惯例/本局自定)."""
    wanted = {"conclusions": "结论分数线", "grades": "等级分数线", "dimensions": "否决性门槛"}
    rows = []
    for part, raw in (("scoring", rules.raw["scoring"]), ("template", rules.raw["template"])):
        for number in numbers(raw):
            head = number.path.split("[")[0]
            if head in wanted and (head != "dimensions" or number.path.endswith(".gate")):
                rows.append({"what": f"{wanted[head]}（{number.path}）", "value": str(number.value),
                             "status": number.status or "未注明", "source": number.source or "未注明来源"})
    if category:
        try:
            threshold = screening.category(category)
        except KeyError:
            return rows
        rows.insert(0, {"what": f"事前绩效评估范围：{threshold.label}金额门槛（万元）", "value": plain(threshold.threshold_wan),
                        "status": threshold.status, "source": threshold.source})
    return rows


def reviewer_label(member: PanelMember) -> dict:
    user = member.user
    return {
        "name": user.display_name,
        "unit": user.department.name if user.department else "特邀专家",
        "role": Role(user.role).label,
    }


def report_context(proposal: Proposal, round_: Assessment, rules: AssessmentRules, settings: ReportSettings,
                   screening: ScreeningRules, intake: IntakeRules) -> tuple[dict, dict]:
    """The assessment report's variables, and the chart data (labels, panel rates, self rates)."""
    template, scoring = rules.template, rules.scoring
    result = round_.result
    submitted = [m for m in round_.members if m.status == "submitted"]
    sheets = {m.id: {s.indicator: s.score for s in m.scores} for m in submitted}
    indicators = []
    for dimension in template.dimensions:
        for indicator in dimension.indicators:
            score = Decimal(result["indicators"][indicator.key])
            given = [sheet[indicator.key] for sheet in sheets.values() if sheet.get(indicator.key) is not None]
            indicators.append({
                "dimension": dimension.label, "label": indicator.label, "points": plain(indicator.points),
                "score": str(score), "high": str(max(given)) if given else "", "low": str(min(given)) if given else "",
                "grade": grade_of(score, indicator.points, scoring),
            })
    dimensions = []
    for dimension in template.dimensions:
        score = Decimal(result["dimensions"][dimension.code])
        dimensions.append({"label": dimension.label, "weight": percent(dimension.points / template.points),
                           "score": str(score), "rate": percent(score / dimension.points), "code": dimension.code,
                           "points": dimension.points})
    reviewers = [
        {**reviewer_label(m), "opinion": m.overall_opinion,
         "total": str(sum((v for v in sheets[m.id].values() if v is not None), Decimal(0)))}
        for m in submitted
    ]
    gate_labels = "、".join(template.indicator(k).label for k in result.get("gate_failures", []))
    context = {
        "report_number": settings.number(proposal.year, proposal.id, round_.round),
        "assessing_unit": settings.assessing_unit,
        "date": chinese_date(round_.concluded_at),
        "project": project_context(proposal, round_.version.snapshot, screening, intake),
        "basis": settings.basis,
        "methods": settings.methods,
        "disclaimer": settings.disclaimer,
        "template_name": template.name,
        "full_marks": plain(template.points),
        "reviewers": reviewers,
        "reviewer_names": "、".join(r["name"] for r in reviewers),
        "started": chinese_date(round_.created_at),
        "concluded": chinese_date(round_.concluded_at),
        "round": round_.round,
        "rules_version": round_.rules_version,
        "total": str(round_.total),
        "grade": round_.grade,
        "conclusion": round_.conclusion_label,
        "gate_failures": gate_labels,
        "dimensions": dimensions,
        "indicators": indicators,
        "opinion": round_.opinion,
        "problems": round_.problems or "无。",
        "suggestions": round_.suggestions or "无。",
        "recommended": format_money(round_.recommended_wan) if round_.recommended_wan else "",
        "threshold_sources": threshold_sources(rules, screening, proposal.category),
    }
    chart = {
        "labels": [d["label"] for d in dimensions],
        "rates": [float(Decimal(d["score"]) / d["points"] * 100) for d in dimensions],
    }
    return context, chart


def opinion_context(proposal: Proposal, round_: Assessment, member: PanelMember, rules: AssessmentRules,
                    screening: ScreeningRules, intake: IntakeRules) -> dict:
    """One reviewer's sheet: their scores and comments, opinion, and a signature line in the template."""
    scores = {s.indicator: s for s in member.scores}
    indicators = [
        {"dimension": d.label, "label": i.label, "points": plain(i.points),
         "score": "" if scores.get(i.key) is None or scores[i.key].score is None else str(scores[i.key].score),
         "comment": scores[i.key].comment if i.key in scores else ""}
        for d in rules.template.dimensions for i in d.indicators
    ]
    total = sum((s.score for s in member.scores if s.score is not None), Decimal(0))
    return {
        "project": project_context(proposal, round_.version.snapshot, screening, intake),
        "round": round_.round,
        "full_marks": plain(rules.template.points),
        "indicators": indicators,
        "reviewer": {**reviewer_label(member), "opinion": member.overall_opinion, "total": str(total),
                     "submitted": chinese_date(member.submitted_at)},
    }


# ---- report variants (issue 10): what each audience's copy leaves out; the variant is chosen by
# budget_eval.platform.domain.visibility from rules/reports.yaml. Kept apart from the builders above.

VARIANT_LABELS = {"full": "完整版", "panel": "汇总版"}


def redact_for_variant(context: dict, variant: str) -> dict:
    """The report context for a variant. 'full' is the context as built; 'panel' keeps the panel's
    aggregated scores and the opinions but no reviewer's name, unit or total: each reviewer becomes
    专家1, 专家2 … wherever their name appears in the context."""
    if variant == "full":
        return {**context, "variant": variant, "variant_label": VARIANT_LABELS[variant]}
    if variant != "panel":
        raise ValueError(f"unknown report variant {variant!r}")
    labels = {r["name"]: f"专家{n}" for n, r in enumerate(context.get("reviewers", []), 1)}
    # of each reviewer only the opinion stays; every other detail (unit, 职称, role, total, …) becomes "—"
    reviewers = [{**{k: "—" for k in r}, "name": labels[r["name"]], "role": "评估组成员",
                  "opinion": _replace_names(r.get("opinion", ""), labels)} for r in context.get("reviewers", [])]
    redacted = _replace_names({k: v for k, v in context.items() if k != "reviewers"}, labels)
    return {**redacted, "reviewers": reviewers, "reviewer_names": "、".join(labels.values()),
            "variant": variant, "variant_label": VARIANT_LABELS[variant]}


def _replace_names(value, labels: dict[str, str]):
    """Every string in a nested context with each reviewer's name replaced by their label."""
    if isinstance(value, str):
        for name, label in sorted(labels.items(), key=lambda item: -len(item[0])):
            value = value.replace(name, label) if name else value
        return value
    if isinstance(value, dict):
        return {k: _replace_names(v, labels) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_replace_names(v, labels) for v in value)
    return value
