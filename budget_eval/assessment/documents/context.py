"""What the Word templates see: plain dicts built from a stored, concluded assessment.

Every figure comes from the assessment record and the rules stored with it, and the project data from the
version that was assessed, so a report rendered again later says exactly the same. Per-reviewer data (names,
organisations, totals, opinions) is kept in `reviewers` only, so a variant for the department or the meeting
can drop it in one place; the templates show those parts only when `reviewers` is not empty.
"""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from budget_eval.assessment.domain.assessment_rules import AssessmentRules, ReportRules
from budget_eval.platform.domain.money import format_money, format_wan
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.domain.report_settings import ReportSettings
from budget_eval.platform.domain.sourced import numbers
from budget_eval.assessment.domain.scoring import grade_of, plain
from budget_eval.assessment.domain.states import SETTLED_SELF, SheetStatus
from budget_eval.assessment.models import Assessment, PanelMember
from budget_eval.intake.domain.assessor import assessor_name
from budget_eval.intake.models import Proposal
from budget_eval.assessment import economy
from budget_eval.assessment.documents import narrative
from budget_eval.assessment import method_findings
from budget_eval.assessment.domain.ratings import listed
from budget_eval.assessment.evidence import label as evidence_label
from budget_eval.platform.documents import chinese_date
from budget_eval.platform.formatting import beijing_time

METHOD_LABELS = {"mean": "算术平均", "median": "中位数", "trimmed_total": "去掉总分最高和最低的评审人后算术平均"}


def assessing_unit(proposal, finance: str) -> str:
    """The assessor of record (art. 2) as the report names it. A proposal from before the assessor was recorded
    was assessed by the panel finance organised (the only route then), so it names the finance bureau."""
    if proposal.assessor_kind is None:
        return finance
    return assessor_name(proposal.assessor_kind, proposal.department.name, proposal.assessor_agency, finance)


def percent(value: Decimal) -> str:
    """82.0% for a rate; 20% for a round weight."""
    return f"{plain((value * 100).quantize(Decimal('0.1')))}%"


def _merge_flags(rows: list[dict], *keys: str) -> list[dict]:
    """Mark the first and last row of each run of equal values (first1, last1 …) for vertically merged cells."""
    for n, row in enumerate(rows):
        for level, key in enumerate(keys, 1):
            same = n > 0 and all(rows[n - 1][k] == row[k] for k in keys[:level])
            row[f"first{level}"] = not same
            following = n + 1 < len(rows) and all(rows[n + 1][k] == row[k] for k in keys[:level])
            row[f"last{level}"] = not following
    return rows


def project_context(proposal: Proposal, record: dict, labels: ReportRules) -> dict:
    """The assessed version of the proposal (a stored ProposalVersion snapshot), named as the round stored."""
    category = labels.category_label(record["category"])
    total = Decimal(record["fiscal_total_wan"])
    sources = [(labels.source_label(code), Decimal(amount)) for code, amount in record["sources"].items()]
    years = [(y, Decimal(a)) for y, a in record["fund_years"]]
    start, end = record["start_year"], record["end_year"]
    targets = [target_context(t, labels.qualitative) for t in record["targets"]]
    return {
        "name": record["name"],
        "department": proposal.department.name,
        "year": record["year"],
        "category": category,
        "new_label": "新出台" if record["is_new"] else "延续",
        "emergency": record["is_emergency"],
        "emergency_reason": record["emergency_reason"],
        "period": f"{start}年" if start == end else f"{start}—{end}年",
        "total": format_money(total),
        "total_plain": format_wan(total, unit=False),
        "fund_years": [{"year": y, "amount": format_wan(a, unit=False)} for y, a in years],
        "years_text": "，".join(f"{y}年{format_wan(a)}" for y, a in years) or "未填报",
        "sources": [{"label": label, "amount": format_wan(a, unit=False)} for label, a in sources],
        "sources_text": "，".join(f"{label}{format_wan(a)}" for label, a in sources) or "未填报",
        "sources_total": format_wan(sum((a for _, a in sources), Decimal(0)), unit=False),
        "funds_total": format_money(sum((a for _, a in sources), Decimal(0)) if sources else total),  # = sources
        "basis": record["basis_text"], "plan": record["plan_text"], "budget": record["budget_text"],
        "basis_paras": narrative.paragraphs(record["basis_text"]) or ["申报材料未填写。"],
        "plan_paras": narrative.paragraphs(record["plan_text"]) or ["申报材料未填写。"],
        "budget_paras": narrative.paragraphs(record["budget_text"]) or ["申报材料未填写。"],
        "targets": _merge_flags(targets, "level1", "level2"),
    }


