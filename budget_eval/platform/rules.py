"""The current rule sets from rules/, re-read when a file changes (no restart needed)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import current_app

from budget_eval.assessment.domain.assessment_rules import (
    AssessmentRules,
    load_assessment_rules,
    load_materials,
    MaterialSpec,
)
from budget_eval.platform.domain.ruleset import (
    IntakeRules,
    load_intake_rules,
    load_report_settings,
    load_screening_rules,
    ReportSettings,
    ScreeningRules,
)
from budget_eval.platform.domain.table_spec import TableRules, load_table_rules

SCREENING_FILE = "screening.yaml"
INTAKE_FILE = "intake.yaml"
ASSESSMENT_FILE = "assessment.yaml"
MATERIALS_FILE = "materials.yaml"
REPORTS_FILE = "reports.yaml"
TABLES_FILE = "tables.yaml"


def rules_dir() -> Path:
    return Path(current_app.config["RULES_DIR"])


def screening_rules() -> ScreeningRules:
    path = rules_dir() / SCREENING_FILE
    return _load(load_screening_rules, (path,), _stamp(path))


def intake_rules() -> IntakeRules:
    path = rules_dir() / INTAKE_FILE
    return _load(load_intake_rules, (path,), _stamp(path))


def assessment_rules(category: str) -> AssessmentRules:
    """The scoring rules and the indicator template for a category, as the files stand now."""
    directory = rules_dir()
    files = [directory / ASSESSMENT_FILE, *sorted(directory.glob("indicators_*.yaml"))]
    return _load(load_assessment_rules, (directory, category), tuple(_stamp(f) for f in files))


def report_settings() -> ReportSettings:
    path = rules_dir() / REPORTS_FILE
    return _load(load_report_settings, (path,), _stamp(path))


def materials_checklist(category: str) -> tuple[MaterialSpec, ...]:
    path = rules_dir() / MATERIALS_FILE
    return _load(load_materials, (path, category), _stamp(path))


def _stamp(path: Path) -> tuple:
    stat = path.stat()
    return (str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _load(loader, args: tuple, stamp):
    """Cache per file version: a changed mtime or size is a new key, so an edit takes effect at once."""
    rules = loader(*args)
    _note_version(rules)
    return rules


def _note_version(rules) -> None:
    """Log a rule set's version the first time this database sees it (a rule-set change)."""
    from sqlalchemy import select
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from budget_eval.platform.extensions import db
    from budget_eval.platform.models.audit import AuditEvent
    from budget_eval.platform.audit import audit_now

    name = getattr(rules, "name", None) or getattr(getattr(rules, "template", None), "name", "")
    version = getattr(rules, "version", None)
    if not version:
        return
    query = select(AuditEvent.id).where(AuditEvent.kind == "rules", AuditEvent.subject == name,
                                        AuditEvent.detail == version).limit(1)
    try:
        with db.engine.connect() as conn:  # its own connection: the request's transaction is untouched
            seen = conn.execute(query).scalar()
        if seen is None:
            audit_now("rules", name, version)
    except (OperationalError, ProgrammingError):
        pass  # a database without tables yet (before `flask db upgrade`) has no log to write to


def check_all(directory: Path) -> list[str]:
    """Load every rule file and return a line per file (for `flask rules check`)."""
    lines = [
        f"{name}: {rules.name} 版本 {rules.version} 校验通过"
        for name, rules in (
            (SCREENING_FILE, load_screening_rules(directory / SCREENING_FILE)),
            (INTAKE_FILE, load_intake_rules(directory / INTAKE_FILE)),
            (REPORTS_FILE, load_report_settings(directory / REPORTS_FILE)),
            (TABLES_FILE, load_table_rules(directory / TABLES_FILE)),
        )
    ]
    screening = load_screening_rules(directory / SCREENING_FILE)
    for category in screening.categories:
        rules = load_assessment_rules(directory, category.code)
        checklist = load_materials(directory / MATERIALS_FILE, category.code)
        lines.append(f"{category.label}: {rules.template.name}（满分{rules.template.points}）、"
                     f"材料{len(checklist)}项，版本 {rules.version} 校验通过")
    return lines


def table_rules() -> TableRules:
    """How imported tables are read (rules/tables.yaml); the repository's file outside an app (benchmarks)."""
    from flask import has_app_context

    if not has_app_context():
        return _repository_tables()
    path = rules_dir() / TABLES_FILE
    return _load(load_table_rules, (path,), _stamp(path))


@lru_cache(maxsize=1)
def _repository_tables() -> TableRules:
    return load_table_rules(Path(__file__).resolve().parents[2] / "rules" / TABLES_FILE)
