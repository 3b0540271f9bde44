"""Import social-evaluation survey responses (.xlsx/.csv): validate every row, keep the good, report the bad."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
from sqlalchemy import select

from budget_eval.evaluation import versions
from budget_eval.evaluation.hotwords import SURVEY_COUNTS
from budget_eval.platform.derived import invalidate
from budget_eval.evaluation.domain.scheme import SurveyRules
from budget_eval.platform import spreadsheets
from budget_eval.platform.extensions import db
from budget_eval.platform.models.department import Department
from budget_eval.evaluation.models import EvaluationYear, SurveyResponse
from budget_eval.platform.audit import audit
from budget_eval.platform import tables
from budget_eval.platform.imports import read_import, set_aside_note, stream_import
from budget_eval.platform.tables import TableStream
from budget_eval.platform.rules import report_settings

from budget_eval.evaluation.survey_check import (  # noqa: F401 (the columns: this module's API)
    COL_ANSWER, COL_COMMENT, COL_DEPT, COL_GROUP, COL_ID, COL_REASON, COL_ROW, REQUIRED, SurveyCheck,
)


@dataclass
class ImportResult:
    imported: int
    rejected: pd.DataFrame  # the bad rows as read, with their source row number and a 原因 column
    skipped: dict[int, str] = field(default_factory=dict)  # source row → 合计行 / 空行 / 说明行
    read: int = 0  # the data rows read (not counting those set aside)

    @property
    def rejected_count(self) -> int:
        return len(self.rejected)


def read_table_of(kind: str, source: BinaryIO | Path, filename: str) -> pd.DataFrame:
    """Read an import of `kind` (a table in rules/tables.yaml) with the tolerant reader.

    The frame holds the canonical columns, indexed by source row number; the rows set aside (合计, blank,
    notes) are in frame.attrs["skipped"].
    """
    table = read_import(kind, source, filename)
    frame = table.frame
    frame.attrs["skipped"] = table.skipped
    return frame


def read_any(path: Path) -> pd.DataFrame:
    """Comments gathered elsewhere (意见建议, optionally 被评单位), e.g. from the 12345 hotline."""
    return read_table_of("comments", path, path.name)


def read_responses(source: BinaryIO | Path, filename: str) -> pd.DataFrame:
    """Survey responses wherever the header is, every cell as text (see read_table_of), all at once."""
    return read_table_of("survey", source, filename)


def stream_responses(source: BinaryIO | Path, filename: str, chunk_rows: int = tables.CHUNK_ROWS) -> TableStream:
    """Survey responses as they stream (for import_responses: the file is never held whole)."""
    return stream_import("survey", source, filename, chunk_rows)


def with_row_numbers(rejected: pd.DataFrame) -> pd.DataFrame:
    """The rejected rows with their row number in the uploaded file first."""
    out = rejected.copy()
    out.insert(0, COL_ROW, out.index)
    return out.reset_index(drop=True)


def department_lookup(departments: list[tuple[int, str]], city: str | None = None) -> dict[str, int]:
    """Names to ids; a department may be written without the city's name (rules/reports.yaml city_name):
    杭州市交通运输局 = 市交通运输局 = 交通运输局."""
    city = report_settings().city_name if city is None else city
    lookup = {}
    for id_, name in departments:
        lookup[name] = id_
        if city and name.startswith(city):
            short = name[len(city):]
            lookup.setdefault(short, id_)
            lookup.setdefault(short.removeprefix("市"), id_)
    return lookup


def validate(table: pd.DataFrame, lookup: dict[str, int], rules: SurveyRules,
             existing: set[tuple[str, int]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split rows into good (with department ids) and bad (with reasons), vectorised for large files."""
    check = SurveyCheck(lookup, rules, existing)
    good, bad, reasons = check.chunk(table)
    rejected = with_row_numbers(table[bad])
    rejected[COL_REASON] = reasons
    return good, rejected


