"""Hot words to .xlsx: every user text is written as a text cell, never a formula."""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from budget_eval.evaluation.domain.hotword_ranking import Analysis, HotWord, Ranking

HEADERS = ["范围", "类别", "排名", "热词", "意见数（合并后）", "原始条数", "提出人数", "占评价人数比例", "涉及单位",
           "评价层面", "代表性意见", "问题清单"]


def put(sheet, row: list) -> None:
    """Append a row; strings stay strings (a comment starting with = is text, not a formula)."""
    sheet.append([None] * len(row))
    for cell, value in zip(sheet[sheet.max_row], row, strict=True):
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"


def rows_of(scope: str, ranking: Ranking):
    for kind, words in (("意见", ranking.criticism), ("表扬", ranking.praise)):
        for w in words:
            yield [scope, kind, w.rank_label, w.word, w.count, w.raw, w.raters, f"{w.share:.2%}",
                   "、".join(f"{u}（{n}）" for u, n in w.units), "、".join(f"{g}（{n}）" for g, n in w.groups),
                   "\n".join(w.examples), "\n".join(f"{i.label}（{i.count}）" for i in w.issues)]


def analysis_xlsx(analysis: Analysis) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "十大热词"
    put(sheet, HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows_of("全市", analysis.city):
        put(sheet, row)
    for unit, ranking in analysis.units.items():
        for row in rows_of(unit, ranking):
            put(sheet, row)
    for column, width in zip("ABCDEFGHIJKL", (18, 6, 8, 12, 10, 8, 8, 10, 30, 24, 60, 40), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "E2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def comments_xlsx(word: HotWord | None, texts: list[tuple[int, str, str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "意见"
    put(sheet, ["序号", "单位", "意见建议"])
    for n, (_, unit, text) in enumerate(texts, 1):
        put(sheet, [n, unit, text])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
