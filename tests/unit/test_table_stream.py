"""The tolerant reader as it streams (issue 22): the header found as a whole read finds it, the body in chunks
whose rows, row numbers and rows set aside are those of the whole read, whatever the chunk size."""
import io

import pandas as pd
import pytest
from openpyxl import Workbook

from budget_eval.platform.rules import table_rules
from budget_eval.platform.tables import BLANK, SUMMARY, read_table, stream_table
from tests.shapes import csv_bytes

HEAD = ["受访者编号", "受访者类别", "被评单位", "评价", "意见建议"]
ROWS = [["2026年度社会评价问卷"], ["说明：每位受访者评价全部单位"], HEAD,
        *[[f"R{i}", "市民代表", "杭州市教育局", "满意", f"意见{i}" if i % 3 else None] for i in range(1, 6)],
        [None] * 5, [None] * 5,  # blank rows inside the body: set aside, reported
        *[[f"R{i}", "党代表", "杭州市民政局", "不满意", ""] for i in range(6, 10)],
        ["合计", None, None, None, None],
        [None] * 5, [None] * 5, [None] * 5]  # blank rows at the end: no rows at all


def workbook(rows, column: int = 0) -> bytes:
    """The rows in a sheet, starting `column` columns to the right (calamine's row iterator starts at the first
    used column)."""
    book = Workbook()
    sheet = book.active
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row, start=1 + column):
            if value is not None:
                sheet.cell(i, j, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("name, data", [
    ("s.xlsx", workbook(ROWS)),
    ("s.xlsx", workbook(ROWS, column=2)),
    ("s.csv", csv_bytes(ROWS, "gb18030")),
    ("s.csv", csv_bytes(ROWS, "utf-8-sig")),
])
@pytest.mark.parametrize("chunk_rows", [1, 2, 3, 7, 50_000])
def test_chunks_are_the_whole_read_in_pieces(name, data, chunk_rows):
    rules = table_rules()
    spec = rules.tables["survey"]
    whole = read_table(data, name, spec, rules, 10**8)
    stream = stream_table(io.BytesIO(data), name, spec, rules, 10**8, chunk_rows)
    assert (stream.headers, stream.header_rows, stream.title) == (whole.headers, whole.header_rows, whole.title)
    assert stream.header_rows == (3, 3) and stream.title == ["2026年度社会评价问卷", "说明：每位受访者评价全部单位"]
    chunks = list(stream.chunks)
    assert all(len(c.frame) + len(c.skipped) <= max(chunk_rows, 3) for c in chunks)  # a blank run may join one
    frame = pd.concat([c.frame for c in chunks if not c.frame.empty])
    pd.testing.assert_frame_equal(frame, whole.frame)
    assert list(frame.index) == [4, 5, 6, 7, 8, 11, 12, 13, 14]  # the rows' numbers in the file
    assert list(frame["受访者编号"]) == [f"R{i}" for i in range(1, 10)]
    skipped = {k: v for c in chunks for k, v in c.skipped.items()}
    assert skipped == whole.skipped == {9: BLANK, 10: BLANK, 15: SUMMARY}
    assert stream.total is not None and stream.total >= 12  # rows below the header, known before reading them
    again = stream_table(io.BytesIO(data), name, spec, rules, 10**8, chunk_rows).whole()  # read_table's way
    pd.testing.assert_frame_equal(again.frame, whole.frame)
    assert again.skipped == whole.skipped and list(again.cells.index) == list(whole.cells.index) == list(range(4, 16))


def test_a_long_run_of_blank_rows_waits_for_the_next_filled_row():
    rules = table_rules()
    rows = [HEAD, ["R1", "市民代表", "杭州市教育局", "满意", None], *[[None] * 5] * 30,
            ["R2", "市民代表", "杭州市教育局", "满意", None], *[[None] * 5] * 30]
    chunks = list(stream_table(workbook(rows), "s.xlsx", rules.tables["survey"], rules, 10**8, 4).chunks)
    assert [list(c.frame.index) for c in chunks] == [[2], [33]]  # the blank rows between: set aside, reported
    assert sum(len(c.skipped) for c in chunks) == 30 and max(c.cells.index.max() for c in chunks) == 33


def test_a_file_with_no_rows_below_its_header_gives_one_empty_chunk():
    rules = table_rules()
    stream = stream_table(workbook([HEAD]), "s.xlsx", rules.tables["survey"], rules, 10**8, 2)
    chunks = list(stream.chunks)
    assert len(chunks) == 1 and chunks[0].frame.empty and list(chunks[0].frame.columns) == HEAD
