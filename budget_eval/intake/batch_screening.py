"""Batch screening of a budget-system export: read it with the tolerant reader, screen each row, write .xlsx."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from budget_eval.platform import spreadsheets
from budget_eval.intake.domain.rule_files import ScreeningRules
from budget_eval.intake.domain.screening_rows import (
    COL_AMOUNT,
    COL_BASIS,
    COL_CATEGORY,
    COL_RESULT,
    INPUT_HEADERS,
    screen_row_amount,
)
from budget_eval.platform.imports import read_import
from budget_eval.platform.tables import BLANK, EXAMPLE, NOTE, SUMMARY, Table, TableError

BatchError = TableError  # the name the views and commands catch
COL_ROW = "原表行号"
SET_ASIDE = {SUMMARY: "合计行（不作判定）", BLANK: "空行", NOTE: "说明行", EXAMPLE: "模板示例行（不作判定，请删除）"}
RESULT_ORDER = ("需要", "不需要", "免于评估", "数据有误")


@dataclass
class BatchResult:
    table: Table
    results: list[tuple[str, str, Decimal | None]]  # (result, basis, amount in 万元) per project row, in order
    counts: Counter

    @property
    def rows(self) -> int:
        return len(self.results)


def template_choices(rules: ScreeningRules) -> dict[str, list[str]]:
    """The drop-downs of the project-list template: the categories as rules/screening.yaml names them."""
    return {COL_CATEGORY: [c.label for c in rules.categories]}


def read_sheet(source: BinaryIO | Path, filename: str) -> Table:
    """Read a project list (.xlsx/.xls/.csv), wherever its header is; BatchError says what is wrong."""
    return read_import("batch_screening", source, filename)


def screen_table(table: Table, rules: ScreeningRules) -> BatchResult:
    """Screen every project row; a bad row is 数据有误 with its reasons and never stops the others."""
    unit = table.units[COL_AMOUNT].unit
    columns = [table.frame[c].tolist() for c in INPUT_HEADERS]  # plain lists: faster than to_dict("records")
    results = [screen_row_amount(dict(zip(INPUT_HEADERS, values, strict=True)), rules, unit)
               for values in zip(*columns, strict=True)]
    return BatchResult(table, results, Counter(r[0] for r in results))


def write_xlsx(result: BatchResult, target: BinaryIO | Path) -> None:
    """Every input row in order with its row number, results appended; the title above; a summary sheet."""
    table = result.table
    columns = [spreadsheets.Column(COL_ROW, "integer"), *(spreadsheets.Column(h) for h in table.headers),
               spreadsheets.Column(COL_RESULT, "text"), spreadsheets.Column(COL_BASIS, "text")]  # basis in 万元
    outcomes = iter(result.results)
    width = len(table.headers)
    rows = []
    for number, values in zip(table.cells.index, table.cells.itertuples(index=False, name=None), strict=True):
        kind = table.skipped.get(number)
        outcome = (SET_ASIDE[kind], "") if kind else next(outcomes)[:2]
        rows.append([number, *values[:width], *outcome])
    data = spreadsheets.xlsx(
        spreadsheets.Table("筛查结果", columns, rows, streamed=True, preamble=[str(line) for line in table.title]),
        _summary(result))
    if isinstance(target, Path):
        target.write_bytes(data)
    else:
        target.write(data)


def _summary(result: BatchResult) -> spreadsheets.Table:
    table = result.table
    lines = [("工作表", table.sheet), ("表头所在行", "–".join(dict.fromkeys(map(str, table.header_rows))))]
    lines.append(("判定的项目行", result.rows))
    lines += [(label, result.counts.get(label, 0)) for label in RESULT_ORDER]
    for kind in (SUMMARY, BLANK, NOTE, EXAMPLE):
        numbers = [str(n) for n, k in table.skipped.items() if k == kind]
        lines.append((f"{kind}（不作判定）", f"{len(numbers)}" + (f"（第{'、'.join(numbers[:50])}行）" if numbers else "")))
    unit = table.units[COL_AMOUNT]
    lines.append(("金额单位", f"{unit.unit}（{unit.source}），已折算为万元；单元格自带单位（如“5亿元”）的按其单位"))
    return spreadsheets.Table("汇总", [spreadsheets.Column("项目", "text"), spreadsheets.Column("内容")], lines,
                              streamed=True)


def screen_file(source: BinaryIO | Path, filename: str, rules: ScreeningRules, target: BinaryIO | Path) -> BatchResult:
    """Read, screen and write in one step (used by the CLI and the upload page)."""
    result = screen_table(read_sheet(source, filename), rules)
    write_xlsx(result, target)
    return result


def audit_batch(filename: str, result: BatchResult, user) -> None:
    """The audit line of a batch screening: the file, how many rows, and how they came out (not committed)."""
    from budget_eval.platform.audit import audit

    summary = "，".join(f"{label} {count}" for label, count in sorted(result.counts.items()))
    audit("import", "批量筛查", f"筛查文件“{filename}”：{result.rows} 行（{summary}）", user)
