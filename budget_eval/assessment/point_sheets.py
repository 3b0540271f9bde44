"""A score sheet rated by 审核要点 (the round's rules say so): each indicator's points and note from its 要点, what
stops its submission (citations that do not resolve, missing analysis), and the 补正 request of a panel."""
from __future__ import annotations

from decimal import Decimal

from budget_eval.assessment.domain.assessment_rules import AssessmentRules
from budget_eval.assessment.domain.ratings import analysis_problems, indicator_scores, Rating, rating_of, \
    rating_problems
from budget_eval.assessment.domain.scoring import aggregate, PanelResult, Sheet
from budget_eval.assessment.domain.states import SheetStatus
from budget_eval.assessment.evidence import label as evidence_label, resolver
from budget_eval.assessment.models import Assessment, PanelMember
from budget_eval.assessment.rules import rules_of


def _point_note(number: int, rating: Rating, files: dict) -> str:
    """How a 要点 rating reads on the indicator's line (opinion form): 要点1 良（《可研.pdf》第3页）：评语."""
    cited = "、".join(evidence_label(files.get(c.attachment), c.page) for c in rating.citations)
    return f"要点{number}{rating.level}" + (f"（{cited}）" if cited else "") + (f"：{rating.comment}" if rating.comment else "")


def ratings_of(member: PanelMember) -> dict[str, Rating]:
    return {k: rating_of(v) for k, v in (member.ratings or {}).items()}


def point_scores(member: PanelMember, rules: AssessmentRules,
                 ratings: dict[str, Rating]) -> tuple[dict[str, Decimal | None], dict[str, str]]:
    """Each indicator's points (None while a 要点 is unrated or 依据不足) and its note (要点, level, pages, comment)."""
    files = {a.id: a for a in member.assessment.proposal.attachments}
    comments = {i.key: "；".join(_point_note(k, r, files) for k, p in enumerate(i.audit_points, 1)
                                if (r := ratings.get(p.key)) is not None and r.level)
                for i in rules.template.indicators}
    return dict(indicator_scores(ratings, rules.template, rules.scoring)), comments


def point_problems(member: PanelMember, rules: AssessmentRules, ratings: dict[str, Rating],
                   analyses: dict[str, dict[str, str]]) -> list[tuple[str, str]]:
    """What stops the submission: every 要点 rated and cited (citations resolving for this reviewer), every
    dimension analysed."""
    resolve = resolver(member.assessment.proposal, member.user)
    return rating_problems(ratings, rules.template, rules.scoring, resolve) + \
        analysis_problems(analyses, rules.template)


def submitted_sheets(round_: Assessment) -> list[Sheet]:
    return [Sheet(m.user_id, {s.indicator: s.score for s in m.scores if s.score is not None},
                  {k: str(v.get("level") or "") for k, v in (m.ratings or {}).items()})
            for m in round_.members if m.status == SheetStatus.SUBMITTED]


def panel_result(round_: Assessment) -> PanelResult | None:
    sheets = submitted_sheets(round_)
    if not sheets:
        return None
    rules = rules_of(round_)
    return aggregate(sheets, rules.template, rules.scoring, by_points=rules.by_points)




def correction_points(round_: Assessment, result: PanelResult | None) -> list[str]:
    """The 审核要点 every reviewer marked 依据不足, as the 补正 request names them (指标：要点)."""
    if result is None or not result.corrections:
        return []
    template = rules_of(round_).template
    return [f"{i.label}：{p.question}" for i in template.indicators for p in i.audit_points
            if p.key in result.corrections]
