"""Stored rule snapshots carry their schema version; older ones are read with declared defaults."""
import json
from pathlib import Path

import pytest

from budget_eval.assessment.domain.assessment_rules import from_snapshot, load_assessment_rules, RulesSnapshot, \
    SNAPSHOT_VERSION
from budget_eval.assessment.domain.rule_files import SCHEMAS
from budget_eval.platform.domain.report_settings import ReportsFile
from budget_eval.platform.domain.ruleset import RuleError
from budget_eval.platform.domain.snapshots import undated_fields

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "snapshots"


def test_every_key_added_later_has_a_default():
    assert undated_fields([RulesSnapshot, ReportsFile, *SCHEMAS.values()]) == []


def test_a_snapshot_is_stamped_with_its_version_and_reads_back():
    rules = load_assessment_rules(ROOT / "rules", "infra")
    stored = json.loads(json.dumps(rules.snapshot()))
    assert stored["schema_version"] == SNAPSHOT_VERSION >= 2
    again = from_snapshot(stored)
    assert again.scoring == rules.scoring and again.template == rules.template and again.report is None


def test_a_version_1_snapshot_gets_the_declared_defaults():
    stored = json.loads((FIXTURES / "v1_assessment_infra.json").read_text("utf-8"))
    assert "schema_version" not in stored and "report" not in stored
    rules = from_snapshot(stored)
    assert rules.report is None and rules.scoring.min_reviewers >= 1


def test_a_snapshot_from_a_newer_version_is_refused():
    stored = json.loads((FIXTURES / "v2_assessment_infra.json").read_text("utf-8"))
    assert from_snapshot(stored).report is not None
    with pytest.raises(RuleError, match=f"第 {SNAPSHOT_VERSION + 1} 版"):
        from_snapshot({**stored, "schema_version": SNAPSHOT_VERSION + 1})