TARGET_KEYS = ("level1", "level2", "name", "comparator", "value", "unit", "basis", "year")
ADDED_TARGET_KEYS = ("comparator", "basis", "year")


def target_context(row: list, qualitative: str) -> dict:
    """A stored target row (five columns before 2026-11, eight since) for the report's table."""
    if len(row) == len(TARGET_KEYS) - len(ADDED_TARGET_KEYS):  # stored before comparator, basis and year
        level1, level2, name, value, unit = row
        row = [level1, level2, name, "", value, unit, "", None]
    target = dict(zip(TARGET_KEYS, row, strict=True))
    shown = target["comparator"] if target["comparator"] not in ("", qualitative, "=") else ""
    return {**target, "raw_value": target["value"], "value": f"{shown}{target['value']}",
            "period": f"{target['year']}年" if target["year"] else "整个实施期"}


def threshold_sources(rules: AssessmentRules, category: str | None) -> list[dict]:
    """The thresholds and cut-offs this report applies, each with its source and status (法定/惯例/本局自定),
    as the round stored them (a round stored before version 2 kept no screening threshold: its row says so)."""
    wanted = {"conclusions": "结论分数线", "grades": "等级分数线", "dimensions": "否决性门槛"}
    rows = []
    for part, raw in (("scoring", rules.raw["scoring"]), ("template", rules.raw["template"])):
        for number in numbers(raw):
            head = number.path.split("[")[0]
            if head in wanted and (head != "dimensions" or number.path.endswith(".gate")):
                rows.append({"what": f"{wanted[head]}（{number.path}）", "value": str(number.value),
                             "status": number.status or "未注明", "source": number.source or "未注明来源"})
    stored = rules.report.category if rules.report is not None else None
    if stored is not None and stored.code == category:
        rows.insert(0, {"what": f"事前绩效评估范围：{stored.label}金额门槛（万元）", "value": stored.threshold_wan,
                        "status": stored.source_status, "source": stored.source})
    elif category and rules.report is None:
        rows.insert(0, {"what": "事前绩效评估范围金额门槛（万元）", "value": "—",
                        "status": "未存档", "source": "本轮开评时的规则存档未含筛查门槛"})
    return rows


FINANCE_REVIEWER = "财政评审人员"


def reviewer_label(member: PanelMember) -> dict:
    """Name, unit, 职称 and role; a drawn expert's from their pool record (专家库), else from their account."""
    user, expert = member.user, member.expert
    unit = ((expert.organisation if expert else "") or user.organisation or "").strip() \
        or (user.department.name if user.department else "")
    title = ((expert.title if expert else "") or user.professional_title or "").strip()
    finance = user.role_enum == Role.REVIEWER
    return {"name": user.display_name, "unit": unit, "title": title,
            "role": FINANCE_REVIEWER if finance else Role(user.role).label,
            "noun": FINANCE_REVIEWER if finance else "专家"}


