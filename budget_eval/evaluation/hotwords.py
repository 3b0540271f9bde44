"""The year's hot words from the stored comments, with the segmenter kept per version of the word lists."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from budget_eval.evaluation.domain.hotword_ranking import Analysis, analyse
from budget_eval.evaluation.domain.hotwords import Comment, Segmenter
from budget_eval.platform.derived import stored
from budget_eval.platform.extensions import db
from budget_eval.evaluation.models import EvaluationYear, SurveyResponse
from budget_eval.platform.models.department import Department


def segmenter_version() -> str:
    """A version of the word lists (their names, times and sizes), for keys of figures computed with them."""
    directory = Path(current_app.config["RULES_DIR"]) / "hotwords"
    return hashlib.sha1(repr([(p.name, p.stat().st_mtime_ns, p.stat().st_size)
                              for p in sorted(directory.glob("*.*"))]).encode()).hexdigest()[:12]


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
    lists = segmenter_version()
    inputs = hashlib.sha1(repr(tuple(stamp)).encode()).hexdigest()[:12]
    # stored in the database (platform/derived.py): computed once per version of the comments and word lists, for
    # every worker and across restarts, never per view
    return stored(HOTWORDS, f"year:{year.id}:{top}:{int(units)}:{inputs}:{lists}",
                  lambda: analyse(year_comments(year), segmenter(), top=top, raters=year_raters(year) or None,
                                  units=units))


# the evaluation's kinds of stored figures (platform/derived.py), invalidated by survey_import.import_responses
HOTWORDS = "hotwords"
SURVEY_COUNTS = "survey_counts"  # operations.survey_counts
