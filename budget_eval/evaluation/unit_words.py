"""A unit's own hot words (the criticism among the public comments routed to it): computed by the year's hot-word
job (hotword_job) once per version of its comments and of the word lists and stored (platform/derived.py); the
unit page only reads them, never computes them."""
from __future__ import annotations

import hashlib

from budget_eval.evaluation import feedback
from budget_eval.evaluation.domain.hotword_ranking import analyse
from budget_eval.evaluation.domain.hotwords import Comment, Segmenter
from budget_eval.evaluation.hotwords import HOTWORDS, segmenter_version
from budget_eval.evaluation.models import EvaluationUnit
from budget_eval.platform.derived import MISSING, lookup, store


def _key(unit: EvaluationUnit, confirmed_only: bool) -> tuple[int, str]:
    """How many comments are routed to the unit (the confirmed ones only for the unit itself; one aggregate in
    SQL), and the key of their stored analysis."""
    stamp = feedback.department_comment_stamp(unit.year, unit.department_id, confirmed_only=confirmed_only)
    version = hashlib.sha1(repr((stamp, segmenter_version())).encode()).hexdigest()[:16]
    return stamp[0], f"year:{unit.year_id}:unit:{unit.department_id}:{int(not confirmed_only)}:{version}"


def unit_hot_words(unit: EvaluationUnit, confirmed_only: bool) -> tuple[int, tuple | None]:
    """(the unit's comment count, its leading criticism topics), the topics None while not yet computed for the
    present comments (the year's hot-word job computes them)."""
    count, key = _key(unit, confirmed_only)
    if not count:
        return 0, ()
    found = lookup(HOTWORDS, key)
    return count, None if found is MISSING else found  # type: ignore[return-value]


def compute_unit_words(unit: EvaluationUnit, confirmed_only: bool, segment_with: Segmenter) -> None:
    """Compute and store the unit's topics (for the job; nothing when no comment is routed to it)."""
    count, key = _key(unit, confirmed_only)
    if not count:
        return
    texts = feedback.department_comments(unit.year, unit.department_id, confirmed_only=confirmed_only)
    store(HOTWORDS, key, tuple(analyse([Comment(n, unit.department.name, c) for n, c in enumerate(texts)],
                                       segment_with, units=False).city.criticism), replace=True)
