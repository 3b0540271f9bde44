"""A reviewer's 审核要点 ratings: a level (or 依据不足) per 要点, each level tied to the materials it rests on
(citations: material, page, an optional quoted passage), and a written analysis per dimension.

Pure: the caller says whether a citation resolves (the file exists, the page exists, the reviewer may see it).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from budget_eval.assessment.domain.assessment_rules import ScoringRules, Template

QUOTE_LIMIT = 300
COMMENT_LIMIT = 2000
ANALYSIS_LIMIT = 800  # characters a field keeps (a few sentences)
MAX_CITATIONS = 2  # per 要点 on the form

# the written analysis of one dimension, in the order a report argues it (事实依据 → 存在问题 → 分析 → 结论),
# and the suggestion that follows from the problems; each field short, with its prompt
ANALYSIS_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("facts", "事实依据", "材料中与本维度有关的事实，注明材料和页码"),
    ("problems", "存在问题", "发现的问题，每条一行；没有问题写“无”"),
    ("analysis", "分析", "问题的原因和影响"),
    ("conclusion", "结论", "本维度的评估结论"),
    ("suggestions", "建议", "针对问题的改进建议，每条一行（可不填）"),
)
REQUIRED_ANALYSIS = ("facts", "problems", "conclusion")
NONE_WORDS = frozenset({"无", "无。", "没有", "暂无", "无明显问题", "无明显问题。"})


@dataclass(frozen=True)
class Citation:
    attachment: int
    page: int
    quote: str = ""

    def stored(self) -> dict[str, Any]:
        return {"attachment": self.attachment, "page": self.page, "quote": self.quote}


@dataclass(frozen=True)
class Rating:
    level: str  # a level of the rules, the insufficient word, or "" (not rated yet)
    comment: str = ""
    citations: tuple[Citation, ...] = field(default_factory=tuple)

    def stored(self) -> dict[str, Any]:
        return {"level": self.level, "comment": self.comment, "citations": [c.stored() for c in self.citations]}


def rating_of(data: Mapping[str, Any] | None) -> Rating:
    """A stored rating (JSON) read back."""
    data = data or {}
    citations = tuple(Citation(int(c["attachment"]), int(c["page"]), str(c.get("quote") or ""))
                      for c in data.get("citations") or [])
    return Rating(str(data.get("level") or ""), str(data.get("comment") or ""), citations)


def needs_comment(level: str, rules: ScoringRules) -> bool:
    """Levels of comment_levels, and 依据不足 (say what is missing), need a comment."""
    return level in rules.comment_levels or level == rules.insufficient


def rating_problems(ratings: Mapping[str, Rating], template: Template, rules: ScoringRules,
                    resolve: Callable[[Citation], str | None]) -> list[tuple[str, str]]:
    """What stops a sheet rated by 要点 from being submitted: (要点 key, Chinese message). `resolve` returns why
    a citation does not resolve, or None."""
    problems = []
    for point in template.audit_points:
        rating = ratings.get(point.key) or Rating("")
        if not rating.level:
            problems.append((point.key, f"请选择档次，或选择“{rules.insufficient}”"))
            continue
        if rating.level not in rules.levels and rating.level != rules.insufficient:
            problems.append((point.key, "档次无效，请重新选择"))
            continue
        for citation in rating.citations:
            if (why := resolve(citation)) is not None:
                problems.append((point.key, why))
                break
        else:
            if rating.level != rules.insufficient and not rating.citations:
                problems.append((point.key, f"请引用所依据的材料和页码；材料不足以评定的，请选择“{rules.insufficient}”"))
            elif needs_comment(rating.level, rules) and not rating.comment.strip():
                what = "请写明缺少哪些材料" if rating.level == rules.insufficient else f"选择“{rating.level}”须填写评语说明理由"
                problems.append((point.key, what))
    return problems


def indicator_scores(ratings: Mapping[str, Rating], template: Template,
                     rules: ScoringRules) -> dict[str, Decimal | None]:
    """Each indicator's points from its 要点 (None while a 要点 is unrated or 依据不足)."""
    scores: dict[str, Decimal | None] = {}
    for indicator in template.indicators:
        if not indicator.audit_points:
            continue
        total: Decimal | None = Decimal(0)
        for point in indicator.audit_points:
            level = (ratings.get(point.key) or Rating("")).level
            value = rules.level_points(level, point.points) if level in rules.level_rates or \
                level == rules.insufficient else None
            total = None if value is None or total is None else total + value
        scores[indicator.key] = total
    return scores


def analysis_problems(analyses: Mapping[str, Mapping[str, str]], template: Template) -> list[tuple[str, str]]:
    """Each dimension needs its facts, problems (or 无) and conclusion: (field id, Chinese message)."""
    problems = []
    labels = {key: label for key, label, _ in ANALYSIS_FIELDS}
    for dimension in template.dimensions:
        written = analyses.get(dimension.code) or {}
        for key in REQUIRED_ANALYSIS:
            if not (written.get(key) or "").strip():
                problems.append((f"{key}-{dimension.code}", f"请填写{dimension.label}的“{labels[key]}”"))
    return problems


def listed(text: str | None) -> list[str]:
    """The lines of a problems or suggestions field that say something (“无” says nothing)."""
    lines = [line.strip(" ；;") for line in (text or "").splitlines()]
    return [line for line in lines if line and line not in NONE_WORDS]
