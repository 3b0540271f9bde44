"""The Word templates in report_templates/ are exactly what budget_eval/report_templates.py builds (reproducible)."""
from pathlib import Path

import pytest

from budget_eval.report_templates import BUILDERS, build

TEMPLATES = Path(__file__).resolve().parents[2] / "report_templates"


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_committed_template_is_the_built_one(name):
    assert (TEMPLATES / name).read_bytes() == build(name), (
        f"report_templates/{name} differs from the builder: run scripts/build_report_templates.py")


def test_building_twice_gives_the_same_bytes():
    assert build("assessment_report.docx") == build("assessment_report.docx")
