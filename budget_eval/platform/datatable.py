"""Every list's sorting, filtering, paging and export: one mechanism (templates/macros.html `sort_head`,
`table_tools`, `pager`).

A list page declares its columns once (`Col`: the key its URL uses, the header with the unit, the SQL expression it
sorts by — the whitelist: any other `?sort=` is ignored — and the value its export writes). The view hands its
filtered `select` (or, for a list computed in Python, its rows) to `from_select` / `from_rows` and gets the page to
show; `?export=xlsx` on the same address makes `export_select` / `export_rows` write every row of the same filter and
sort (all pages) through the one safe spreadsheet writer. The order is stable: the sort column, then the
declared tie-breaker (the primary key). `?q=` searches the declared text columns.
"""
from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, request
from sqlalchemy import or_, Select

from budget_eval.platform import spreadsheets
from budget_eval.platform.downloads import send_download
from budget_eval.platform.extensions import db
from budget_eval.platform.paging import Page, paged
from budget_eval.platform.request_input import page_number

EXPORT_LIMIT = 100_000
NUMERIC = ("money", "integer", "score")


@dataclass(frozen=True)
class Col:
    """One column of a list: `key` in the URL (?sort=key, ?sort=-key), `header` as printed (the spreadsheet adds
    “（万元）” to a money column; the page shows `title`), `sort` the SQL expression it sorts by (None: not
    sortable), `value(row)` what the export writes (and a Python list sorts and searches by)."""

    key: str
    header: str
    value: Callable[[Any], Any]
    sort: Any = None
    kind: str = "text"  # text, money, integer, score, date
    sortable: bool = True  # for lists from rows (Spec.rows): sort by value

    @property
    def title(self) -> str:
        return spreadsheets.Column(self.header, self.kind).title

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC


@dataclass(frozen=True)
class Spec:
    """A list: its name (sheet and file), columns, default sort (“-key” descending), tie-breaker and searched
    expressions (SQL) or column keys (rows)."""

    name: str
    columns: Sequence[Col]
    default: str = ""
    tiebreak: Any = None
    search: Sequence[Any] = ()
    search_hint: str = ""  # the search box's label, e.g. 姓名、工作单位
    rows: bool = False  # a list computed in Python (sorted by each column's value) rather than a select

    def sortable(self, column: Col) -> bool:
        return column.sortable if self.rows else column.sort is not None

    def column(self, key: str) -> Col | None:
        return next((c for c in self.columns if c.key == key), None)


@dataclass
class Listing:
    """What a list template needs: the page, the active sort, the search text and the query arguments to keep."""

    spec: Spec
    page: Any
    sort: str
    descending: bool
    q: str
    args: dict = field(default_factory=dict)  # the filters (without page/sort), kept by every link

    @property
    def items(self) -> list:
        return list(self.page.items)

    def sort_args(self, key: str) -> dict:
        """The link of a header: sort by it ascending, or descending when it is the ascending sort already."""
        value = f"-{key}" if self.sort == key and not self.descending else key
        return {**self.args, **({"q": self.q} if self.q else {}), "sort": value}

    def link_args(self) -> dict:
        """Everything that chose these rows (filters, search, sort): for the pager and the export."""
        args = {**self.args, **({"q": self.q} if self.q else {})}
        if self.sort != self.spec.default.lstrip("-") or self.descending != self.spec.default.startswith("-"):
            args["sort"] = ("-" if self.descending else "") + self.sort
        return args

    def aria_sort(self, key: str) -> str:
        if key != self.sort:
            return "none"
        return "descending" if self.descending else "ascending"


def exporting() -> bool:
    """?export=xlsx: the same list, every page, as a spreadsheet."""
    return request.args.get("export") == "xlsx"


def _chosen(spec: Spec, args) -> tuple[str, bool]:
    wanted = (args.get("sort") or spec.default or "").strip()
    key = wanted.lstrip("-")
    column = spec.column(key)
    if column is None or not spec.sortable(column):
        wanted = spec.default
        key = wanted.lstrip("-")
    return key, wanted.startswith("-")


def _search_text(args) -> str:
    return (args.get("q") or "").strip()[:100]


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _nullable(expression) -> bool:
    """Whether a sort expression may be NULL: a NOT NULL column may not (ORDER BY … NULLS LAST on it would only
    keep the database from reading its index in order: a sort of the whole table for each page, issue 22)."""
    column = getattr(expression, "expression", expression)  # an ORM attribute's column
    return getattr(column, "nullable", True) is not False


