"""A unit's own hot words (the criticism among the public comments routed to it) and how many comments it has:
computed by the year's hot-word job (hotword_job) once per version of the year's comments (versions.py) and of the
word lists, and stored together (platform/derived.py); the unit page only reads them, never computes or counts."""
from __future__ import annotations

from dataclasses import replace

from budget_eval.evaluation import feedback, versions
from budget_eval.evaluation.domain.hotword_ranking import analyse
from budget_eval.evaluation.domain.hotwords import Comment, Segmenter
from budget_eval.evaluation.hotwords import HOTWORDS, has_comments, segmenter_version
from budget_eval.evaluation.models import EvaluationUnit
from budget_eval.platform.derived import MISSING, lookup, store


def unit_key(unit: EvaluationUnit, confirmed_only: bool, version: versions.Versions | None = None) -> str:
    """The key of the unit's stored count and words: the unit itself sees its confirmed comments only (their
    version is feedback_version, which 反馈确认 raises), the office all routed to it (comments_version)."""
    version = version or versions.current(unit.year_id)
    read = f"f{version.feedback}" if confirmed_only else f"c{version.comments}"
    return f"year:{unit.year_id}:unit:{unit.department_id}:{int(not confirmed_only)}:{read}:{segmenter_version()}"


def unit_hot_words(unit: EvaluationUnit, confirmed_only: bool) -> tuple[int | None, tuple | None]:
    """(the unit's comment count, its leading criticism topics), both None while not yet computed for the present
    comments (the year's hot-word job computes them); a year without any comment has none to wait for."""
    found = lookup(HOTWORDS, unit_key(unit, confirmed_only))
    if found is not MISSING:
        count, words = found  # type: ignore[misc]
        return count, words
    if not has_comments(unit.year):
        return 0, ()
    return None, None


def compute_unit_words(unit: EvaluationUnit, confirmed_only: bool, segment_with: Segmenter,
                       version: versions.Versions | None = None) -> str:
    """Compute and store the unit's count and topics under the key of `version` (read by the caller before the
    comments: stale words may only ever be stored under an older version's key); an empty result for a unit with
    no comment routed to it. Returns the key."""
    key = unit_key(unit, confirmed_only, version)
    texts = feedback.department_comments(unit.year, unit.department_id, confirmed_only=confirmed_only)
    words = tuple(replace(w, ids=()) for w in analyse(  # (the page shows words and counts, never their ids)
        [Comment(n, unit.department.name, c) for n, c in enumerate(texts)], segment_with, units=False).city.criticism)
    store(HOTWORDS, key, (len(texts), words), replace=True)
    return key
