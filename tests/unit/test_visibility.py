"""The visibility policy as pure predicates, and the report variants declared in rules/reports.yaml."""
from pathlib import Path
from types import SimpleNamespace as N

import pytest

from budget_eval.assessment.documents.variants import redact_for_variant
from budget_eval.platform.domain.ruleset import RuleError, load_report_settings
from budget_eval.assessment.domain.visibility import (
    Audience,
    is_blinded,
    may_see_results,
    may_see_sheet,
    report_audience,
    report_variant,
)

RULES = Path(__file__).resolve().parents[2] / "rules"


def world():
    department = N(id=1, authority_id=None, sector_authority_id=None)
    proposal = N(department_id=1, department=department, assessments=[], assessor_kind=None, assessor_staff=[])
    first = N(status="concluded", members=[], proposal=proposal)
    second = N(status="open", members=[], proposal=proposal)
    proposal.assessments = [first, second]
    users = {name: N(id=n, role=role, department_id=dept) for n, (name, role, dept) in enumerate([
        ("admin", "admin", None), ("finance", "reviewer", None), ("old", "expert", None), ("new", "expert", None),
        ("staff", "department", 1), ("stranger", "department", 2)], 1)}
    for round_, user, status in ((first, "old", "submitted"), (first, "finance", "submitted"),
                                 (second, "old", "accepted"), (second, "new", "accepted")):
        round_.members.append(N(user_id=users[user].id, status=status, assessment=round_))
    return proposal, users


def test_a_reviewer_pending_on_the_open_round_is_blind_to_every_round():
    proposal, users = world()
    assert is_blinded(users["new"], proposal) and is_blinded(users["old"], proposal)
    assert not may_see_results(users["new"], proposal) and report_audience(users["old"], proposal) is None
    first = proposal.assessments[0]
    assert not may_see_sheet(users["old"], first.members[1])  # their round-1 colleague's sheet
    assert may_see_sheet(users["old"], first.members[0])  # their own
    proposal.assessments[1].members[0].status = "submitted"
    assert may_see_results(users["old"], proposal) and may_see_sheet(users["old"], first.members[1])
    assert report_audience(users["old"], proposal) is Audience.REVIEWER


def test_audiences():
    proposal, users = world()
    assert report_audience(users["admin"], proposal) is Audience.FINANCE
    assert report_audience(users["finance"], proposal) is Audience.FINANCE
    assert report_audience(users["staff"], proposal) is Audience.DEPARTMENT
    assert report_audience(users["stranger"], proposal) is None


def test_variants_come_from_the_rules(tmp_path):
    settings = load_report_settings(RULES / "reports.yaml")
    assert report_variant(Audience.DEPARTMENT, settings) == "panel"
    assert report_variant(Audience.MEETING, settings) == "panel"
    assert report_variant(Audience.FINANCE, settings) == "full"
    text = (RULES / "reports.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "reports.yaml"
    broken.write_text(text.replace("meeting: panel", "meeting: everything"), encoding="utf-8")
    with pytest.raises(RuleError, match="未知版本|有误"):
        load_report_settings(broken)
    broken.write_text(text.replace("  source: 本局自定\n", ""), encoding="utf-8")
    with pytest.raises(RuleError, match="source"):
        load_report_settings(broken)


def test_panel_variant_replaces_names_everywhere_and_drops_totals():
    context = {"reviewers": [{"name": "王婷", "unit": "市财政局", "role": "评审专家", "opinion": "可行", "total": "81.30",
                              "title": "高级会计师"},
                             {"name": "李强", "unit": "浙江大学", "role": "评审专家", "opinion": "同意王婷意见",
                              "total": "79.10"}],
               "reviewer_names": "王婷、李强", "annex": [{"who": "王婷（财政局绩效处）"}], "total": "80.20"}
    redacted = redact_for_variant(context, "panel")
    assert "王婷" not in repr(redacted) and "李强" not in repr(redacted)
    assert "81.30" not in repr(redacted) and "高级会计师" not in repr(redacted) and redacted["total"] == "80.20"
    assert redacted["reviewers"][1]["opinion"] == "同意专家1意见" and redacted["annex"][0]["who"] == "专家1（财政局绩效处）"
    assert redact_for_variant(context, "full")["reviewers"] == context["reviewers"]
