"""Intake's rule files and a year's stored scheme carry their schema version; older ones are read with the
declared defaults, newer ones refused (as assessment's snapshots, test_rule_snapshots.py)."""
import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from budget_eval.evaluation.domain.scheme import from_snapshot, load_scheme, Scheme, SNAPSHOT_VERSION
from budget_eval.intake.domain.rule_files import (
    INTAKE_VERSION, load_intake_rules, load_screening_rules, SCHEMAS, SCREENING_VERSION,
)
from budget_eval.platform.domain.ruleset import RuleError
from budget_eval.platform.domain.snapshots import undated_fields
from budget_eval.rules_check import check_directory

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "rules"
FIXTURES = ROOT / "tests" / "fixtures" / "snapshots"


def test_every_key_added_later_has_a_default():
    assert undated_fields([Scheme, *SCHEMAS.values()]) == []


def written(tmp_path: Path, name: str, data: dict) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_an_intake_or_screening_file_without_schema_version_reads_with_the_declared_defaults(tmp_path):
    screening = yaml.safe_load((RULES / "screening.yaml").read_text("utf-8"))
    intake = yaml.safe_load((RULES / "intake.yaml").read_text("utf-8"))
    assert "schema_version" not in screening and "schema_version" not in intake
    del screening["categories"][0]["aliases"]
    for level in intake["indicator_levels"]:
        level.pop("cost", None)
    rules = load_screening_rules(written(tmp_path, "screening.yaml", screening))
    assert rules.categories[0].aliases == () and rules.category_by_label("基建投资项目").code == "infra"
    assert rules.categories[0].status == "法定"  # the threshold's source, from the file as written
    assert load_intake_rules(written(tmp_path, "intake.yaml", intake)).cost_levels == ()
    stamped = {**screening, "schema_version": SCREENING_VERSION}
    assert load_screening_rules(written(tmp_path, "screening.yaml", stamped)).categories[0].code == "infra"


@pytest.mark.parametrize(("name", "known", "loader"), [("screening.yaml", SCREENING_VERSION, load_screening_rules),
                                                        ("intake.yaml", INTAKE_VERSION, load_intake_rules)])
def test_an_intake_or_screening_file_of_a_newer_version_is_refused(tmp_path, name, known, loader):
    data = {**yaml.safe_load((RULES / name).read_text("utf-8")), "schema_version": known + 1}
    with pytest.raises(RuleError, match=f"第 {known + 1} 版"):
        loader(written(tmp_path, name, data))


def test_rules_check_accepts_a_known_schema_version_and_refuses_a_newer_one(tmp_path):
    import shutil

    shutil.copytree(RULES, tmp_path / "rules")
    path = tmp_path / "rules" / "intake.yaml"
    text = path.read_text("utf-8")
    path.write_text(f"schema_version: {INTAKE_VERSION}\n{text}", encoding="utf-8")
    assert check_directory(tmp_path / "rules").ok  # the schema version is no policy number to source
    path.write_text(f"schema_version: {INTAKE_VERSION + 1}\n{text}", encoding="utf-8")
    errors = [e for f in check_directory(tmp_path / "rules").files for e in f.errors]
    assert errors == [f"intake.yaml：存档的规则格式为第 {INTAKE_VERSION + 1} 版，本程序只认识到第 {INTAKE_VERSION} 版，请先升级程序"]


def test_a_year_stores_its_scheme_stamped_and_reads_it_back():
    scheme = load_scheme(RULES / "schemes" / "hangzhou.yaml")
    stored = json.loads(json.dumps(scheme.snapshot()))
    assert stored["schema_version"] == SNAPSHOT_VERSION >= 2
    again = from_snapshot(stored, scheme.version)
    assert again == scheme and again.raw == scheme.raw and again.promotion_places == scheme.promotion_places


def test_a_version_1_scheme_snapshot_gets_the_declared_defaults():
    """A year opened with the first hangzhou scheme: no 专项晋优, 单列 or 督办 carry-over, numbers as text."""
    stored = json.loads((FIXTURES / "v1_scheme_hangzhou.json").read_text("utf-8"))
    assert "schema_version" not in stored and "special_promotion" not in stored
    assert stored["components"][0]["points"] == "45"
    scheme = from_snapshot(stored, "2026-1@stored")
    assert (scheme.special_promotion, scheme.unranked, scheme.supervision) == (None, (), None)
    assert (scheme.promotion_grade, scheme.promotion_places) == ("", 0)
    assert scheme.points == 100 and [g.quota for g in scheme.grades][:2] == [Decimal("0.23"), Decimal("0.20")]
    assert scheme.version == "2026-1@stored"


def test_a_scheme_snapshot_from_a_newer_version_is_refused():
    stored = load_scheme(RULES / "schemes" / "hangzhou.yaml").snapshot()
    with pytest.raises(RuleError, match=f"第 {SNAPSHOT_VERSION + 1} 版"):
        from_snapshot({**stored, "schema_version": SNAPSHOT_VERSION + 1}, "x")