def _dimensions(template, result, scoring, sheets, members, self_notes, files) -> tuple[list, list, list]:
    """Each dimension as the report argues it: the 要点 and scores, the facts, the evidence cited (material and
    page), the problems, the analysis, the conclusion, each reviewer's words attributed to them (the panel
    variant replaces the names); and the evidence list of the annex."""
    comments: dict[str, list[str]] = {}
    for member in members:
        for score in member.scores:
            comments.setdefault(score.indicator, []).append(score.comment)
    names = {m.id: reviewer_label(m)["name"] for m in members}
    points_stored = result.get("points") or {}
    insufficient = result.get("insufficient") or {}
    evidence: dict[tuple[str, str], dict] = {}  # (material and page, quote) → the annex row
    dimensions, indicators = [], []
    for n, dimension in enumerate(template.dimensions, 1):
        rows, point_lines = [], []
        cited: dict[tuple[str, str], dict[str, list[str]]] = {}  # (material and page, quote) → 要点 → who
        point_comments: dict[tuple[str, str, str], list[str]] = {}  # (要点, level, comment) → who
        for indicator in dimension.indicators:
            score = Decimal(result["indicators"][indicator.key])
            given = [s[indicator.key] for s in sheets.values() if s.get(indicator.key) is not None]
            row = {"dimension": dimension.label, "label": indicator.label, "points": plain(indicator.points),
                   "score": str(score), "high": str(max(given)) if given else "",
                   "low": str(min(given)) if given else "", "grade": grade_of(score, indicator.points, scoring),
                   "criteria": indicator.criteria}
            rows.append(row)
            indicators.append(row)
            point_lines.append(f"{indicator.label}（{row['points']}分，得分{row['score']}分，{row['grade']}）："
                               f"{indicator.criteria}")
            for k, point in enumerate(indicator.audit_points if points_stored else (), 1):
                value = points_stored.get(point.key)
                said = insufficient.get(point.key) or []
                line = f"　审核要点{k}：{point.question}（{plain(point.points)}分），"
                line += "评估组全体成员认为依据不足，未计分。" if value is None else f"评估组得分{value}分"
                if said and value is not None:
                    line += f"（{len(said)}名评审人认为依据不足，未计入）"
                point_lines.append(line + ("" if line.endswith("。") else "。"))
                name = f"{indicator.label}·要点{k}"
                for member in members:
                    rating = (member.ratings or {}).get(point.key) or {}
                    level = str(rating.get("level") or "")
                    if (comment := str(rating.get("comment") or "").strip()):
                        point_comments.setdefault((name, level, comment), []).append(names[member.id])
                    for c in rating.get("citations") or []:
                        where = evidence_label(files.get(c.get("attachment")), int(c.get("page") or 0))
                        group = cited.setdefault((where, str(c.get("quote") or "")), {})
                        group.setdefault(name, []).append(names[member.id])
                        row = evidence.setdefault((where, str(c.get("quote") or "")), {
                            "material": where.split("》")[0].lstrip("《"), "page": str(c.get("page")),
                            "quote": c.get("quote") or "", "uses": {}})
                        row["uses"].setdefault(name, []).append(f"{names[member.id]}（{level}）")
        score = Decimal(result["dimensions"][dimension.code])
        grade = grade_of(score, dimension.points, scoring)
        weak = [r["label"] for r in rows if r["grade"] in {g.label for g in scoring.grades[2:]}]
        said_words = narrative.unique(c for i in dimension.indicators for c in comments.get(i.key, []))
        written = [(names[m.id], (m.analyses or {}).get(dimension.code) or {}) for m in members]
        parts = [("评分要点与得分", point_lines)]

        def of(key: str) -> list[str]:
            """What the reviewers wrote in one field, the same words once with everyone who wrote them."""
            said: dict[str, list[str]] = {}
            for who, a in written:
                lines = listed(a.get(key)) if key == "problems" else narrative.paragraphs(a.get(key))
                if text := "；".join(line.rstrip("。；") for line in lines):
                    said.setdefault(text, []).append(who)
            return [f"{text}（{'、'.join(who)}）。" for text, who in said.items()]

        cited_lines = [f"{where}" + (f"“{quote}”" if quote else "") + "："
                       + "；".join(f"{point}（{'、'.join(who)}）" for point, who in used_by.items()) + "。"
                       for (where, quote), used_by in cited.items()]
        for title, lines in (("事实依据", of("facts")), ("引用的材料", cited_lines), ("存在问题", of("problems")),
                             ("分析", of("analysis")), ("评估组成员的结论", of("conclusion"))):
            if lines:
                parts.append((title, lines))
        if any(a for _, a in written) and not of("problems"):
            parts.append(("存在问题", ["评估组成员在分析中未列出本维度的问题。"]))
        if point_comments:
            parts.append(("评估组成员评语", [f"{point}评为“{level}”：{comment}（{'、'.join(who)}）"
                                           + ("" if comment.endswith("。") else "。")
                                           for (point, level, comment), who in point_comments.items()]))
        elif said_words:
            parts.append(("评估组成员评分理由", [t if t.endswith("。") else f"{t}。" for t in said_words]))
        elif not any(a for _, a in written):
            parts.append(("评估组分析意见", ["评估组成员未对本维度填写评分理由或分析。"]))
        own = narrative.self_notes(self_notes.get(dimension.code))
        if own:
            parts.append(("申报单位自评情况", own))
        summary = narrative.dimension_summary(dimension.label, percent(score / dimension.points), grade, weak)
        parts.append(("评估小结", [summary]))
        dimensions.append({
            "heading": f"{narrative.cn_ordinal(n)}{dimension.label}", "label": dimension.label, "code": dimension.code,
            "points": plain(dimension.points), "weight": percent(dimension.points / template.points),
            "score": str(score), "rate": percent(score / dimension.points), "grade": grade, "indicators": rows,
            "weak": "、".join(weak), "comments": [f"{t}" if t.endswith("。") else f"{t}。" for t in said_words],
            "self_notes": own, "summary": summary,
            "parts": [{"heading": f"{k}. {title}", "lines": lines} for k, (title, lines) in enumerate(parts, 1)],
        })
    _merge_flags(indicators, "dimension")
    for row in indicators:
        row["first"], row["last"] = row["first1"], row["last1"]
    evidence_rows = [{"no": str(k), "material": row["material"], "page": row["page"], "quote": row["quote"],
                      "point": "；".join(f"{point}：{'、'.join(who)}" for point, who in row.pop("uses").items())}
                     for k, row in enumerate(evidence.values(), 1)]
    return dimensions, indicators, evidence_rows


