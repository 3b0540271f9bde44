"""One tolerant reader for every imported table: batch screening, survey, leader scores (issue 13).

Reads .xlsx/.xlsm/.ods/.xls (python-calamine, formula cells by their cached values) and .csv (UTF-8 with or
without BOM, GB18030); picks the sheet holding the expected columns; finds the header in the first rows
(title, unit and note rows above it are kept as the title), one row or two with merged cells; maps header
synonyms from rules/tables.yaml to the canonical columns; reads amount units from the header or a unit
row; sets 合计/小计/总计, blank and note rows aside and reports them.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TYPE_CHECKING

from budget_eval.platform.domain.table_spec import squeeze, TableRules, TableSpec, unit_in_text
if TYPE_CHECKING:  # pandas and numpy load when a table is read, not when the app starts (issue 22)
    import numpy as np
    import pandas as pd

from budget_eval.platform.table_sources import (  # noqa: F401 (CSV, SPREADSHEETS, TableError: this module's API)
    as_text as _as_text, blank as _blank, cell_text as _cell_text, CSV, filled_length as _filled_length, Sheet,
    sheets, SPREADSHEETS, TableError, what_was_seen as _what_was_seen,
)

SUMMARY, BLANK, NOTE, EXAMPLE = "合计行", "空行", "说明行", "模板示例行"
EXAMPLE_MARK = "示例："  # the first cell of a template's example row starts with it (“示例：HZ000001”)
_MARK = squeeze(EXAMPLE_MARK)
CHUNK_ROWS = 50_000  # source rows per chunk of a streamed table


@dataclass(frozen=True)
class UnitRead:
    unit: str  # 元 / 万元 / 亿元
    source: str  # where it was read, in words: 表头“申请财政资金(元)”, 单位行“单位：元”, 未注明


@dataclass
class Table:
    frame: pd.DataFrame  # the canonical columns of the data rows; index = source row numbers (1-based)
    cells: pd.DataFrame  # every row below the header as read, all columns; index = source row numbers
    headers: list[str]  # the header text of each source column (a two-row header joined)
    header_rows: tuple[int, int]  # first and last header row (1-based)
    title: list[str]  # the rows above the header (title, unit row, notes), as text
    units: dict[str, UnitRead] = field(default_factory=dict)
    skipped: dict[int, str] = field(default_factory=dict)  # source row → 合计行 / 空行 / 说明行 / 模板示例行
    sheet: str = ""

    def skipped_count(self, kind: str) -> int:
        return sum(1 for k in self.skipped.values() if k == kind)


@dataclass
class TableStream:
    """A table read as it streams (issue 22): its header, found in the first rows as read_table finds it, then
    its body as Tables of about CHUNK_ROWS source rows each (frame, cells and the rows set aside of those rows,
    index = source row numbers), so a large import never holds the file's rows at once. .xlsx/.xls/.ods rows
    come from calamine's row iterator (calamine itself reads the sheet whole first), CSV lines one by one."""
    headers: list[str]
    header_rows: tuple[int, int]
    title: list[str]
    units: dict[str, UnitRead]
    sheet: str
    total: int | None  # the source rows below the header (a CSV's lines), known before reading them; for progress
    chunks: Iterator[Table]

    def whole(self) -> Table:
        """The chunks in one Table (what read_table gives)."""
        import pandas as pd
        parts = list(self.chunks)
        if len(parts) == 1:
            return parts[0]
        skipped: dict[int, str] = {}
        for part in parts:
            skipped.update(part.skipped)
        # a chunk of rows set aside only has an empty frame, typed apart from the others: left out of the frame
        frames = [p.frame for p in parts if not p.frame.empty] or [parts[0].frame]
        return Table(pd.concat(frames), pd.concat([p.cells for p in parts]), self.headers, self.header_rows,
                     self.title, self.units, skipped, self.sheet)


@dataclass
class _Header:
    score: tuple[int, int]
    start: int
    end: int
    headers: list[str]
    mapping: dict[str, int]  # canonical name → source column
    units: dict[str, str]  # canonical amount column → unit stated in its header


def read_table(data: bytes, filename: str, spec: TableSpec, rules: TableRules, zip_limit: int) -> Table:
    """Read the sheet of `data` that holds `spec`'s columns; TableError when none does (the streamed table in one)."""
    return stream_table(data, filename, spec, rules, zip_limit).whole()


