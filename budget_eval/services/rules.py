"""The current rule sets from rules/, re-read when a file changes (no restart needed)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import current_app

from budget_eval.domain.ruleset import IntakeRules, ScreeningRules, load_intake_rules, load_screening_rules

SCREENING_FILE = "screening.yaml"
INTAKE_FILE = "intake.yaml"


def screening_rules() -> ScreeningRules:
    return _cached(load_screening_rules, _rules_path(SCREENING_FILE))


def intake_rules() -> IntakeRules:
    return _cached(load_intake_rules, _rules_path(INTAKE_FILE))


def _rules_path(name: str) -> Path:
    return Path(current_app.config["RULES_DIR"]) / name


def _cached(loader, path: Path):
    stat = path.stat()
    return _load(loader, path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _load(loader, path: Path, mtime_ns: int, size: int):
    """Cache per file version: a changed mtime or size is a new key, so an edit takes effect at once."""
    return loader(path)


def check_all(rules_dir: Path) -> list[str]:
    """Load every known rule file and return a line per file (for `flask rules check`)."""
    lines = []
    for name, loader in ((SCREENING_FILE, load_screening_rules), (INTAKE_FILE, load_intake_rules)):
        rules = loader(rules_dir / name)
        lines.append(f"{name}: {rules.name} 版本 {rules.version} 校验通过")
    return lines
