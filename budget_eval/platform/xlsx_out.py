"""Writing user text into .xlsx safely: every string is a text cell (data_type 's'), never a formula.

The one place spreadsheets are filled from user data (batch screening, rejected rows, templates), so it can
be switched over to a shared writer in one step.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import BinaryIO

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill

HEADER_FONT, HEADER_FILL = Font(bold=True), PatternFill("solid", fgColor="DDE7F3")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def cell(sheet, value: object, *, header: bool = False, font: Font | None = None) -> WriteOnlyCell:
    """A write-only cell; text stays text even when it starts with "=" (user text never becomes a formula)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        value = None
    elif isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    out = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        out.data_type = "s"
    if header:
        out.font, out.fill, out.alignment = HEADER_FONT, HEADER_FILL, CENTRE
    elif font is not None:
        out.font = font
    return out


def row(sheet, values, **style) -> list:
    """Values for sheet.append: a plain string is bound as text (data_type 's') by openpyxl itself; the few
    that openpyxl would read as a formula ("=…") or an error code ("#N/A") go as text cells (slower path)."""
    if style:
        return [cell(sheet, v, **style) for v in values]
    return [cell(sheet, v) if _needs_cell(v) else v for v in values]


def _needs_cell(value: object) -> bool:
    if isinstance(value, str):
        return value.startswith("=") or value in ERROR_CODES or ILLEGAL_CHARACTERS_RE.search(value) is not None
    return isinstance(value, float) and math.isnan(value)


def frame_to_xlsx(frame: pd.DataFrame, target: BinaryIO | Path, sheet_name: str = "Sheet1") -> None:
    """A table with a bold header row, every string as text."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name)
    for j, name in enumerate(frame.columns, 1):
        sheet.column_dimensions[_letter(j)].width = max(10, min(50, len(str(name)) * 2 + 4))
    sheet.append(row(sheet, [str(c) for c in frame.columns], header=True))
    for values in frame.itertuples(index=False, name=None):
        sheet.append(row(sheet, values))
    book.save(target)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)
