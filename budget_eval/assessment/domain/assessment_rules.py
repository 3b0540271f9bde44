"""An assessment's rules: the scoring rules and indicator template (rule_files), and what its report cites.

A round stores them when it opens (`AssessmentRules.snapshot()`, stamped with SNAPSHOT_VERSION) and reads
them back with `from_snapshot`, so stored scores, conclusions and the report are always read with the
figures, sources and wording they were made with, whatever rules/ says today. A snapshot stored before a key
was added gets that key's declared default (`added(since=…)`); one from a newer version is refused.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from budget_eval.assessment.domain.rule_files import (
    AssessmentFile,
    Band,
    IndicatorsFile,
    Indicator,
    Material,
    MaterialsFile,
    METHODS,
    ScoringRules,
    Template,
)
from budget_eval.platform.domain.report_settings import ReportSettings, ReportsFile
from budget_eval.platform.domain.rule_types import added, Strict, Text
from budget_eval.platform.domain.ruleset import loaded, model_of, read_model, read_yaml, RuleError
from budget_eval.platform.domain.snapshots import read_snapshot, schema_version, SnapshotError, stamped

MaterialSpec = Material
__all__ = ["AssessmentRules", "Band", "from_snapshot", "Indicator", "load_assessment_rules", "load_materials",
           "MaterialSpec", "METHODS", "ReportRules", "ScoringRules", "SNAPSHOT_VERSION", "Template"]


class StoredThreshold(Strict):
    """The art. 5 amount threshold of the round's category, as rules/screening.yaml gave it."""

    code: Text
    label: Text
    threshold_wan: Text  # the figure as written (a plain decimal)
    source_status: str  # 法定 / 惯例 / 本局自定 ("" when the file gave none)
    source: str


class ReportRules(Strict):
    """What a round's report cites from other rule files, stored with the round (since version 2)."""

    category: StoredThreshold | None = None
    funding_sources: dict[str, Text]  # code → label (rules/intake.yaml)
    qualitative: Text  # the comparator of a qualitative target
    settings: dict[str, Any]  # rules/reports.yaml as written
    settings_version: Text

    def category_label(self, code: str) -> str:
        return self.category.label if self.category is not None and self.category.code == code else code

    def source_label(self, code: str) -> str:
        return self.funding_sources.get(code, code)

    def report_settings(self) -> ReportSettings:
        return loaded(model_of(self.settings, "评估存档", ReportsFile), self.settings_version)


class RulesSnapshot(BaseModel):
    """A stored snapshot: the rule files' data as written (sources beside the values) and their versions."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    scoring: dict[str, Any]
    scoring_version: Text
    template: dict[str, Any]
    template_version: Text
    report: ReportRules | None = added(since=2, default=None)
    # the round rates 审核要点 by level (assessment.yaml's point_scoring named its category when it opened)
    points_mode: bool = added(since=3, default=False)


SNAPSHOT_VERSION = schema_version(RulesSnapshot, AssessmentFile, IndicatorsFile, ReportsFile)


@dataclass(frozen=True)
class AssessmentRules:
    scoring: ScoringRules
    template: Template
    stored: RulesSnapshot

    @property
    def raw(self) -> dict[str, Any]:
        """The files' data as written, for the sources of their figures."""
        return {"scoring": self.stored.scoring, "template": self.stored.template}

    @property
    def report(self) -> ReportRules | None:
        """What the report cites from other files; None for a round stored before version 2."""
        return self.stored.report

    @property
    def version(self) -> str:
        return f"{self.scoring.version}/{self.template.version}"

    @property
    def by_points(self) -> bool:
        """Reviewers rate each 审核要点 by level (else one number per indicator)."""
        return self.stored.points_mode

    def snapshot(self, report: ReportRules | None = None) -> dict[str, Any]:
        """What a round stores: these rules, and what its report will cite."""
        data = self.stored.model_copy(update={"report": report}).model_dump(mode="json")
        return stamped(data, SNAPSHOT_VERSION)


def load_assessment_rules(rules_dir: Path, category: str) -> AssessmentRules:
    """Read assessment.yaml and the indicator template it names for this category."""
    path = rules_dir / "assessment.yaml"
    scoring, scoring_data, scoring_version = read_model(path, AssessmentFile)
    if category not in scoring.templates:
        raise RuleError(f"{path}: templates 中没有类别 {category} 的指标体系")
    template_data, template_version = read_yaml(rules_dir / scoring.templates[category])
    stored = RulesSnapshot(scoring=scoring_data, scoring_version=scoring_version, template=template_data,
                           template_version=template_version, points_mode=category in scoring.point_scoring)
    return _rules(stored, str(path))


def from_snapshot(raw: dict[str, Any], where: str = "评估存档") -> AssessmentRules:
    """The rules a round or self-assessment stored (any version up to SNAPSHOT_VERSION)."""
    try:
        stored = read_snapshot(RulesSnapshot, raw, SNAPSHOT_VERSION, where)
    except SnapshotError as exc:
        raise RuleError(str(exc)) from None
    return _rules(stored, where)


def _rules(stored: RulesSnapshot, where: str) -> AssessmentRules:
    scoring = loaded(model_of(stored.scoring, where, AssessmentFile), stored.scoring_version)
    template = loaded(model_of(stored.template, where, IndicatorsFile), stored.template_version)
    for indicator in template.indicators:
        if set(indicator.rubric) != set(scoring.levels):
            raise RuleError(f"{where}: 指标 {indicator.key} 的 rubric 应有 {'、'.join(scoring.levels)} "
                            f"{len(scoring.levels)}档")
        if stored.points_mode and not indicator.audit_points:
            raise RuleError(f"{where}: 按审核要点评分时，指标 {indicator.key} 应列出 audit_points")
    if stored.points_mode and not scoring.level_rates:
        raise RuleError(f"{where}: 按审核要点评分时，assessment.yaml 应有 level_rates（各档得分率）")
    return AssessmentRules(scoring, template, stored)


def load_materials(path: Path, category: str) -> tuple[Material, ...]:
    materials, _, _ = read_model(path, MaterialsFile)
    which = materials.checklist_for.get(category)
    if which is None:
        raise RuleError(f"{path}: 没有类别 {category} 的材料清单")
    return tuple(materials.project if which == "project" else materials.policy)
