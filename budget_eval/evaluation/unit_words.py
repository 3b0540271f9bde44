"""A unit's own hot words (the criticism among the public comments routed to it): computed once per version of its
comments and of the word lists and stored (platform/derived.py), not on every view of the unit page."""
from __future__ import annotations

import hashlib

from budget_eval.evaluation import feedback
from budget_eval.evaluation.domain.hotword_ranking import analyse
from budget_eval.evaluation.domain.hotwords import Comment
from budget_eval.evaluation.hotwords import HOTWORDS, segmenter, segmenter_version
from budget_eval.evaluation.models import EvaluationUnit
from budget_eval.platform.derived import stored


def unit_hot_words(unit: EvaluationUnit, confirmed_only: bool) -> tuple[int, tuple]:
    """How many comments are routed to the unit (the confirmed ones only for the unit itself), and their leading
    criticism topics; the comments are read only when they changed since the figure was stored."""
    stamp = feedback.department_comment_stamp(unit.year, unit.department_id, confirmed_only=confirmed_only)
    if not stamp[0]:
        return 0, ()

    def compute() -> tuple:
        texts = feedback.department_comments(unit.year, unit.department_id, confirmed_only=confirmed_only)
        return tuple(analyse([Comment(n, unit.department.name, c) for n, c in enumerate(texts)], segmenter(),
                             units=False).city.criticism)

    version = hashlib.sha1(repr((stamp, segmenter_version())).encode()).hexdigest()[:16]
    office = int(not confirmed_only)
    return stamp[0], stored(HOTWORDS, f"year:{unit.year_id}:unit:{unit.department_id}:{office}:{version}", compute)
