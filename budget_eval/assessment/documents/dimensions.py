"""The report's argument per dimension, built from the records: the 要点 and their scores, the reviewers' facts,
cited materials and pages, problems, analysis and conclusions (each attributed; the 汇总版 replaces the names), the
evidence annex, the panel's problems and suggestions merged from the analyses, how the scores were combined (as
it happened), and what the conclusion rests on. Nothing is written that no record says."""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from budget_eval.assessment.documents import narrative
from budget_eval.assessment.domain.ratings import listed
from budget_eval.assessment.domain.scoring import grade_of, plain
from budget_eval.assessment.evidence import label as evidence_label
from budget_eval.assessment.models import PanelMember
from budget_eval.platform.domain.roles import Role


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
