"""Assessment's rules: as rules/ stands now (re-read when a file changes, the last good version kept while a
file is broken: platform.rules' machinery), and as a round was opened with (its stored snapshot)."""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any, TYPE_CHECKING

from budget_eval.assessment.domain.scoring import plain
from budget_eval.assessment.domain.assessment_rules import (
    AssessmentRules,
    from_snapshot,
    load_assessment_rules,
    load_materials,
    MaterialSpec,
    ReportRules,
    StoredThreshold,
)
from budget_eval.intake.rules import intake_rules, screening_rules
from budget_eval.assessment.domain.rule_files import ExpertsFile
from budget_eval.platform.domain.ruleset import loaded, read_model, read_yaml
from budget_eval.platform.rules import file_stamp, load_current, REPORTS_FILE, report_settings, rules_dir

if TYPE_CHECKING:
    from budget_eval.assessment.models import Assessment

ASSESSMENT_FILE = "assessment.yaml"
BEFORE_V2 = Path(__file__).with_name("data") / "report_before_v2.json"
MATERIALS_FILE = "materials.yaml"
EXPERTS_FILE = "experts.yaml"


def assessment_rules(category: str) -> AssessmentRules:
    """The scoring rules and the indicator template for a category, as the files stand now."""
    directory = rules_dir()
    files = [directory / ASSESSMENT_FILE, *sorted(directory.glob("indicators_*.yaml"))]
    return load_current(load_assessment_rules, (directory, category), tuple(file_stamp(f) for f in files),
                        files=tuple(files))


def round_snapshot(rules: AssessmentRules, category: str | None) -> dict[str, Any]:
    """What a round stores when it opens: its rules, and everything its report will cite from rules/ (the
    category's threshold with its source, the funding sources' names, the report settings)."""
    return rules.snapshot(report_rules(category))


def report_rules(category: str | None) -> ReportRules:
    screening, intake, settings = screening_rules(), intake_rules(), report_settings()
    stored = None
    if category:
        try:
            c = screening.category(category)
            stored = StoredThreshold(code=c.code, label=c.label, threshold_wan=plain(c.threshold_wan),
                                     source_status=c.status, source=c.source)
        except KeyError:
            pass
    written, version = read_yaml(rules_dir() / REPORTS_FILE)
    if version != settings.version:  # the file is broken and the last good version is in use: store that one
        written = settings.model_dump(mode="json") | {"version": settings.version.split("@")[0]}
    return ReportRules(category=stored, funding_sources={s.code: s.label for s in intake.funding_sources},
                       qualitative=intake.qualitative, settings=written, settings_version=settings.version)


@lru_cache(maxsize=1)
def _before_v2() -> dict[str, Any]:
    return json.loads(BEFORE_V2.read_text("utf-8"))


def report_before_v2(category: str | None) -> ReportRules:
    """The names and report settings of a round stored before schema version 2, which kept none: rules/ as it
    stood when rounds began to store them (data/report_before_v2.json, frozen), never the files of today. Its
    threshold was not kept either: the report's threshold row says 未存档 (context.threshold_sources)."""
    data = _before_v2()
    label = data["category_labels"].get(category) if category else None
    named = StoredThreshold(code=category, label=label, threshold_wan="—", source_status="未存档",
                            source="") if category and label else None
    return ReportRules(category=named, funding_sources=data["funding_sources"], qualitative=data["qualitative"],
                       settings=data["settings"], settings_version=data["settings_version"])


def materials_checklist(category: str) -> tuple[MaterialSpec, ...]:
    path = rules_dir() / MATERIALS_FILE
    return load_current(load_materials, (path, category), file_stamp(path))


def _load_experts(path: Path) -> ExpertsFile:
    model, _, version = read_model(path, ExpertsFile)
    return loaded(model, version)


def expert_rules() -> ExpertsFile:
    """rules/experts.yaml as it stands now: specialties, draw size, yearly load limit, the pledge."""
    path = rules_dir() / EXPERTS_FILE
    return load_current(_load_experts, (path,), file_stamp(path))


def rules_of(round_: Assessment) -> AssessmentRules:
    """The rules this round was opened with, whatever rules/ says today: parsed once per stored version and
    content per process (the rules are frozen), not once per round (issue 22)."""
    snapshot = round_.rules_snapshot
    key = hashlib.sha1(json.dumps(snapshot, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()
    found = _PARSED.get(key)
    if found is None:
        if len(_PARSED) >= 64:
            _PARSED.clear()
        found = _PARSED[key] = from_snapshot(snapshot)
    return found


_PARSED: dict[str, AssessmentRules] = {}  # content hash of a stored snapshot → its parsed rules
