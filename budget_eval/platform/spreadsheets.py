"""The one writer of every spreadsheet (.xlsx) and CSV file the application produces, on the web and the CLI.

Safety: every value that is text — whoever typed it, including headers taken from an uploaded file — is
written as a text cell (data_type 's', never a formula); the only formulas are the SUMs this module writes
in a total row. CSV cells that begin with = + - @, a tab or a carriage return are prefixed with ' so a
spreadsheet program opens them as text.

Layout: a named sheet, column widths fitted to the content (CJK characters count double), long text
wrapped, the header frozen and repeated on every printed page, A4 fitted to the page width (landscape when
wide), thin borders, full-width “（万元）” in money headers, an optional merged title row.

The openpyxl part lives in spreadsheet_xlsx, imported when a workbook is first written (not at start-up).
"""
from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from budget_eval.platform.spreadsheet_layout import (  # noqa: F401 (Column, Table, display_width: this module's API)
    Column, display_width, FORMULA_STARTS, is_number, LANDSCAPE_FROM, MAX_WIDTH, MONEY_UNIT, starts_like_formula,
    Table,
)

if TYPE_CHECKING:
    import pandas as pd

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIMETYPE = "text/csv"
ROW_NUMBER = "原表行号"


def xlsx(*tables: Table) -> bytes:
    """A workbook of one sheet per table (all streamed when any table is)."""
    from budget_eval.platform import spreadsheet_xlsx

    return spreadsheet_xlsx.book(tables)


def frame_table(frame: pd.DataFrame, sheet: str, *, row_numbers: bool = False, kinds: dict | None = None,
                title: str = "") -> Table:
    """A DataFrame as a table; with row_numbers, the source file's row (header = row 1) comes first."""
    kinds = kinds or {}
    columns = [Column(str(c), kinds.get(str(c), "auto")) for c in frame.columns]
    rows = [list(r) for r in frame.astype(object).itertuples(index=False, name=None)]
    if row_numbers:
        columns.insert(0, Column(ROW_NUMBER, "integer"))
        rows = [[int(i) + 2, *r] for i, r in zip(frame.index, rows, strict=True)]
    return Table(sheet, columns, rows, title=title)


def csv_cell(value) -> str:
    """A CSV cell as text; one that a spreadsheet program would read as a formula gets a leading '."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value)
    return "'" + text if isinstance(value, str) and starts_like_formula(text) else text


def csv_bytes(headers: Iterable, rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with a byte-order mark (so Excel on Windows reads the Chinese), every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in headers])
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def table_csv(table: Table) -> bytes:
    return csv_bytes([c.title for c in table.columns], table.rows)
