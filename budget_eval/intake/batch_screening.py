"""Batch screening of a budget-system export: read .xlsx/.csv, screen each row, write .xlsx."""
from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from budget_eval.platform import spreadsheets
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
        table = pd.read_csv(io.StringIO(text), dtype=dtype, keep_default_na=False, skip_blank_lines=False)
        # blank lines go, but the index keeps counting them: row i is line i + 2 of the file (rejected-row files)
        return table.drop(index=_blank_rows(table))
    raise BatchError("无法识别 CSV 文件的编码，请另存为 UTF-8 或 .xlsx")


def _blank_rows(table: pd.DataFrame) -> pd.Index:
    """Rows with nothing in any cell, column by column over the remaining candidates (cheap for big files)."""
    candidates = table.index
    for n in range(len(table.columns)):
        column = table.iloc[:, n].loc[candidates]
        empty = column.isna().to_numpy() | column.astype(str).str.strip().eq("").to_numpy()
        candidates = candidates[empty]
        if candidates.empty:
            break
    return candidates


def screen_table(table: pd.DataFrame, rules: ScreeningRules) -> BatchResult:
    """Add the result and basis columns; keep every input column and row in order."""
    records = table[list(INPUT_HEADERS)].to_dict("records")
    results = [screen_row(record, rules) for record in records]
    out = table.copy()
    out[COL_RESULT] = [r[0] for r in results]
    out[COL_BASIS] = [r[1] for r in results]
    return BatchResult(out, Counter(r[0] for r in results))


def write_xlsx(result: BatchResult, target: BinaryIO | Path) -> None:
    """Write the screened table as .xlsx (through the one safe writer: the file's text stays text)."""
    data = spreadsheets.xlsx(spreadsheets.frame_table(result.table, "筛查结果",
                                                      kinds={COL_RESULT: "text", COL_BASIS: "text"}))
    if isinstance(target, Path):
        target.write_bytes(data)
    else:
        target.write(data)


def screen_file(source: BinaryIO | Path, filename: str, rules: ScreeningRules, target: BinaryIO | Path) -> BatchResult:
    """Read, screen and write in one step (used by the CLI and the upload page)."""
    result = screen_table(read_sheet(source, filename), rules)
    write_xlsx(result, target)
    return result
