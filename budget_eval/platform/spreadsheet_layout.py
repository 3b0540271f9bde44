"""A spreadsheet's content and layout, pure Python: tables and columns, widths (CJK characters count double),
wrapped lines and how values show. `budget_eval.platform.spreadsheets`, the one module that imports the
spreadsheet library, writes them.
"""
from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MONEY_UNIT = "（万元）"
MAX_WIDTH, MIN_WIDTH, SQUEEZE_TO = 50, 6, 18  # characters; longer text wraps; wide text columns narrow to 18
LANDSCAPE_FROM, LANDSCAPE_FITS = 95, 150  # total widths (characters) a portrait / landscape A4 page takes


@dataclass(frozen=True)
class Column:
    """One column: its header and what it holds (text, money, score, integer, or auto = as given)."""

    header: str
    kind: str = "auto"

    @property
    def title(self) -> str:
        """Money headers carry the full-width unit, as in the Word documents."""
        if self.kind != "money":
            return self.header
        bare = self.header.replace("(万元)", "").replace(MONEY_UNIT, "")
        return bare + MONEY_UNIT


@dataclass(frozen=True)
class Table:
    """A sheet's content. `sums` names the columns whose total row holds a SUM formula."""

    sheet: str
    columns: Sequence[Column]
    rows: Sequence[Sequence]
    title: str = ""
    total_label: str = ""
    total_note: str = ""  # shown in the second column of the total row, e.g. "3个项目"
    sums: Sequence[str] = ()
    # templates: allowed values per column header (a drop-down), columns that take a number ≥ 0, and how many
    # rows below the header these checks cover
    drop_downs: Mapping[str, Sequence[str]] = field(default_factory=dict)
    non_negative: Sequence[str] = ()
    input_rows: int = 0
    # large tables (batch screening): written row by row without per-cell styling; `preamble` holds the lines
    # above the header (a source file's own title rows)
    streamed: bool = False
    preamble: Sequence[str] = ()


def starts_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def display_width(text: str) -> int:
    """Characters as printed: CJK and full-width count double; the widest line of a multi-line text."""
    return max((sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
                for line in str(text).split("\n")), default=0)


def is_number(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        return not math.isnan(value) and not math.isinf(value)
    return isinstance(value, int | Decimal) and (not isinstance(value, Decimal) or value.is_finite())


def widths(table: Table) -> list[float]:
    widths = []
    for n, column in enumerate(table.columns):
        values = [row[n] for row in table.rows if n < len(row) and row[n] is not None]
        longest = max([0] + [display_width(shown(v, column.kind)) for v in values])
        longest = max(longest, _header_width(column.title))
        widths.append(max(MIN_WIDTH, min(MAX_WIDTH, longest + 2)))
    return _squeezed(widths, [c.kind in ("text", "auto") for c in table.columns])


def _header_width(title: str) -> int:
    """A header longer than its values wraps onto two lines, before a bracketed unit such as （万元） if any."""
    width = display_width(title)
    if width <= 8 or (title.endswith(MONEY_UNIT) and width <= 20):  # a money header reads best on one line
        return width + 1
    if "（" in title[1:]:
        head, _, unit = title.partition("（")
        return max(display_width(head), display_width("（" + unit)) + 1
    return math.ceil(width / 2) + 1


def _squeezed(widths: list[float], textual: list[bool]) -> list[float]:
    """Narrow the widest text columns (they wrap) until the table fits a landscape page, so it prints legibly."""
    widths = list(widths)
    while sum(widths) > LANDSCAPE_FITS:
        candidates = [n for n, w in enumerate(widths) if textual[n] and w > SQUEEZE_TO]
        if not candidates:
            break
        widest = max(candidates, key=lambda n: widths[n])
        widths[widest] -= 1
    return widths


def lines(value, width: float) -> int:
    """Lines a wrapped text takes in a column of this width."""
    text = str(value)
    if len(text) * 2 <= width - 1 and "\n" not in text:
        return 1
    per_line = max(width - 1, 1)  # generous: a clipped last line is worse than a little space
    return sum(max(1, math.ceil(display_width(line) / per_line)) for line in text.split("\n"))


def shown(value, kind: str) -> str:
    if is_number(value) and kind in ("money", "score"):
        return f"{value:,.2f}"
    return "" if isinstance(value, float) and math.isnan(value) else str(value)
