"""The typed declaration of meetings' rule file, rules/meetings.yaml: the kinds of meeting that take the decision
(art. 5 names two, each with the article's sentence quoted verbatim) and the layout of the
budget export (the columns a 预算管理一体化 system's project library takes). Declared once: `rules check`
validates the file against these models, and the meeting and export code read the validated model itself.
"""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from budget_eval.platform.domain.rule_types import Head, Status, Strict, Text
from budget_eval.platform.domain.ruleset import loaded, read_model

YEAR = "{year}"
ProjectField = Literal["number", "name", "department", "category", "year_amount", "assessed", "conclusion", "score",
                       "decision", "meeting", "cut_reason", "in_library", "library_date"]
TargetField = Literal["number", "name", "level1", "level2", "target", "comparator", "value", "unit", "year"]
# what the export must always carry, so it can be read back and matched to the database
PROJECT_REQUIRED: tuple[ProjectField, ...] = ("number", "name", "year_amount")
TARGET_REQUIRED: tuple[TargetField, ...] = ("number", "target", "value")


class MeetingKind(Strict):
    code: Text
    label: Text
    quote: Text  # art. 5's sentence, verbatim (checked against screening.yaml's quotes by `rules check`)
    ref: Text  # a name in the file's sources table


class ExportColumn(Strict):
    header: Text
    field: Text


class ProjectColumn(ExportColumn):
    field: ProjectField

    @model_validator(mode="after")
    def _year_in_header(self) -> ProjectColumn:
        if (self.field == "year_amount") != (YEAR in self.header):
            raise PydanticCustomError("year", "只有 year_amount 列的 header 含 {year}（每个年度一列），且必须含")
        return self


class TargetColumn(ExportColumn):
    field: TargetField


class ProjectSheet(Strict):
    sheet: Text
    columns: list[ProjectColumn] = Field(min_length=1)

    @model_validator(mode="after")
    def _complete(self) -> ProjectSheet:
        _check_columns([c.field for c in self.columns], [c.header for c in self.columns], PROJECT_REQUIRED)
        return self


class TargetSheet(Strict):
    sheet: Text
    columns: list[TargetColumn] = Field(min_length=1)

    @model_validator(mode="after")
    def _complete(self) -> TargetSheet:
        _check_columns([c.field for c in self.columns], [c.header for c in self.columns], TARGET_REQUIRED)
        return self


def _check_columns(fields: list[str], headers: list[str], required: tuple[str, ...]) -> None:
    missing = [f for f in required if f not in fields]
    if missing:
        raise PydanticCustomError("columns", f"columns 缺少 field：{'、'.join(missing)}（导出表须能读回并对应到项目）")
    repeated = sorted({f for f in fields if fields.count(f) > 1} | {h for h in headers if headers.count(h) > 1})
    if repeated:
        raise PydanticCustomError("columns", f"columns 中重复：{'、'.join(repeated)}")


class BudgetExport(Strict):
    label: Text
    status: Status
    source: Text
    projects: ProjectSheet
    targets: TargetSheet

    @model_validator(mode="after")
    def _two_sheets(self) -> BudgetExport:
        if self.projects.sheet == self.targets.sheet:
            raise PydanticCustomError("sheets", "projects 与 targets 的工作表名称应不同")
        return self


class MeetingsFile(Head):
    kind: Literal["meetings"]
    meeting_kinds: list[MeetingKind] = Field(min_length=1)
    budget_export: BudgetExport

    @model_validator(mode="after")
    def _kinds(self) -> MeetingsFile:
        codes = [k.code for k in self.meeting_kinds]
        if len(set(codes)) != len(codes):
            raise PydanticCustomError("kinds", "meeting_kinds 的 code 重复")
        unknown = [k.ref for k in self.meeting_kinds if k.ref not in self.sources]
        if unknown:
            raise PydanticCustomError("ref", f"meeting_kinds 的 ref {'、'.join(unknown)} 在 sources 中没有")
        return self

    def kind_of(self, code: str) -> MeetingKind:
        """The kind of that code (KeyError when the file names none)."""
        for kind in self.meeting_kinds:
            if kind.code == code:
                return kind
        raise KeyError(code)

    def source_of(self, kind: MeetingKind) -> str:
        return self.sources[kind.ref].source


MeetingRules = MeetingsFile
SCHEMAS: dict[str, type[Head]] = {"meetings": MeetingsFile}


def load_meeting_rules(path: Path) -> MeetingRules:
    model, _, version = read_model(path, MeetingsFile)
    return loaded(model, version)
