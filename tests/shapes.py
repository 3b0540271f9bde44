"""Spreadsheets shaped like the ones a bureau really exchanges, built for the table-reader tests (issue 13)."""
from __future__ import annotations

import io
import re
import zipfile

import xlwt
from openpyxl import Workbook

TITLE = "2027年度市级部门预算新增项目汇总表"


class Text(str):
    """A cell typed in as text even though it starts with "=" (as a user can in Excel with a leading ')."""


def xlsx(rows: list[list], *, merges: tuple[str, ...] = (), sheets: dict[str, list[list]] | None = None,
         cached: dict[str, str] | None = None) -> bytes:
    """An .xlsx of `rows` (first sheet "项目清单"), optional extra sheets placed before it, merged ranges, and
    cached values for formula cells ({"F9": "26500"}) as Excel itself would have saved them."""
    book = Workbook()
    book.remove(book.active)
    for name, other in (sheets or {}).items():
        sheet = book.create_sheet(name)
        for row in other:
            sheet.append(row)
    sheet = book.create_sheet("项目清单")
    for row in rows:
        sheet.append(row)
        for value, cell in zip(row, sheet[sheet.max_row], strict=False):
            if isinstance(value, Text):
                cell.data_type = "s"
    for cells in merges:
        sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    return with_cached_values(data, len(sheets or {}) + 1, cached) if cached else data


def with_cached_values(data: bytes, sheet_number: int, cached: dict[str, str]) -> bytes:
    """openpyxl writes a formula with an empty <v>; fill it in, as a file saved by Excel has it."""
    name = f"xl/worksheets/sheet{sheet_number}.xml"
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == name:
                text = content.decode()
                for ref, value in cached.items():
                    text, count = re.subn(rf'(<c r="{ref}"[^>]*><f>[^<]*</f>)<v\s*/?>(?:</v>)?', rf"\g<1><v>{value}</v>", text)
                    assert count == 1, f"no formula cell {ref}"
                content = text.encode()
            target.writestr(item, content)
    return out.getvalue()


def xls(rows: list[list], merges: tuple[tuple[int, int, int, int], ...] = ()) -> bytes:
    """A legacy .xls (BIFF8, as older office systems export); merges are (row0, row1, col0, col1)."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    merged = {(r0, c0) for r0, _, c0, _ in merges}
    for r0, r1, c0, c1 in merges:
        sheet.write_merge(r0, r1, c0, c1, rows[r0][c0])
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is not None and (i, j) not in merged and not _inside(merges, i, j):
                sheet.write(i, j, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _inside(merges, i: int, j: int) -> bool:
    return any(r0 <= i <= r1 and c0 <= j <= c1 for r0, r1, c0, c1 in merges)


def csv_bytes(rows: list[list], encoding: str) -> bytes:
    import csv

    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    return text.getvalue().encode(encoding)