def import_responses(year: EvaluationYear, table: pd.DataFrame | TableStream, rules: SurveyRules, actor,
                     progress: Progress | None = None, filename: str = "", via: str = "",
                     hot_words: bool = True) -> ImportResult:
    """Check and store the rows chunk by chunk in one transaction (all or nothing), with an audit line naming the
    actor, the file and the counts (commits); the bad rows come back with reasons. `table` is a whole frame
    (read_responses) or a streamed table (stream_responses: memory bounded whatever the file's size).
    `progress(done, total, message)` hears after each chunk how many rows were read, stored and rejected; `via`
    says how it ran (e.g. 后台任务#12); `hot_words=False` leaves the year's hot-word job unqueued (a benchmark
    times the words apart)."""
    departments = db.session.execute(
        select(Department.id, Department.name).where(Department.id.in_([u.department_id for u in year.units]))
    ).all()
    existing = db.session.execute(
        select(SurveyResponse.respondent, SurveyResponse.department_id).where(SurveyResponse.year_id == year.id)
        .execution_options(yield_per=CHUNK_ROWS)
    )
    check = SurveyCheck(department_lookup(departments), rules, ((r, d) for r, d in existing))
    existing.close()
    if isinstance(table, TableStream):
        chunks: Iterable[tuple[pd.DataFrame, dict[int, str]]] = ((c.frame, c.skipped) for c in table.chunks)
        total = table.total
    else:
        whole = table
        chunks = [(whole.iloc[i:i + CHUNK_ROWS], {}) for i in range(0, max(len(whole), 1), CHUNK_ROWS)]
        chunks[0] = (chunks[0][0], dict(whole.attrs.get("skipped", {})))
        total = len(whole) + len(chunks[0][1])
    read = imported = done = 0
    skipped: dict[int, str] = {}
    rejected_rows: list[tuple] = []
    columns: list[str] = []
    with _writer() as write:
        for frame, chunk_skipped in chunks:
            good, bad, reasons = check.chunk(frame)
            columns = list(frame.columns)
            if bad.any():
                rows = frame[bad]
                rejected_rows.extend(zip(rows.index, *(rows[c] for c in columns), reasons, strict=True))
            if len(good):
                if progress is not None:  # before the rows: on SQLite the first tick is the last one seen until
                    # the commit (later ones wait for the write lock), and it tells the job's page the writing began
                    progress(done + len(frame), max(total or 0, done + len(frame)),
                             f"已读取 {read + len(frame)} 行，正在写入第 {imported + 1}–{imported + len(good)} 行")
                write(good.assign(year_id=year.id, department_id=good["department_id"].astype(int)))
            read, imported, done = read + len(frame), imported + len(good), done + len(frame) + len(chunk_skipped)
            skipped.update(chunk_skipped)
            if progress is not None:
                progress(done, max(total or 0, done), f"已读取 {read} 行：写入 {imported} 行，拒收 {len(rejected_rows)} 行")
    rejected = pd.DataFrame.from_records(rejected_rows, columns=[COL_ROW, *columns, COL_REASON])
    result = ImportResult(imported, rejected, skipped, read)
    audit("import", f"{year.year}年度考评",
          f"导入问卷{'“' + filename + '”' if filename else ''}{'（' + via + '）' if via else ''}：共 {read} 行，"
          f"导入 {result.imported} 行，拒收 {result.rejected_count} 行{set_aside_note(result.skipped)}", actor)
    invalidate(SURVEY_COUNTS, f"year:{year.id}")  # the year's survey counts are computed again
    versions.bump(year.id)  # its stored hot words are keyed by the versions: none matches any more (last, just
    # before the commit: the year's row is locked only for a moment)
    db.session.commit()
    from budget_eval.evaluation import hotword_job  # (it reads the stored comments this module writes)

    if hot_words:  # (a benchmark times them apart)
        hotword_job.changed(year, actor)  # 十大热词 computed again: a job in the importer's name
    return result


COLUMNS = ["year_id", "respondent", "group", "department_id", "answer", "comment"]
_NAMES = ", ".join(f'"{c}"' for c in COLUMNS)
COPY = f"COPY survey_response ({_NAMES}) FROM STDIN WITH (FORMAT csv)"
CHUNK_ROWS = tables.CHUNK_ROWS  # rows checked and written between two progress reports
Progress = Callable[[int, int, str], None]


@contextmanager
def _writer() -> Iterator[Callable[[pd.DataFrame], None]]:
    """What writes an import's chunks of good rows: on PostgreSQL one COPY for the whole import, so the server
    stores a chunk while the next one is read and checked; on SQLite the driver's executemany per chunk."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        yield lambda rows: _bulk_insert(rows)
        return
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(COPY) as copy, _Sender(copy) as sender:
        yield lambda rows: _bulk_insert(rows, sender)


class _Sender:
    """Hands each chunk's COPY data to one thread that sends it, so reading and checking the next chunk goes on
    while the server takes this one; at most one chunk in flight (the next waits for it)."""

    def __init__(self, copy):
        self.copy, self.pool, self.pending = copy, ThreadPoolExecutor(max_workers=1), None

    def write(self, data: str) -> None:
        if self.pending is not None:
            self.pending.result()  # raises what the send raised
        self.pending = self.pool.submit(self.copy.write, data)

    def __enter__(self) -> _Sender:
        return self

    def __exit__(self, kind, error, trace) -> None:
        self.pool.shutdown(wait=True)
        if error is None and self.pending is not None:
            self.pending.result()


def _bulk_insert(rows: pd.DataFrame, copy=None) -> None:
    """COPY on PostgreSQL (fastest for hundreds of thousands of rows; into `copy` when one is open, anything with
    its write()); the driver's executemany on SQLite."""
    connection = db.session.connection()
    names = ", ".join(f'"{c}"' for c in COLUMNS)
    if connection.dialect.name == "postgresql":
        rows = rows[COLUMNS].astype(object)
        rows = rows.where(rows.notna(), None)  # empty comments are NULL, never the text "nan"
        # pandas writes the CSV in C; an unquoted empty field is NULL in COPY's CSV format
        data = rows.to_csv(index=False, header=False)
        if copy is not None:
            copy.write(data)
            return
        with connection.connection.driver_connection.cursor().copy(COPY) as own:
            own.write(data)
        return
    # the driver's own executemany over plain Python values: the ORM's per-row bookkeeping (or pandas' per-row
    # tuples) costs more than the insert itself
    columns = []
    for name in COLUMNS:
        values = np.array(rows[name], dtype=object)  # a copy of its own (pandas hands out read-only views)
        values[pd.isna(values)] = None  # empty comments are NULL, never the text "nan"
        columns.append(values.tolist())
    marks = ", ".join("?" for _ in COLUMNS)
    cursor = connection.connection.driver_connection.cursor()
    cursor.executemany(f"INSERT INTO survey_response ({names}) VALUES ({marks})", zip(*columns, strict=True))


def write_rejected(rejected: pd.DataFrame, target: Path) -> None:
    """The rejected rows with the source file's row number and the reason, as CSV or .xlsx (the safe writer)."""
    table = spreadsheets.frame_table(rejected, "拒收行", row_numbers=spreadsheets.ROW_NUMBER not in rejected.columns)
    target.write_bytes(spreadsheets.table_csv(table) if target.suffix == ".csv" else spreadsheets.xlsx(table))
