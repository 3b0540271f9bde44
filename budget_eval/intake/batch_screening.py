"""Batch screening of a budget-system export: read it with the tolerant reader, screen each row, write .xlsx."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Font

from budget_eval.platform import spreadsheets
from budget_eval.platform.domain.ruleset import ScreeningRules
from budget_eval.intake.domain.screening_rows import (
    COL_AMOUNT,
    COL_BASIS,
    COL_RESULT,
    INPUT_HEADERS,
    screen_row_amount,
)
from budget_eval.platform.imports import read_import
from budget_eval.platform.tables import BLANK, NOTE, SUMMARY, Table, TableError
from budget_eval.platform.xlsx_out import cell, row

BatchError = TableError  # the name the views and commands catch
COL_ROW = "原表行号"
SET_ASIDE = {SUMMARY: "合计行（不作判定）", BLANK: "空行", NOTE: "说明行"}
RESULT_ORDER = ("需要", "不需要", "免于评估", "数据有误")


@dataclass
class BatchResult:
    table: Table
    results: list[tuple[str, str, Decimal | None]]  # (result, basis, amount in 万元) per project row, in order
    counts: Counter

    @property
    def rows(self) -> int:
        return len(self.results)


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
    book = Workbook(write_only=True)
    sheet = book.create_sheet("筛查结果")
    headers = [COL_ROW, *table.headers, COL_RESULT, COL_BASIS]  # the basis states the amount in 万元
    sample = table.cells.head(200)
    for j, title in enumerate(headers):
        seen = [title, *(sample[j - 1] if 0 < j <= len(table.headers) else ())]
        width = 60 if title == COL_BASIS else min(40, max(8, *(_display_width(v) + 2 for v in seen)))
        sheet.column_dimensions[_letter(j + 1)].width = width
    sheet.freeze_panes = f"A{len(table.title) + 2}"
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToHeight = 0  # as many pages down as needed, one page across
    for line in table.title:
        sheet.append([cell(sheet, line, font=Font(bold=True, size=13))])
    sheet.append(row(sheet, headers, header=True))
    outcomes = iter(result.results)
    width = len(table.headers)
    for number, values in zip(table.cells.index, table.cells.itertuples(index=False, name=None), strict=True):
        kind = table.skipped.get(number)
        outcome = (SET_ASIDE[kind], "") if kind else next(outcomes)[:2]
        sheet.append(row(sheet, [number, *values[:width], *outcome]))
    _summary(book.create_sheet("汇总"), result)
    book.save(target)


def _summary(sheet, result: BatchResult) -> None:
    table = result.table
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 24, 70
    lines = [("项目", "内容"), ("工作表", table.sheet), ("表头所在行", "–".join(dict.fromkeys(map(str, table.header_rows))))]
    lines.append(("判定的项目行", result.rows))
    lines += [(label, result.counts.get(label, 0)) for label in RESULT_ORDER]
    for kind in (SUMMARY, BLANK, NOTE):
        numbers = [str(n) for n, k in table.skipped.items() if k == kind]
        lines.append((f"{kind}（不作判定）", f"{len(numbers)}" + (f"（第{'、'.join(numbers[:50])}行）" if numbers else "")))
    unit = table.units[COL_AMOUNT]
    lines.append(("金额单位", f"{unit.unit}（{unit.source}），已折算为万元；单元格自带单位（如“5亿元”）的按其单位"))
    for i, (label, value) in enumerate(lines):
        sheet.append(row(sheet, [label, value], header=i == 0))


def _display_width(value: object) -> int:
    """Columns as wide as their text: a Chinese character takes two places."""
    text = "" if value is None or value != value else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def screen_file(source: BinaryIO | Path, filename: str, rules: ScreeningRules, target: BinaryIO | Path) -> BatchResult:
    """Read, screen and write in one step (used by the CLI and the upload page)."""
    result = screen_table(read_sheet(source, filename), rules)
    write_xlsx(result, target)
    return result
