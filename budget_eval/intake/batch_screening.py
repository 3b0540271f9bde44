"""Batch screening of a budget-system export: read .xlsx/.csv, screen each row, write .xlsx."""
from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill

from budget_eval.platform.domain.ruleset import ScreeningRules
from budget_eval.platform.domain.zipcheck import check_zip, ZipBomb
from budget_eval.intake.domain.screening_rows import COL_BASIS, COL_RESULT, INPUT_HEADERS, screen_row


class BatchError(ValueError):
    """The file as a whole cannot be screened; the message is Chinese and fit for the user."""


def unzipped_limit() -> int:
    """The configured limit inside a request or command; a generous default outside one (benchmarks)."""
    from flask import current_app, has_app_context

    return current_app.config["UNZIPPED_MAX_BYTES"] if has_app_context() else 400 * 1024 * 1024


@dataclass
class BatchResult:
    table: pd.DataFrame
    counts: Counter

    @property
    def rows(self) -> int:
        return len(self.table)


def read_sheet(source: BinaryIO | Path, filename: str) -> pd.DataFrame:
    """Read the first sheet (or a CSV) with its first row as header, every cell as typed."""
    suffix = Path(filename).suffix.lower()
    data = source.read_bytes() if isinstance(source, Path) else source.read()
    try:
        if suffix == ".csv":
            table = read_csv_bytes(data)
        elif suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
            if suffix in (".xlsx", ".xlsm", ".ods"):
                check_zip(io.BytesIO(data), unzipped_limit())
            table = pd.read_excel(io.BytesIO(data), engine="calamine", sheet_name=0, dtype=object)
        else:
            raise BatchError(f"不支持的文件类型“{suffix or filename}”，请上传 .xlsx 或 .csv 文件")
    except BatchError:
        raise
    except ZipBomb as exc:
        raise BatchError(str(exc)) from None
    except Exception:  # calamine and the csv parser raise many kinds; all mean "not a readable sheet"
        raise BatchError("无法读取文件：它不是有效的 Excel（.xlsx）或 CSV 表格") from None
    table.columns = [str(c).strip() for c in table.columns]
    missing = [h for h in INPUT_HEADERS if h not in table.columns]
    if missing:
        raise BatchError(
            "第一行表头缺少：" + "、".join(missing) + "。表头应为：" + "、".join(INPUT_HEADERS)
        )
    return table


def read_csv_bytes(data: bytes, dtype=object) -> pd.DataFrame:
    """A CSV in UTF-8 or GBK (exports from Chinese systems are often GBK), every cell as typed text."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return pd.read_csv(io.StringIO(text), dtype=dtype, keep_default_na=False)
    raise BatchError("无法识别 CSV 文件的编码，请另存为 UTF-8 或 .xlsx")


def screen_table(table: pd.DataFrame, rules: ScreeningRules) -> BatchResult:
    """Add the result and basis columns; keep every input column and row in order."""
    records = table[list(INPUT_HEADERS)].to_dict("records")
    results = [screen_row(record, rules) for record in records]
    out = table.copy()
    out[COL_RESULT] = [r[0] for r in results]
    out[COL_BASIS] = [r[1] for r in results]
    return BatchResult(out, Counter(r[0] for r in results))


def write_xlsx(result: BatchResult, target: BinaryIO | Path) -> None:
    """Write the screened table as .xlsx with a readable header and column widths."""
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        result.table.to_excel(writer, index=False, sheet_name="筛查结果")
        sheet = writer.sheets["筛查结果"]
        header_fill = PatternFill("solid", fgColor="DDE7F3")
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = header_fill
            cell.alignment = Alignment(horizontal="center", vertical="center")
        for column in sheet.columns:
            title = str(column[0].value or "")
            width = 60 if title == COL_BASIS else max(10, min(40, len(title) * 2 + 4))
            sheet.column_dimensions[column[0].column_letter].width = width
        sheet.freeze_panes = "A2"


def screen_file(source: BinaryIO | Path, filename: str, rules: ScreeningRules, target: BinaryIO | Path) -> BatchResult:
    """Read, screen and write in one step (used by the CLI and the upload page)."""
    result = screen_table(read_sheet(source, filename), rules)
    write_xlsx(result, target)
    return result
