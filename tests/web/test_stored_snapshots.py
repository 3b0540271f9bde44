"""A round stored under every earlier rules version renders the same report, whatever rules/ says today.

Each tests/fixtures/snapshots/v*_assessment_infra.json is a round's rule snapshot as the code of that version
stored it (v1: before snapshots carried a schema version; v2: with the screening threshold, names and report
settings the report cites). A concluded round is given that snapshot, fixed names and dates, and its report's
text (with the thresholds it cites) must equal tests/fixtures/snapshots/v*_report.txt; then a threshold and
its source in rules/ change (for v2 also a funding source's name and the report settings), and the text
stays the same.
"""
from __future__ import annotations

import io
import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from docx import Document

from budget_eval.assessment.documents import build
from budget_eval.assessment.domain.visibility import Audience
from budget_eval.platform.extensions import db
from tests.web.flow import World
from tests.web.test_reports import concluded, text_of

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "snapshots"
VERSIONS = sorted(p.name.split("_")[0] for p in FIXTURES.glob("v*_assessment_infra.json"))
FIXED = datetime(2027, 3, 4, 2, 0)


@pytest.fixture
def world(app, make):
    return World(app, make)


def stored_round(world: World, version: str):
    proposal = concluded(world)
    round_ = proposal.current_assessment
    round_.rules_snapshot = json.loads((FIXTURES / f"{version}_assessment_infra.json").read_text("utf-8"))
    round_.created_at = round_.concluded_at = FIXED
    for event in proposal.events:
        event.at = FIXED
    for n, member in enumerate(round_.members, 1):
        member.user.display_name, member.user.organisation = f"评审人{n}", f"单位{n}"
        member.declared_at = member.submitted_at = FIXED
    db.session.commit()
    return proposal


def report_text(proposal) -> str:
    """The .docx text, then the thresholds the report context cites with their sources (not in the template)."""
    text = text_of(Document(io.BytesIO(build.assessment_report(proposal, Audience.FINANCE))))
    context, _ = build.report_parts(proposal, Audience.FINANCE)
    rows = [f"{r['what']}｜{r['value']}｜{r['status']}｜{r['source']}" for r in context["threshold_sources"]]
    return "\n".join([text, "---- threshold_sources", *rows, ""]).replace(f"{proposal.id:04d}", "<编号>")


def altered_rules(tmp: Path) -> Path:
    """A copy of rules/ with the infra threshold and its source changed, a funding source's name and the report
    settings. A v1 round stored neither: it reads the names and settings frozen when version 2 began."""
    target = tmp / "rules"
    shutil.copytree(Path(__file__).resolve().parents[2] / "rules", target)
    screening = target / "screening.yaml"
    text = screening.read_text("utf-8").replace("{value: 20000, ref: 第五条}",
                                                "{value: 30000, status: 本局自定, source: 改过的来源}")
    screening.write_text(text, "utf-8")
    for name, old, new in (("reports.yaml", "assessing_unit: 杭州市财政局", "assessing_unit: 另一家机构"),
                           ("intake.yaml", "label: 一般公共预算", "label: 改名的资金"),
                           ("screening.yaml", "label: 基建投资项目", "label: 改名的类别")):
        path = target / name
        assert old in path.read_text("utf-8"), (name, old)
        path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")
    yaml.safe_load(screening.read_text("utf-8"))
    return target


@pytest.mark.parametrize("version", VERSIONS)
def test_a_stored_round_renders_the_same_report(world, version, tmp_path):
    proposal = stored_round(world, version)
    expected = (FIXTURES / f"{version}_report.txt").read_text("utf-8")
    assert report_text(proposal) == expected
    world.app.config["RULES_DIR"] = str(altered_rules(tmp_path))
    assert report_text(proposal) == expected
