"""Where the tolerant table reader (platform/tables.py) gets its rows: each sheet of a workbook through calamine's
row iterator, or a CSV line by line in its encoding (UTF-8 with or without BOM, else GB18030), never the whole file
as Python objects; and the one error a whole file raises."""
from __future__ import annotations

import codecs
import datetime as dt
import math
import csv
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from budget_eval.platform.domain.table_spec import squeeze
from budget_eval.platform.domain.zipcheck import check_zip, ZipBomb

SPREADSHEETS = (".xlsx", ".xlsm", ".ods", ".xls")
CSV = "CSV"


class TableError(ValueError):
    """The file as a whole cannot be read as the expected table; one Chinese message fit for the user."""


@dataclass
class Sheet:
    name: str
    rows: Iterator[list]  # its rows from the first, as lists of cell values
    merges: list
    total: int | None  # how many rows it has, when known before reading them
    reopen: Callable[[], Iterator[list]]  # its rows again from the first
    head: list[list] = field(default_factory=list)
    released: bool = False

    def release(self) -> None:
        """Stop reading it (a sheet set aside while the next is looked at); its first rows are kept."""
        self.rows, self.released = iter(()), True


def sheets(source: bytes | BinaryIO | Path, filename: str, zip_limit: int) -> Iterator[Sheet]:
    """Each sheet, its rows to be read one by one; a CSV is one sheet."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        encoding, lines = _csv_encoding(source)
        yield Sheet(CSV, _csv_rows(source, encoding), [], lines, lambda: _csv_rows(source, encoding))
        return
    if suffix not in SPREADSHEETS:
        raise TableError(f"不支持的文件类型“{suffix or filename}”，请上传 .xlsx、.xls 或 .csv 文件")
    try:
        if suffix != ".xls":
            with _binary(source) as stream:
                check_zip(stream, zip_limit)
        from python_calamine import CalamineWorkbook  # imported when a file is read, not at start-up

        book = (CalamineWorkbook.from_path(str(source)) if isinstance(source, Path)
                else CalamineWorkbook.from_filelike(io.BytesIO(source) if isinstance(source, bytes) else source))
        names = list(book.sheet_names)
    except ZipBomb as exc:
        raise TableError(str(exc)) from None
    except Exception:  # calamine raises many kinds; all mean "not a readable workbook"
        raise TableError("无法读取文件：它不是有效的 Excel（.xlsx/.xls）或 CSV 表格") from None
    for name in names:
        try:
            sheet = book.get_sheet_by_name(name)
            merges = getattr(sheet, "merged_cell_ranges", None) or []
            total = sheet.end[0] + 1 if sheet.end else 0
        except Exception:  # a chart sheet or a damaged one: look at the next
            continue
        yield Sheet(name, _calamine_rows(sheet), merges, total,
                     lambda name=name: _calamine_rows(book.get_sheet_by_name(name)))


def _calamine_rows(sheet) -> Iterator[list]:
    """The sheet's rows as to_python(skip_empty_area=False) gives them, one at a time: calamine's row iterator
    starts at the first row but at the first used column, so the columns left of it are put back."""
    lead = [""] * sheet.start[1] if sheet.start else []
    if not lead:
        return iter(sheet.iter_rows())
    return ([*lead, *row] for row in sheet.iter_rows())


@contextmanager
def _binary(source: bytes | BinaryIO | Path) -> Iterator[BinaryIO]:
    """The source as a binary stream at its start (a file-like source is rewound, never closed)."""
    if isinstance(source, Path):
        with source.open("rb") as stream:
            yield stream
        return
    if isinstance(source, bytes):
        yield io.BytesIO(source)
        return
    source.seek(0)
    yield source
    source.seek(0)


def _csv_encoding(source: bytes | BinaryIO | Path) -> tuple[str, int]:
    """UTF-8 (with or without BOM) when the whole file decodes as it, else GB18030 (checked block by block, so a
    large file is never held whole), and the number of lines."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder, lines, last = codecs.getincrementaldecoder(encoding)(), 0, b"\n"
        try:
            with _binary(source) as stream:
                while block := stream.read(1 << 20):
                    decoder.decode(block)
                    lines, last = lines + block.count(b"\n"), block[-1:]
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding, lines + (last != b"\n")
    raise TableError("无法识别 CSV 文件的编码，请另存为 UTF-8 或 .xlsx")


def _csv_rows(source: bytes | BinaryIO | Path, encoding: str) -> Iterator[list]:
    with _binary(source) as stream:
        text = io.TextIOWrapper(stream, encoding=encoding, newline="")
        try:
            yield from csv.reader(text)
        except csv.Error as error:
            raise TableError(f"CSV 文件格式有误（{error}），请用 Excel 另存为 .xlsx 后再上传") from error
        finally:
            text.detach()  # the caller's stream stays open


def what_was_seen(seen: list) -> str:
    """工作表“Sheet1”的首行为“关于…的通知”, for the message when no header is found."""
    parts = []
    for sheet, row in seen[:3]:
        text = "、".join(as_text(v).strip() for v in row if not blank(v)) if row else ""
        text = text if len(text) <= 40 else text[:40] + "…"
        where = "CSV 文件" if sheet == CSV else f"工作表“{sheet}”"
        parts.append(where + (f"的首行为“{text}”" if text else "是空的"))
    return "；".join(parts) if parts else "文件中没有工作表"


def filled_length(body: list[list]) -> int:
    """The length of `body` without its blank rows at the end."""
    end = len(body)
    while end and all(blank(v) for v in body[end - 1]):
        end -= 1
    return end


def cell_text(value: object, column, squeezed: bool) -> str:
    text = as_text(value)
    if not squeezed:
        return text.strip()
    text = squeeze(text)
    return column.values.get(text, text)


def blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        isinstance(value, str) and value.strip() == "")


def as_text(value: object) -> str:
    """A cell as the text a person sees: 12 not 12.0, a date without midnight, 是/否 for a checkbox."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return value.isoformat() if not isinstance(value, dt.timedelta) else str(value)
    return str(value)
