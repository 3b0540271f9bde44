"""Every import's entry point: read an uploaded table with the tolerant reader (platform/tables.py) as declared
in rules/tables.yaml, and the downloadable .xlsx templates (canonical headers, example row, drop-downs)."""
from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from budget_eval.platform.domain.table_spec import TableSpec
from budget_eval.platform.rules import table_rules
from budget_eval.platform.tables import CHUNK_ROWS, EXAMPLE_MARK, Table, TableError, TableStream, read_table, stream_table
from budget_eval.platform import spreadsheets

YES_NO = ("是", "否")
ROWS = 2000  # validation covers this many rows below the header
__all__ = ["Table", "TableError", "TableStream", "import_summary", "read_import", "set_aside_note", "stream_import",
           "template_xlsx", "unzipped_limit"]


def unzipped_limit() -> int:
    """The configured limit inside a request or command; a generous default outside one (benchmarks)."""
    from flask import current_app, has_app_context

    return current_app.config["UNZIPPED_MAX_BYTES"] if has_app_context() else 400 * 1024 * 1024


def read_import(kind: str, source: BinaryIO | Path, filename: str) -> Table:
    """Read an upload as the table `kind` of rules/tables.yaml; TableError (one Chinese message) when it is not."""
    data = source.read_bytes() if isinstance(source, Path) else source.read()
    rules = table_rules()
    return read_table(data, filename, rules.tables[kind], rules, unzipped_limit())


def stream_import(kind: str, source: BinaryIO | Path, filename: str, chunk_rows: int = CHUNK_ROWS) -> TableStream:
    """The same table as read_import as it streams: its header now, its rows in chunks (memory bounded by the
    chunk, not the file; see tables.TableStream). TableError when the header is not found."""
    rules = table_rules()
    return stream_table(source, filename, rules.tables[kind], rules, unzipped_limit(), chunk_rows)


def set_aside_note(skipped: dict[int, str]) -> str:
    """“，另有空行 1 行（第6行）不作为数据导入”: the rows the reader set aside, for the import's message."""
    kinds = {}
    for number, kind in skipped.items():
        kinds.setdefault(kind, []).append(str(number))
    parts = [f"{kind} {len(rows)} 行（第{'、'.join(rows[:10])}{'等' if len(rows) > 10 else ''}行）"
             for kind, rows in kinds.items()]
    return f"，另有{'、'.join(parts)}不作为数据导入" if parts else ""


def import_summary(what: str, read: int, imported: int, rejected: int, skipped: dict[int, str]) -> str:
    """An import's summary for its result page: “共读取 12 行：导入领导评分 10 行，拒收 1 行，另有模板示例行 1 行
    （第2行）不作为数据导入。拒收的行及原因见下方文件…”"""
    return f"共读取 {read} 行：导入{what} {imported} 行，拒收 {rejected} 行{set_aside_note(skipped)}。" + (
        "拒收的行及原因（含原表行号）见下方文件，改正后可只导入这些行。" if rejected else "")


def template_xlsx(kind: str, choices: dict[str, list[str]] | None = None) -> bytes:
    """The template of a table in rules/tables.yaml; `choices` gives the allowed values of choice columns."""
    spec = table_rules().tables[kind]
    choices = choices or {}
    drop_downs = {c.name: YES_NO if c.kind == "yesno" else choices[c.name] for c in spec.columns
                  if c.kind == "yesno" or choices.get(c.name)}
    table = spreadsheets.Table(spec.label, [spreadsheets.Column(c.name) for c in spec.columns],
                               [_example_row(spec)], drop_downs=drop_downs,
                               non_negative=[c.name for c in spec.columns if c.kind == "amount"], input_rows=ROWS)
    return spreadsheets.xlsx(table, _notes(spec, choices))


def _example_row(spec: TableSpec) -> list:
    """The example row, marked as one: its first cell starts with EXAMPLE_MARK, so an upload that keeps it never
    imports it (the reader sets it aside as 模板示例行)."""
    row = [_example(c.kind, c.example) for c in spec.columns]
    row[0] = f"{EXAMPLE_MARK}{row[0]}"
    return row


def _example(kind: str, text: str):
    return Decimal(text) if kind in ("amount", "number") and text else text


def _notes(spec: TableSpec, choices: dict[str, list[str]]) -> spreadsheets.Table:
    example = "、".join(str(v) for v in _example_row(spec) if v != "")
    lines = [("表头位置", "表头可在前几行（上方可有标题行、“单位：元/万元/亿元”单位行）；"
                      "合计、小计、总计行和空行不会作为数据读取"),
             ("示例行", f"第2行是模板示例行（{example}），仅供参考：导入时按“模板示例行”跳过，不会作为数据导入；"
                      "请从第3行起填写，或删除示例行后填写（第一格以“示例：”开头的行都按示例行跳过）")]
    for column in spec.columns:
        parts = [] if column.required else ["可不填此列"]
        if column.synonyms:
            parts.append("也可写作：" + "、".join(s for s in column.synonyms if s != column.name))
        allowed = YES_NO if column.kind == "yesno" else choices.get(column.name)
        if allowed:
            parts.append("取值：" + "、".join(allowed))
        if column.values:
            parts.append("也接受：" + "、".join(f"{k}（即{v}）" for k, v in column.values.items()))
        if column.kind == "amount":
            parts.append(f"单位默认为{column.unit}；表头或单位行写明“元”“亿元”的按其折算，单元格写明单位（如“3亿元”）的按单元格")
        lines.append((column.name, "；".join(parts)))
    return spreadsheets.Table("填表说明", [spreadsheets.Column("列", "text"), spreadsheets.Column("说明", "text")], lines)