def stream_table(source: bytes | BinaryIO | Path, filename: str, spec: TableSpec, rules: TableRules, zip_limit: int,
                 chunk_rows: int = CHUNK_ROWS) -> TableStream:
    """The header of the sheet that holds `spec`'s columns, found in its first rows as read_table finds it, and its
    body to come as Tables of `chunk_rows` source rows (see TableStream); TableError when no sheet holds them."""
    best: tuple[_Header, Sheet] | None = None
    seen = []
    for sheet in sheets(source, filename, zip_limit):
        if best is not None:
            best[1].release()  # its first rows are kept; the rest is read again if it is the one
        sheet.head = list(itertools.islice(sheet.rows, rules.scan_rows + 1))
        first = next((r for r in sheet.head if not all(_blank(v) for v in r)), None)
        header = _find_header(sheet.head, sheet.merges, spec, rules.scan_rows)
        if first is None:  # nothing in the first rows, so no header either: only the message wants the first row
            first = next((r for r in sheet.rows if not all(_blank(v) for v in r)), None)
        seen.append((sheet.name, first))
        if header and (best is None or header.score > best[0].score):
            best = (header, sheet)
        if header and header.score[0] == len(spec.required):
            break
    if best is None:
        raise TableError(f"未找到可识别的表头：{_what_was_seen(seen)}，前{rules.scan_rows}行中没有{spec.label}的任何列名；"
                         f"应包含：{'、'.join(spec.names)}（可下载模板对照）")
    header, sheet = best
    missing = [name for name in spec.required if name not in header.mapping]
    if missing:
        found = "、".join(h for h in header.headers if h) or "（空）"
        raise TableError(f"表头缺少：{'、'.join(missing)}。在工作表“{sheet.name}”第{header.start + 1}行读到的表头为："
                         f"{found}；应包含：{'、'.join(spec.names)}（可下载模板对照）")
    title = [" ".join(_as_text(v).strip() for v in row if not _blank(v)) for row in sheet.head[: header.start]]
    title = [line for line in title if line]
    if sheet.released:
        rows: Iterator[list] = itertools.islice(sheet.reopen(), header.end + 1, None)
    else:
        rows = itertools.chain(sheet.head[header.end + 1:], sheet.rows)
    total = None if sheet.total is None else max(sheet.total - header.end - 1, 0)
    stream = TableStream(header.headers, (header.start + 1, header.end + 1), title, _units(spec, header, title),
                         sheet.name, total, iter(()))
    stream.chunks = _chunks(rows, header, spec, rules, stream, chunk_rows)
    return stream


def _find_header(rows: list[list], merges, spec: TableSpec, scan: int) -> _Header | None:
    """The row (or pair of rows) in the first `scan` whose cells name the most expected columns."""
    top = [[_as_text(v).strip() for v in row] for row in rows[: scan + 1]]
    for (r0, c0), (r1, c1) in merges:  # a merged cell's text belongs to every cell it covers
        if r0 < len(top):
            for r in range(r0, min(r1, len(top) - 1) + 1):
                top[r].extend([""] * (c1 + 1 - len(top[r])))
                top[r][c0 : c1 + 1] = [top[r0][c0]] * (c1 + 1 - c0)
    spanning = {r0 for (r0, _), (r1, _) in merges if r1 > r0}  # rows whose cells merge into the row below
    best = None
    for i in range(min(scan, len(top))):
        option = _map(spec, [[h] for h in top[i]], i, i)
        if i in spanning and i + 1 < len(top):  # a two-row header: a parent row over sub-headers
            parent, child = top[i], top[i + 1]
            width = max(len(parent), len(child))
            parent, child = parent + [""] * (width - len(parent)), child + [""] * (width - len(child))
            combined = [[c, p + c if p != c else c, p] for p, c in zip(parent, child, strict=True)]
            double = _map(spec, combined, i, i + 1)
            option = double if double.score >= option.score else option
        if option.score[1] and (best is None or option.score > best.score):
            best = option
    return best


def _map(spec: TableSpec, candidates: list[list[str]], start: int, end: int) -> _Header:
    """Map each source column to the first expected column one of its candidate texts names."""
    mapping, units, headers = {}, {}, []
    for j, texts in enumerate(candidates):
        chosen = next((t for t in texts if t), "")
        for text in texts:
            column, unit = spec.match(text)
            if column is not None and column.name not in mapping:  # the leftmost column of a name wins
                chosen, mapping[column.name] = text, j
                if unit:
                    units[column.name] = unit
                break
        headers.append(chosen)
    required = sum(1 for name in spec.required if name in mapping)
    return _Header((required, len(mapping)), start, end, headers, mapping, units)


def _chunks(rows: Iterator[list], header: _Header, spec: TableSpec, rules: TableRules, stream: TableStream,
            chunk_rows: int) -> Iterator[Table]:
    """The body below the header in Tables of about `chunk_rows` rows; blank rows at the end of the sheet are no
    rows at all (as a person sees the sheet), so blank rows wait until a filled one follows them."""
    first, body, done = header.end + 2, [], False  # the 1-based row number of body[0]
    blank = 0  # the chunk is full but all blank so far: how many rows (each new one alone is looked at)
    for row in rows:
        body.append(row)
        if len(body) < chunk_rows:
            continue
        if blank and all(_blank(v) for v in row):
            blank += 1
            continue
        cut = len(body) if blank else _filled_length(body)
        if cut:
            yield _build(body[:cut], first, header, spec, rules, stream)
            first, body, done, blank = first + cut, body[cut:], True, 0
        else:
            blank = len(body)
    cut = _filled_length(body)
    if cut or not done:
        yield _build(body[:cut], first, header, spec, rules, stream)


