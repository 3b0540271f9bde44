"""The year's hot words from the stored comments, with the segmenter kept per version of the word lists."""
from __future__ import annotations

import hashlib
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from budget_eval.evaluation.domain.hotword_ranking import Analysis, Ranking, analyse
from budget_eval.evaluation.domain.hotwords import Comment, Segmenter
from budget_eval.evaluation import versions
from budget_eval.platform.derived import MISSING, lookup, store
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


TOP = 10


def has_comments(year: EvaluationYear) -> bool:
    """Whether the year has a comment at all (the first one found: never an aggregate over the survey)."""
    return db.session.scalar(select(SurveyResponse.id).where(SurveyResponse.year_id == year.id,
                                                             SurveyResponse.comment.is_not(None)).limit(1)) is not None


def year_key(year: EvaluationYear, top: int = TOP, units: bool = True, version: int | None = None) -> str:
    """The stored analysis's key: the year, its parameters, the version of its comments (versions.py: raised by every
    writer of the comments, their routing and merging) and of the word lists."""
    if version is None:
        version = versions.current(year.id).comments
    return f"year:{year.id}:{top}:{int(units)}:c{version}:{segmenter_version()}"


def year_hot_words(year: EvaluationYear) -> Analysis | None:
    """The year's stored hot words city-wide and per unit, or None while they are not computed for the present
    comments and word lists. Never computes: a request only reads (one row of the year's versions, one stored
    figure); a background job (hotword_job) computes them when their inputs change, the command line directly. A
    year without comments has none (nothing to compute)."""
    found = lookup(HOTWORDS, year_key(year))
    if found is not MISSING:
        return found  # type: ignore[return-value]
    if not has_comments(year):  # (the job stores this too once it has run for the year's present version)
        empty = Ranking((), ())
        return Analysis(0, 0, year_raters(year) or 1, empty, {}, frozenset())
    return None


class NotComputed(Exception):
    """The year's hot words are not yet computed for the present comments (a job is on it, or the office may
    start one): the message is for the user."""

    def __init__(self, year: EvaluationYear):
        super().__init__(f"{year.year}年度十大热词正在计算（或尚未计算），请在“十大热词”页面查看进度，计算完成后再试。")


def required_hot_words(year: EvaluationYear) -> Analysis:
    """The stored analysis, or NotComputed (for a document that cannot go without it)."""
    analysis = year_hot_words(year)
    if analysis is None:
        raise NotComputed(year)
    return analysis


def compute_year_hot_words(year: EvaluationYear, top: int = TOP, units: bool = True,
                           segment_with: Segmenter | None = None,
                           read: tuple[str, list[Comment]] | None = None) -> tuple[str, Analysis]:
    """Compute the year's hot words (topics counted once per person) and store them under the key of the
    comments read (`read`: the key and comments the caller already read); returns (that key, the analysis). For a
    job or the command line, never a request."""
    key, comments = read or (year_key(year, top, units), year_comments(year))  # the version first, then the comments
    analysis = analyse(comments, segment_with or segmenter(), top=top, raters=year_raters(year) or None,
                       units=units)
    store(HOTWORDS, key, without_ids(analysis), replace=True)  # what the pages read: its size flat in the survey's
    store(HOTWORDS, key + IDS, word_ids(analysis), replace=True)  # every comment's id behind each word: drill-down
    return key, analysis


IDS = ":ids"  # the key of a stored analysis's comment ids (per word), after the analysis's own


def without_ids(analysis: Analysis) -> Analysis:
    """The analysis without the ids of every comment behind each word (they grow with the survey: 2.4 MB of the
    stored figure at 100,000 comments, read by the drill-down alone, from `word_ids`)."""
    def ranking(r: Ranking) -> Ranking:
        return Ranking(tuple(replace(w, ids=()) for w in r.criticism), tuple(replace(w, ids=()) for w in r.praise))

    return replace(analysis, city=ranking(analysis.city), units={u: ranking(r) for u, r in analysis.units.items()})


def word_ids(analysis: Analysis) -> dict[tuple[str, str], tuple]:
    """(unit name, or "" city-wide; word) → the ids of the comments behind that word."""
    found = {("", w.word): w.ids for w in analysis.city.criticism + analysis.city.praise}
    for unit, ranking in analysis.units.items():
        found.update({(unit, w.word): w.ids for w in ranking.criticism + ranking.praise})
    return found


def hot_word_ids(year: EvaluationYear, unit: str, word: str) -> tuple | None:
    """The ids of the comments behind one stored hot word (city-wide with unit ""), or None while the year's hot
    words are not computed for the present comments."""
    found = lookup(HOTWORDS, year_key(year) + IDS)
    if found is MISSING:
        return None
    return found.get((unit, word), ())  # type: ignore[attr-defined]


# the evaluation's kinds of stored figures (platform/derived.py): the hot words keyed by the year's versions
# (versions.py), the survey counts invalidated by survey_import.import_responses
HOTWORDS = "hotwords"
SURVEY_COUNTS = "survey_counts"  # operations.survey_counts
