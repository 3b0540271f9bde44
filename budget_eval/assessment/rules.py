"""Assessment's rules: as rules/ stands now (re-read when a file changes, the last good version kept while a
file is broken: platform.rules' machinery), and as a round was opened with (its stored snapshot)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from budget_eval.assessment.domain.assessment_rules import (
    AssessmentRules,
    from_snapshot,
    load_assessment_rules,
    load_materials,
    MaterialSpec,
)
from budget_eval.platform.rules import file_stamp, load_current, rules_dir

if TYPE_CHECKING:
    from budget_eval.assessment.models import Assessment

ASSESSMENT_FILE = "assessment.yaml"
MATERIALS_FILE = "materials.yaml"


def assessment_rules(category: str) -> AssessmentRules:
    """The scoring rules and the indicator template for a category, as the files stand now."""
    directory = rules_dir()
    files = [directory / ASSESSMENT_FILE, *sorted(directory.glob("indicators_*.yaml"))]
    return load_current(load_assessment_rules, (directory, category), tuple(file_stamp(f) for f in files))


def materials_checklist(category: str) -> tuple[MaterialSpec, ...]:
    path = rules_dir() / MATERIALS_FILE
    return load_current(load_materials, (path, category), file_stamp(path))


def rules_of(round_: Assessment) -> AssessmentRules:
    """The rules this round was opened with, whatever rules/ says today."""
    return from_snapshot(round_.rules_snapshot)
