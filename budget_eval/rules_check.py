"""Check every file in rules/: its typed schema, what the loaders require, agreement between files, and a
source for every number. Used by `flask rules check` and the admin page of rule files."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from budget_eval.assessment.domain.rule_files import SCHEMAS as ASSESSMENT_SCHEMAS
from budget_eval.evaluation.domain.scheme import SCHEMAS as EVALUATION_SCHEMAS
from budget_eval.intake.domain.economy_rules import SCHEMAS as ECONOMY_SCHEMAS
from budget_eval.intake.domain.rule_files import load_intake_rules, load_screening_rules, SCHEMAS as INTAKE_SCHEMAS
from budget_eval.meetings.domain.rule_files import load_meeting_rules, SCHEMAS as MEETINGS_SCHEMAS
from budget_eval.platform.domain.rule_schemas import SCHEMAS as PLATFORM_SCHEMAS, validate_rules
from budget_eval.platform.domain.ruleset import load_report_settings, read_yaml, RuleError
from budget_eval.platform.domain.sourced import numbers, SourcedNumber

# every feature's rule files, by kind
SCHEMAS = {**PLATFORM_SCHEMAS, **INTAKE_SCHEMAS, **ECONOMY_SCHEMAS, **ASSESSMENT_SCHEMAS, **MEETINGS_SCHEMAS, **EVALUATION_SCHEMAS}


@dataclass
class FileReport:
    path: str  # relative to rules/
    kind: str = ""
    name: str = ""
    version: str = ""
    errors: list[str] = field(default_factory=list)
    numbers: list[SourcedNumber] = field(default_factory=list)

    @property
    def unsourced(self) -> list[SourcedNumber]:
        return [n for n in self.numbers if not (n.status and n.source.strip())]


@dataclass
class CheckReport:
    files: list[FileReport]
    errors: list[str]  # problems between files

    @property
    def ok(self) -> bool:
        return not self.errors and not any(f.errors or f.unsourced for f in self.files)

    def lines(self) -> list[str]:
        """The report as `flask rules check` prints it."""
        out = []
        for f in self.files:
            state = "有错误" if f.errors else ("有无来源的数字" if f.unsourced else "校验通过")
            out.append(f"{f.path}：{f.name or '（无法读取）'} 版本 {f.version or '—'}，数字{len(f.numbers)}个，{state}")
            out += [f"  错误：{e}" for e in f.errors]
            out += [f"  无来源的数字：{f.path} {n.path} = {n.value}" for n in f.unsourced]
        out += [f"错误：{e}" for e in self.errors]
        unsourced = sum(len(f.unsourced) for f in self.files)
        out.append(f"共 {len(self.files)} 个规则文件，无来源的数字 {unsourced} 个，"
                   + ("全部校验通过。" if self.ok else "请修改后重新检查。"))
        return out


def rule_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.yaml")) + sorted((directory / "schemes").glob("*.yaml"))


def check_directory(directory: Path) -> CheckReport:
    files = [_check_file(path, directory) for path in rule_files(directory)]
    return CheckReport(files, _semantic_errors(directory) if not any(f.errors for f in files) else [])


def _check_file(path: Path, directory: Path) -> FileReport:
    report = FileReport(str(path.relative_to(directory)))
    try:
        data, report.version = read_yaml(path)
    except RuleError as exc:
        report.errors.append(str(exc))
        return report
    report.kind, report.name = str(data.get("kind", "")), str(data.get("name", ""))
    report.errors += validate_rules(data, report.path, schemas=SCHEMAS)
    report.numbers = numbers(data)
    return report


def _semantic_errors(directory: Path) -> list[str]:
    """What the loaders check beyond the schemas (orders, references, sums), and agreement between files."""
    from budget_eval.assessment.domain.assessment_rules import load_assessment_rules, load_materials
    from budget_eval.evaluation.domain.scheme import load_scheme

    errors = []
    try:
        screening = load_screening_rules(directory / "screening.yaml")
        intake = load_intake_rules(directory / "intake.yaml")
        load_report_settings(directory / "reports.yaml")
        meetings = load_meeting_rules(directory / "meetings.yaml")
        for category in screening.categories:
            load_assessment_rules(directory, category.code)
            load_materials(directory / "materials.yaml", category.code)
        for path in sorted((directory / "schemes").glob("*.yaml")):
            load_scheme(path)
    except RuleError as exc:
        return [str(exc)]
    declared = {s.code: s.label for s in intake.funding_sources}
    if screening.source_labels != declared:
        errors.append("screening.yaml：amount.sources 应与 intake.yaml 的 funding_sources 一一对应（代码与名称相同），"
                      f"现为 {sorted(screening.source_labels.items())}，应为 {sorted(declared.items())}")
    quotes = set(screening.quotes.values())
    errors += [f"meetings.yaml：meeting_kinds 中 {kind.code} 的 quote 不是第五条原文（应与 screening.yaml 的 quotes 之一"
               f"逐字相同）：{kind.quote}" for kind in meetings.meeting_kinds if kind.quote not in quotes]
    return errors