def sorted_select(query: Select, spec: Spec, args=None) -> tuple[Select, str, bool, str]:
    """The view's select with the search and the whitelisted, stable sort applied."""
    args = request.args if args is None else args
    key, descending = _chosen(spec, args)
    q = _search_text(args)
    if q and spec.search:
        pattern = _like(q)
        query = query.where(or_(*(expr.like(pattern, escape="\\") for expr in spec.search)))
    column = spec.column(key)
    if column is not None and column.sort is not None:
        order = column.sort.desc() if descending else column.sort.asc()
        tiebreak = [] if spec.tiebreak is None else [spec.tiebreak.desc() if descending else spec.tiebreak.asc()]
        if _nullable(column.sort):  # blanks last; a NOT NULL column's order stays its index's order
            order = order.nulls_last()
        query = query.order_by(None).order_by(order, *tiebreak)
    elif spec.tiebreak is not None:  # the default order is the tie-breaker's (e.g. "-id": the newest first)
        query = query.order_by(None).order_by(spec.tiebreak.desc() if descending else spec.tiebreak.asc())
    return query, key, descending, q


def from_select(query: Select, spec: Spec, *, args: dict | None = None, per_page: int | None = None) -> Listing:
    """One page of a SQL list, sorted and searched as the request asks. `args` are the view's own filters."""
    query, key, descending, q = sorted_select(query, spec)
    page = paged(query, page_number(request.args.get("page")), per_page or current_app.config["PER_PAGE"])
    return Listing(spec, page, key, descending, q, dict(args or {}))


def _sort_key(value):
    """None and blanks last; numbers as numbers; everything else as text."""
    if value is None or value == "":
        return (1, 0, "")
    if spreadsheets.is_number(value):
        return (0, 0, value)
    return (0, 1, str(value))


def sorted_rows(rows: Iterable, spec: Spec, args=None) -> tuple[list, str, bool, str]:
    """A list computed in Python: searched over the declared column keys, sorted stably by the chosen column."""
    args = request.args if args is None else args
    key, descending = _chosen(spec, args)
    q = _search_text(args)
    items = list(rows)
    if q and spec.search:
        searched = [c for c in spec.columns if c.key in spec.search]
        items = [r for r in items if any(q.lower() in str(c.value(r) or "").lower() for c in searched)]
    column = spec.column(key)
    if column is not None:
        present = [r for r in items if column.value(r) not in (None, "")]
        blank = [r for r in items if column.value(r) in (None, "")]
        items = sorted(present, key=lambda r: _sort_key(column.value(r)), reverse=descending) + blank
    return items, key, descending, q


def from_rows(rows: Iterable, spec: Spec, *, args: dict | None = None, per_page: int | None = None) -> Listing:
    items, key, descending, q = sorted_rows(rows, spec)
    size = per_page or current_app.config["PER_PAGE"]
    number = min(page_number(request.args.get("page")), max(1, math.ceil(len(items) / size)))
    page = Page(items[(number - 1) * size:number * size], number, size, len(items), capped=False)
    return Listing(spec, page, key, descending, q, dict(args or {}))


def table(spec: Spec, items: Iterable) -> spreadsheets.Table:
    columns = [spreadsheets.Column(c.header, c.kind if c.kind in (*NUMERIC, "text") else "text")
               for c in spec.columns]
    return spreadsheets.Table(spec.name, columns, [[c.value(r) for c in spec.columns] for r in items])


def _download(spec: Spec, items: Iterable):
    data = spreadsheets.xlsx(table(spec, items))
    return send_download(io.BytesIO(data), f"{spec.name}.xlsx", spreadsheets.XLSX_MIMETYPE)


def export_select(query: Select, spec: Spec):
    """Every row of the list as the page shows it (same filter, search and sort; all pages) as .xlsx."""
    query = sorted_select(query, spec)[0]
    return _download(spec, db.session.scalars(query.limit(EXPORT_LIMIT)).unique())


def export_rows(rows: Iterable, spec: Spec):
    return _download(spec, sorted_rows(rows, spec)[0][:EXPORT_LIMIT])
