"""The year's hot words from the stored comments, with the segmenter kept per version of the word lists."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from budget_eval.evaluation.domain.hotword_ranking import Analysis, analyse
from budget_eval.evaluation.domain.hotwords import Comment, Segmenter
from budget_eval.platform.extensions import db
from budget_eval.evaluation.models import EvaluationYear, SurveyResponse
from budget_eval.platform.models.department import Department


def segmenter() -> Segmenter:
    directory = Path(current_app.config["RULES_DIR"]) / "hotwords"
    stamps = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(directory.glob("*.*")))
    return _segmenter(str(directory), stamps)


@lru_cache(maxsize=4)
def _segmenter(directory: str, stamps: tuple) -> Segmenter:
    """One jieba tokenizer per version of the word lists (loading the dictionary takes about a second)."""
    return Segmenter.from_rules(Path(directory))


def year_comments(year: EvaluationYear) -> list[Comment]:
    routed = func.coalesce(SurveyResponse.routed_department_id, SurveyResponse.department_id)
    rows = db.session.execute(
        select(SurveyResponse.id, Department.name, SurveyResponse.comment, SurveyResponse.respondent,
               SurveyResponse.group)
        .join(Department, routed == Department.id)
        .where(SurveyResponse.merged_into_id.is_(None))
        .where(SurveyResponse.year_id == year.id, SurveyResponse.comment.is_not(None))
        .order_by(SurveyResponse.id)
    ).all()
    return [Comment(*row) for row in rows]


def year_raters(year: EvaluationYear) -> int:
    return db.session.scalar(select(func.count(func.distinct(SurveyResponse.respondent)))
                             .where(SurveyResponse.year_id == year.id)) or 0


def year_hot_words(year: EvaluationYear, top: int = 10, units: bool = True) -> Analysis:
    """The year's hot words city-wide and per unit (topics counted once per merged comment); kept while the
    comments, their routing and the word lists are unchanged."""
    stamp = db.session.execute(
        select(func.count(), func.max(SurveyResponse.id), func.count(SurveyResponse.routed_department_id),
               func.count(SurveyResponse.merged_into_id), func.sum(func.length(SurveyResponse.comment)))
        .where(SurveyResponse.year_id == year.id, SurveyResponse.comment.is_not(None))).one()
    key = (str(db.engine.url), year.id, tuple(stamp), id(segmenter()), top, units)
    found = _ANALYSES.get(key)
    if found is None:
        if len(_ANALYSES) > 8:
            _ANALYSES.clear()
        found = _ANALYSES[key] = analyse(year_comments(year), segmenter(), top=top,
                                         raters=year_raters(year) or None, units=units)
    return found


_ANALYSES: dict[tuple, Analysis] = {}
