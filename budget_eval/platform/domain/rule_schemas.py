"""Validating a rule file against its typed, strict schema (pydantic v2), and platform's own rule file,
rules/tables.yaml (how imported tables are read). Each feature declares its own files' models beside its
loader (intake/domain/rule_files.py, assessment/domain/rule_files.py, evaluation/domain/scheme.py); the
composition root (rules_check) combines them.

Strict means: a key the schema does not know is refused (a misspelt key is never silently ignored),
`"false"` is text and not a boolean, `"10"` is text and not a number. A policy number may carry its
source beside it (`{value: 10, status: 本局自定, source: …}` or `{value: 10, ref: <name in sources>}`).
Errors come back in Chinese with the file, the key path and the wrong value (`RuleError`). A file may name
the `schema_version` it was written for (none is version 1); a newer one than the code knows is refused.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal

from pydantic import Field, model_validator, StrictBool, ValidationError
from pydantic_core import PydanticCustomError

from budget_eval.platform.domain.money import UNITS

from budget_eval.platform.domain.calendar import HolidaysFile
from budget_eval.platform.domain.report_settings import ReportsFile
from budget_eval.platform.domain.rule_types import chinese_message, Head, Int, Policy, Status, Strict, Text
from budget_eval.platform.domain.snapshots import schema_version, SnapshotError, stored_version, VERSION_KEY
from budget_eval.platform.domain.sourced import is_wrapped, SOURCES_KEY


# --- tables.yaml ------------------------------------------------------------------------------------
class TableColumnRule(Strict):
    name: Text
    kind: Literal["text", "label", "yesno", "choice", "amount", "number"]
    synonyms: list[Text] = Field(default_factory=list)
    example: Text | None = None
    required: StrictBool = True
    unit: Text | None = None
    choices_from: Text | None = None
    values: dict[str, Text] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _amount_unit(self) -> TableColumnRule:
        if self.kind == "amount" and self.unit not in UNITS:
            raise PydanticCustomError("unit", "金额列的 unit 应为 元/万元/亿元 之一")
        return self


class TableRule(Strict):
    label: Text
    columns: list[TableColumnRule] = Field(min_length=1)


class TablesFile(Head):
    kind: Literal["tables"]
    status: Status
    header_scan_rows: Policy[Int]
    summary_labels: list[Text] = Field(min_length=1)
    note_prefixes: list[Text] = Field(min_length=1)
    tables: dict[str, TableRule] = Field(min_length=1)


SCHEMAS: dict[str, type[Head]] = {"tables": TablesFile, "reports": ReportsFile, "holidays": HolidaysFile}
# platform's own; the features' (intake, assessment, evaluation) are added by the composition root (rules_check)


def validate_rules(data: Mapping[str, Any], where: str, kind: str | None = None,
                   schemas: Mapping[str, type[Head]] | None = None) -> list[str]:
    """Every problem of a rule file's data, each naming the file, the key path and the wrong value."""
    schemas = SCHEMAS if schemas is None else schemas
    declared = data.get("kind")
    schema = schemas.get(kind or str(declared))
    if schema is None or (kind is not None and declared != kind):
        expected = kind or " / ".join(schemas)
        return [f"{where}：kind 的值 {declared!r} 有误：应为 {expected}"]
    return validate_model(data, where, schema)


def validate_model(data: Mapping[str, Any], where: str, schema: type[Head]) -> list[str]:
    """The problems of a rule file's data against its model (and of its `ref`s to the sources table)."""
    declared = data.get("kind")
    expected = getattr(schema.model_fields["kind"].annotation, "__args__", (declared,))
    if declared not in expected:
        return [f"{where}：kind 的值 {declared!r} 有误：应为 {' / '.join(map(str, expected))}"]
    try:
        stored_version(data, schema_version(schema), where)
    except SnapshotError as exc:
        return [str(exc)]
    problems = []
    try:
        schema.model_validate(without_version(data))
    except ValidationError as exc:
        problems += [chinese_message(error, where) for error in exc.errors()]
    table = data.get(SOURCES_KEY)
    names = table if isinstance(table, dict) else {}
    problems += [f"{where}：{path}.ref 的值 {ref!r} 有误：sources 中没有这个名称" for path, ref in _refs(data, "")
                 if ref not in names]
    return problems


def without_version(data: Mapping[str, Any]) -> dict[str, Any]:
    """The data the model reads: the schema version it was written for is checked apart."""
    return {key: value for key, value in data.items() if key != VERSION_KEY}


def _refs(node: object, path: str) -> Iterator[tuple[str, object]]:
    if isinstance(node, dict):
        if is_wrapped(node) and "ref" in node:
            yield path, node["ref"]
        for key, value in node.items():
            if not (path == "" and key == SOURCES_KEY):
                yield from _refs(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _refs(item, f"{path}[{index}]")