def _build(body: list[list], first: int, header: _Header, spec: TableSpec, rules: TableRules,
           stream: TableStream) -> Table:
    """The Table of the source rows `body`, the first of them row `first` (1-based)."""
    import pandas as pd
    width = max(map(len, body), default=0)
    if any(len(r) != width for r in body):  # a CSV's short lines
        body = [r if len(r) == width else [*r, *[""] * (width - len(r))] for r in body]
    cells = pd.DataFrame(body, dtype=object, index=range(first, first + len(body)))
    cells = cells.reindex(columns=range(max(len(header.headers), cells.shape[1])))
    each = _Factors(cells)
    skipped = _set_aside(cells, header, rules, each)
    skipped.update(_examples(cells, header, spec, skipped, each))
    keep = ~cells.index.isin(list(skipped))
    frame = pd.DataFrame(index=cells.index[keep])
    for column in spec.columns:
        j = header.mapping.get(column.name)
        if j is None:
            frame[column.name] = ""
        elif column.kind == "amount":
            frame[column.name] = cells[j][keep]
        else:
            squeezed = column.kind != "text"
            frame[column.name] = each(j, lambda v, c=column, s=squeezed: _cell_text(v, c, s))[keep]
    return Table(frame, cells, stream.headers, stream.header_rows, stream.title, stream.units, skipped, stream.sheet)


def _set_aside(cells: pd.DataFrame, header: _Header, rules: TableRules, each: _Factors) -> dict[int, str]:
    """Blank, 合计/小计/总计 and note rows: never data, reported by row number."""
    import numpy as np
    if cells.empty:
        return {}
    blank = np.column_stack([each(j, _blank) for j in cells.columns]).astype(bool)
    filled = (~blank).sum(axis=1)
    tails = {label[-1] for label in rules.summary_labels}  # a cheap first look: 合计 → 计
    first_named = next(iter(header.mapping.values()), 0)  # the project / respondent / unit column
    summary = np.zeros(len(cells), dtype=bool)
    for j in sorted({*list(cells.columns)[:3], first_named}):
        summary |= each(j, lambda v: isinstance(v, str) and any(t in v for t in tails)
                               and rules.is_summary(squeeze(v))).astype(bool)
    skipped = {}
    for position in np.nonzero((filled <= 1) | summary)[0]:
        row = cells.index[position]
        if filled[position] == 0:
            skipped[row] = BLANK
        elif summary[position]:
            skipped[row] = SUMMARY
        elif filled[position] == 1:
            text = squeeze(next(v for v in cells.iloc[position] if not _blank(v)))
            if rules.is_note(text):
                skipped[row] = NOTE
    return skipped


def _examples(cells: pd.DataFrame, header: _Header, spec: TableSpec, skipped: dict[int, str],
              each: _Factors) -> dict[int, str]:
    """The template's example row, left in an upload: its first cell carries EXAMPLE_MARK (“示例：HZ000001”), so it
    is sample data, never imported, reported as 模板示例行."""
    j = header.mapping.get(spec.columns[0].name) if spec.columns else None
    if cells.empty or j is None:
        return {}
    marked = each(j, lambda v: squeeze(_as_text(v)).startswith(_MARK)).astype(bool)
    return {row: EXAMPLE for row in cells.index[marked] if row not in skipped}


def _units(spec: TableSpec, header: _Header, title: list[str]) -> dict[str, UnitRead]:
    stated = next(((unit, line) for line in title if (unit := unit_in_text(line))), None)
    units = {}
    for column in spec.columns:
        if column.kind != "amount":
            continue
        if column.name in header.units:
            text = header.headers[header.mapping[column.name]]
            units[column.name] = UnitRead(header.units[column.name], f"表头“{text}”")
        elif stated:
            units[column.name] = UnitRead(stated[0], f"单位行“{stated[1]}”")
        else:
            units[column.name] = UnitRead(column.unit or "万元", f"未注明单位，按{column.unit or '万元'}读取")
    return units


class _Factors:
    """convert() of a column of `cells` applied once per distinct value (large imports repeat a few values many
    times), each column factorized once for every look at it (blank, 合计, example, its text)."""

    def __init__(self, cells: pd.DataFrame):
        self.cells, self.factors = cells, {}

    def __call__(self, j, convert) -> np.ndarray:
        import numpy as np
        import pandas as pd
        if j not in self.factors:
            self.factors[j] = pd.factorize(self.cells[j], use_na_sentinel=True)
        codes, uniques = self.factors[j]
        converted = np.empty(len(uniques) + 1, dtype=object)
        converted[:-1] = [convert(v) for v in uniques]
        converted[-1] = convert(None)
        return converted[codes]
