"""The .xlsx half of the one spreadsheet writer (budget_eval.platform.spreadsheets): openpyxl and everything
that needs it, imported only when a workbook is written (openpyxl costs a quarter of a second at start-up).
Callers use spreadsheets.xlsx(); nothing else imports this module."""
from __future__ import annotations

import io
import math
import sys
from collections.abc import Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties

from budget_eval.platform.spreadsheet_layout import (
    display_width, is_number, LANDSCAPE_FROM, MAX_WIDTH, starts_like_formula, Table,
)
from budget_eval.platform.spreadsheet_layout import lines as wrapped_lines, widths as widths_of

FORMATS = {"money": "#,##0.00", "score": "0.00", "integer": "0", "text": "@"}
LINE_HEIGHT = 15  # points per line of wrapped text (Excel and LibreOffice do not size rows on opening)
MAX_CELL = 32767  # Excel's limit on the characters in a cell
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")
STREAM_SAMPLE = 200  # a streamed table's widths come from its first rows




def _missing(value) -> bool:
    """None, NaN or pandas' NaT (pandas is looked up, not imported: a NaT exists only once pandas is loaded)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    pandas = sys.modules.get("pandas")
    return pandas is not None and value is pandas.NaT


def clean_text(value) -> str:
    """Text Excel can hold: no control characters it refuses, no more than it allows in a cell."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))[:MAX_CELL]


def put(cell, value, kind: str = "auto") -> None:
    """Write one value safely: numbers as numbers (for numeric or auto columns), everything else as text."""
    if _missing(value):
        return
    if is_number(value) and kind != "text":
        cell.value = value
        if kind in FORMATS:
            cell.number_format = FORMATS[kind]
        return
    if isinstance(value, datetime | date) and type(value).__module__.split(".")[0] != "pandas":
        cell.value = value
        return
    text = clean_text(value)
    cell.value = text
    cell.data_type = "s"  # never a formula, whatever the text begins with
    if starts_like_formula(text):
        cell.quotePrefix = True  # Excel keeps it text even when someone edits the cell


def write_table(book: Workbook, table: Table, first: bool = False):
    """Add (or fill the first) sheet of a workbook with a table; returns the worksheet."""
    sheet = book.active if first else book.create_sheet()
    sheet.title = sheet_name(table.sheet)
    count = len(table.columns)
    header_row = 2 if table.title else 1
    if table.title:
        put(sheet.cell(1, 1), table.title, "text")
        sheet.cell(1, 1).font = Font(bold=True, size=16)
        sheet.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
        if count > 1:
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=count)
        sheet.row_dimensions[1].height = 30
    widths = widths_of(table)
    for n, column in enumerate(table.columns, 1):
        cell = sheet.cell(header_row, n)
        put(cell, column.title, "text")
        cell.font, cell.fill, cell.border = Font(bold=True), HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(n)].width = widths[n - 1]
    sheet.row_dimensions[header_row].height = LINE_HEIGHT * max(
        wrapped_lines(c.title, widths[n]) for n, c in enumerate(table.columns)) + 4
    for r, row in enumerate(table.rows, header_row + 1):
        lines = 1
        for n, column in enumerate(table.columns, 1):
            cell = sheet.cell(r, n)
            put(cell, row[n - 1] if n - 1 < len(row) else None, column.kind)
            cell.border = BORDER
            numeric = column.kind in ("money", "score", "integer") or is_number(cell.value)
            cell.alignment = Alignment(vertical="top", wrap_text=not numeric,
                                       horizontal="right" if numeric else None)
            if not numeric and cell.value is not None:
                lines = max(lines, wrapped_lines(cell.value, widths[n - 1]))
        if lines > 1:
            sheet.row_dimensions[r].height = LINE_HEIGHT * lines + 3
    last = header_row + len(table.rows)
    _validations(sheet, table, header_row)
    if table.total_label:
        last = _total_row(sheet, table, header_row, last)
    _print_setup(sheet, header_row, sum(widths))
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    return sheet