def _panel_items(admin_text: str, members: list[PanelMember], template, key: str) -> tuple[list[str], list[str]]:
    """The panel's 存在问题 or 意见建议: what the conclusion lists, then every item of the reviewers' analyses
    (merged where the words are the same), attributed to the reviewer and without attribution."""
    attributed, anonymous, seen = [], [], set()
    for text in narrative.items(admin_text):
        seen.add(text.rstrip("。"))
        attributed.append(text)
        anonymous.append(text)
    for dimension in template.dimensions:
        for member in members:
            for text in listed(((member.analyses or {}).get(dimension.code) or {}).get(key)):
                text = text.rstrip("。")
                if text in seen:
                    continue
                seen.add(text)
                attributed.append(f"{dimension.label}：{text}（{reviewer_label(member)['name']}）。")
                anonymous.append(f"{dimension.label}：{text}。")
    return narrative.numbered(attributed), narrative.numbered(anonymous)


def aggregation_note(scoring, result: dict, members: list[PanelMember], total: Decimal, by_points: bool) -> str:
    """How the scores were combined, as it happened (trimming named only when a sheet was dropped), and why the
    total differs from the mean of the reviewers' totals when it does."""
    used = [m for m in members if m.user_id in set(result.get("used") or [m.user_id for m in members])]
    dropped = result.get("dropped") or []
    if dropped:
        how = f"去掉总分最高和最低的评审人各1名后，对其余{len(used)}名评审人的评分算术平均"
    elif scoring.method == "median":
        how = f"取{len(used)}名评审人评分的中位数"
    else:
        how = f"对{len(used)}名评审人的评分算术平均"
    if by_points:
        text = (f"注：各审核要点按所评档次折算得分，{how}（评为“{scoring.insufficient}”的不计入），保留两位小数；"
                "指标得分为其审核要点得分之和，总分为各指标得分之和。")
    else:
        text = f"注：评估得分为各指标{how}的结果，保留两位小数；总分为各指标得分之和。"
    totals = [sum((s.score for s in m.scores if s.score is not None), Decimal(0)) for m in used]
    partial = [m for m in used if any(s.score is None for s in m.scores)]
    if partial:
        return text + f"有{len(partial)}名评审人将部分审核要点评为“{scoring.insufficient}”，其总分不含这些要点。"
    if totals and scoring.method != "median":
        mean = (sum(totals, Decimal(0)) / len(totals)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if mean != total:
            unit = "审核要点" if by_points else "指标"
            text += (f"各{unit}得分分别平均并保留两位小数后相加，故总分（{total}分）与评审人总分的平均值（{mean}分）"
                     f"相差{abs(total - mean)}分。")
    return text


def _funding(proposal_total: Decimal, recommended: Decimal | None) -> str:
    if recommended is None:
        return f"申请财政资金{format_money(proposal_total)}，评估结论未记录建议安排资金。"
    text = f"申请财政资金{format_money(proposal_total)}，建议安排资金{format_money(recommended)}"
    if recommended < proposal_total:
        return text + f"，核减{format_money(proposal_total - recommended)}，核减理由见评估意见和存在的主要问题。"
    return text + "。"


def _conclusion_basis(result: dict, problems: list[str], evidence_rows: list[dict], scoring) -> str:
    """What the conclusion rests on, as recorded: the cited materials, the 依据不足 要点, the problems listed."""
    parts = []
    if evidence_rows:
        parts.append(f"评估组的评定引用了申报材料中的{len(evidence_rows)}处内容（见评估依据清单）")
    if said := result.get("insufficient"):
        parts.append(f"{len(said)}个审核要点有评审人认为{scoring.insufficient}，按其余评审人的评定计分")
    listed_problems = [p for p in problems if not p.startswith("评估组未")]
    if listed_problems:
        parts.append(f"评估组列出主要问题{len(listed_problems)}项（见第五部分），据此提出意见建议（见第六部分）")
    return "；".join(parts) + "。" if parts else ""


def _method_label(scoring, code: str) -> str:
    return scoring.methods.label(code) if scoring.methods is not None else code


def _step_label(scoring, code) -> str:
    return scoring.procedure_steps.label(str(code)) if scoring.procedure_steps is not None else str(code)


def chinese_date_text(value) -> str:
    """2026-11-20 → 2026年11月20日 (as the step was recorded)."""
    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        return str(value or "")
    return f"{day.year}年{day.month}月{day.day}日"


def _panel_summary(members: list[PanelMember]) -> str:
    experts = sum(1 for m in members if m.user.role_enum == Role.EXPERT)
    finance = len(members) - experts
    parts = [f"评审专家{experts}名" if experts else "", f"财政评审人员{finance}名" if finance else ""]
    return f"评估组{len(members)}名成员提交了评分，其中{'、'.join(p for p in parts if p)}。"


def report_context(proposal: Proposal, round_: Assessment, rules: AssessmentRules, settings: ReportSettings,
                   labels: ReportRules) -> tuple[dict, dict]:
    """The assessment report's variables, and the chart data (labels, panel rates)."""
    template, scoring = rules.template, rules.scoring
    result = round_.result
    submitted = [m for m in round_.members if m.status == SheetStatus.SUBMITTED]
    sheets = {m.id: {s.indicator: s.score for s in m.scores} for m in submitted}
    own = proposal.self_assessment
    notes = own.notes if own is not None and own.status in SETTLED_SELF else {}
    files = {a.id: a for a in proposal.attachments}
    dimensions, indicators, evidence_rows = _dimensions(template, result, scoring, sheets, submitted, notes or {},
                                                        files)
    problems, problems_anonymous = _panel_items(round_.problems, submitted, template, "problems")
    suggestions, suggestions_anonymous = _panel_items(round_.suggestions, submitted, template, "suggestions")
    methods = [{"label": _method_label(scoring, f.method), "finding": f.finding, "evidence": f.evidence}
               for f in method_findings.findings(round_)]
    steps = sorted(round_.procedure_steps or [], key=lambda step: str(step.get("date") or ""))
    reviewers = [
        {**reviewer_label(m), "opinion": m.overall_opinion, "opinion_paras": narrative.paragraphs(m.overall_opinion),
         "total": str(sum((v for v in sheets[m.id].values() if v is not None), Decimal(0)))}
        for m in submitted
    ]
    project = project_context(proposal, round_.version.snapshot, labels)
    economy_rules = economy.economy_rules()
    analysis = economy.report_section(round_, economy_rules)  # 因素分析 and the recorded findings (issue 26)
    for d in dimensions:
        d["economy"] = analysis if d["code"] == economy_rules.dimension else None
        if d["economy"]:  # 测算分析 before the dimension's 评估小结, numbered with its parts
            lines = ([f"因素分析法：{analysis['factors']}"] if analysis.get("factors") else []) + [
                line for f in analysis.get("findings", ()) for line in (f"{f['method']}：{f['summary']}",
                                                                         f"数据来源：{f['sources']}")]
            if lines:
                titled = [(part["heading"].split(". ", 1)[1], part["lines"]) for part in d["parts"]]
                titled.insert(len(titled) - 1, ("测算分析", lines))
                d["parts"] = [{"heading": f"{k}. {title}", "lines": ls} for k, (title, ls) in enumerate(titled, 1)]
    gate_labels = "、".join(template.indicator(k).label for k in result.get("gate_failures", []))
    total = Decimal(round_.total)
    context = {
        "report_number": settings.number(proposal.year, proposal.id, round_.round),
        "assessing_unit": assessing_unit(proposal, settings.assessing_unit),
        "date": chinese_date(round_.concluded_at),
        "project": project,
        "basis": settings.basis,
        "basis_documents": list(settings.basis_documents) or [settings.basis],
        # the methods recorded as used (none recorded: none named), the panel's way of scoring as it happened
        "methods": "",
        "method_lines": [f"{n}. {m['label']}：{m['finding'].rstrip('。')}"
                         + (f"（依据：{m['evidence'].rstrip('。')}）" if m['evidence'] else "") + "。"
                         for n, m in enumerate(methods, 1)],
        "scoring_way": ("评估组成员对照审核要点逐项评定档次，并注明所依据的材料和页码；材料不足以评定的要点评为“"
                        f"{scoring.insufficient}”，不计分。") if rules.by_points else "评估组成员对照指标体系逐项评分。",
        "recorded_steps": [f"{chinese_date_text(step.get('date'))}，{_step_label(scoring, step.get('step'))}"
                           + (f"：{step['note']}" if step.get("note") else "") + "。" for step in steps],
        "disclaimer": settings.disclaimer,
        "template_name": template.name,
        "full_marks": plain(template.points),
        "aggregation": METHOD_LABELS.get(scoring.method, scoring.method),
        "aggregation_note": aggregation_note(scoring, result, submitted, Decimal(round_.total), rules.by_points),
        "evidence": evidence_rows,
        "panel_summary": _panel_summary(submitted),
        "procedure": narrative.procedure(proposal.events, round_.round),
        "reviewers": reviewers,  # per-reviewer: drop for variants that must not name reviewers
        "started": chinese_date(round_.created_at),
        "concluded": chinese_date(round_.concluded_at),
        "round": round_.round,
        "total": str(round_.total),
        "total_rate": percent(total / template.points),
        "grade": round_.grade,
        "conclusion": round_.conclusion_label,
        "gate_failures": gate_labels,
        "dimensions": dimensions,
        "indicators": indicators,
        "opinion": round_.opinion,
        "problems": problems or ["评估组未列出主要问题。"],
        "suggestions": suggestions or ["评估组未提出意见建议。"],
        "problems_anonymous": problems_anonymous or ["评估组未列出主要问题。"],
        "suggestions_anonymous": suggestions_anonymous or ["评估组未提出意见建议。"],
        "recommended": format_money(round_.recommended_wan) if round_.recommended_wan else "",
        "threshold_sources": threshold_sources(rules, proposal.category),
        "conclusion_basis": _conclusion_basis(result, problems, evidence_rows, scoring),
        "funding_text": _funding(Decimal(round_.version.snapshot["fiscal_total_wan"]), round_.recommended_wan),
        "other_notes": [t for t in (settings.disclaimer, settings.report_use) if t],
        "abstract_problems": problems,
        "abstract_suggestions": suggestions,
    }
    chart = {
        "labels": [d["label"] for d in dimensions],
        "rates": [float(Decimal(d["score"]) / Decimal(d["points"]) * 100) for d in dimensions],
    }
    return context, chart


def opinion_context(proposal: Proposal, round_: Assessment, member: PanelMember, rules: AssessmentRules,
                    labels: ReportRules, settings: ReportSettings) -> dict:
    """One reviewer's form: pledge, scores with reasons, opinion, and signature lines."""
    scores = {s.indicator: s for s in member.scores}
    indicators = _merge_flags([
        {"dimension": d.label, "label": i.label, "points": plain(i.points), "criteria": i.criteria,
         "score": "" if scores.get(i.key) is None or scores[i.key].score is None else str(scores[i.key].score),
         "comment": scores[i.key].comment if i.key in scores else ""}
        for d in rules.template.dimensions for i in d.indicators
    ], "dimension")
    for row in indicators:
        row["first"], row["last"] = row["first1"], row["last1"]
    total = sum((s.score for s in member.scores if s.score is not None), Decimal(0))
    scoring = rules.scoring
    implied = next((c.label for c in scoring.conclusions if total >= c.minimum), "")
    choices = "　".join(f"□{c.label}" for c in scoring.conclusions)
    project = project_context(proposal, round_.version.snapshot, labels)
    return {
        "project": project,
        "round": round_.round,
        "full_marks": plain(rules.template.points),
        "indicators": indicators,
        # the text the reviewer signed in the app, with its time; a seat signed before the app stored the text
        # prints the bureau's standing pledge (rules/reports.yaml) for a signature by hand
        "pledge": member.pledge_text or settings.expert_pledge,
        "form_title": f"事前绩效评估{'财政评审人员' if member.is_finance_reviewer else '专家'}评审意见表",
        "reviewer": {**reviewer_label(member), "opinion": member.overall_opinion,
                     "pledged": beijing_time(member.declared_at, "%Y年%m月%d日 %H:%M") if member.pledge_text else "",
                     "opinion_paras": narrative.paragraphs(member.overall_opinion) or ["（未填写）"],
                     "total": str(total), "grade": f"等级：{grade_of(total, rules.template.points, scoring)}",
                     "declared": chinese_date(member.declared_at),
                     "submitted": chinese_date(member.submitted_at),
                     "submitted_line": chinese_date(member.submitted_at) or "　　年　　月　　日",
                     "conclusion_choices": f"{choices}（评分对应：{implied}）",
                     "amount_text": f"＿＿＿＿＿＿万元（申请{project['total']}）"},
    }