def _validations(sheet, table: Table, header_row: int) -> None:
    """Drop-downs and number checks for the rows a user fills in (templates)."""
    last = header_row + max(table.input_rows, len(table.rows))
    for n, column in enumerate(table.columns, 1):
        letter = get_column_letter(n)
        allowed = table.drop_downs.get(column.header)
        if allowed:
            rule = DataValidation(type="list", formula1='"' + ",".join(allowed) + '"', allow_blank=True,
                                  showErrorMessage=True, errorTitle="取值不在列表中",
                                  error=f"{column.header}请从下拉列表中选择")
        elif column.header in table.non_negative:
            rule = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                                  showErrorMessage=True, error=f"{column.header}应为不小于0的数字（单位见表头）")
        else:
            continue
        sheet.add_data_validation(rule)
        rule.add(f"{letter}{header_row + 1}:{letter}{last}")


def _total_row(sheet, table: Table, header_row: int, last: int) -> int:
    """The total row: the label, a note, and a SUM formula (written here, never from data) per summed column."""
    total = last + 1
    put(sheet.cell(total, 1), table.total_label, "text")
    if table.total_note and len(table.columns) > 1:
        put(sheet.cell(total, 2), table.total_note, "text")
    for n, column in enumerate(table.columns, 1):
        cell = sheet.cell(total, n)
        if column.header in table.sums:
            letter = get_column_letter(n)
            cell.value = f"=SUM({letter}{header_row + 1}:{letter}{last})" if last > header_row else 0
            cell.number_format = FORMATS.get(column.kind, "General")
        cell.font, cell.border = Font(bold=True), BORDER
        cell.alignment = Alignment(horizontal="right" if column.header in table.sums else None)
    return total


def _print_setup(sheet, header_row: int, width: float) -> None:
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.orientation = "landscape" if width > LANDSCAPE_FROM else "portrait"
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.print_title_rows = f"1:{header_row}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5


def sheet_name(text: str) -> str:
    return clean_text(text).translate(str.maketrans("[]:*?/\\", "（）：＊？／＼"))[:31] or "数据"


def book(tables: Sequence[Table]) -> bytes:
    """A workbook of one sheet per table (all streamed when any table is)."""
    if any(table.streamed for table in tables):
        return _streamed(tables)
    workbook = Workbook()
    for n, table in enumerate(tables):
        write_table(workbook, table, first=n == 0)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _streamed(tables: Sequence[Table]) -> bytes:
    """Row-by-row (write-only) workbook: the same safety and page layout, without per-cell borders."""
    book = Workbook(write_only=True)
    for table in tables:
        sheet = book.create_sheet(sheet_name(table.sheet))
        widths = widths_of(Table(table.sheet, table.columns, table.rows[:STREAM_SAMPLE]))
        for n, width in enumerate(widths, 1):
            sheet.column_dimensions[get_column_letter(n)].width = width
        header_row = len(table.preamble) + 1
        _print_setup(sheet, header_row, sum(widths))
        sheet.freeze_panes = f"A{header_row + 1}"
        for line in table.preamble:
            sheet.append([_stream_cell(sheet, line, "text", font=Font(bold=True, size=13))])
        sheet.append([_stream_cell(sheet, c.title, "text", header=True) for c in table.columns])
        kinds = [c.kind for c in table.columns]
        for row in table.rows:
            sheet.append([_stream_value(sheet, v, k, w) for v, k, w in zip(row, kinds, widths, strict=False)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _stream_cell(sheet, value, kind: str, *, header: bool = False, font: Font | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet)
    put(cell, value, kind)
    if header:
        cell.font, cell.fill, cell.border = Font(bold=True), HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    elif font is not None:
        cell.font = font
    return cell


WRAP = Alignment(vertical="top", wrap_text=True)


def _stream_value(sheet, value, kind: str, width: float = MAX_WIDTH):
    """A plain value where openpyxl binds it safely by itself (fast); a text cell for anything that reads as a
    formula or an error code, or carries characters Excel refuses; a wrapped cell for text wider than its column
    (a 250-character 判定依据 prints on several lines of its column, not on one line across the page)."""
    if isinstance(value, str):
        if value.startswith("=") or value in ERROR_CODES or ILLEGAL_CHARACTERS_RE.search(value) \
                or len(value) > MAX_CELL:
            return _stream_cell(sheet, value, "text")
        if "\n" in value or display_width(value) > width - 1:
            cell = _stream_cell(sheet, value, "text")
            cell.alignment = WRAP
            return cell
        return value
    if _missing(value):
        return None
    if is_number(value) and kind != "text":
        return value
    return _stream_cell(sheet, value, kind)
