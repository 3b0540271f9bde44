"""Paging for every list that grows with the data (issue 22): one query for the page's rows and one capped count,
whatever the size of the table.

`paged(query, page)` returns a `Page` the pager macro of templates/macros.html reads (as Flask-SQLAlchemy's
Pagination). The count stops at `CAP` rows (a list of more says 超过 CAP 条, never counts the rest), and no page
past the cap is served, so neither the count nor the OFFSET ever reads more than CAP rows. Query functions of
each feature take (page, per_page) or (limit, offset) and return this, so a table helper can wrap them.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from math import ceil
from typing import Any

from sqlalchemy import func, Select, select

from budget_eval.platform.extensions import db

CAP = 10_000  # rows counted at most; beyond, the list says 超过 10,000 条 and filters narrow it


@dataclass
class Page:
    items: Sequence[Any]
    page: int
    per_page: int
    total: int  # at most CAP
    capped: bool  # there are more than CAP rows

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    def iter_pages(self, left_edge: int = 2, left_current: int = 2, right_current: int = 4,
                   right_edge: int = 2) -> Iterator[int | None]:
        """As Flask-SQLAlchemy's: the edges and the pages around the current one, None for a gap."""
        last = 0
        for n in range(1, self.pages + 1):
            if n <= left_edge or self.page - left_current <= n <= self.page + right_current \
                    or n > self.pages - right_edge:
                if last + 1 != n:
                    yield None
                yield n
                last = n


def capped_count(query: Select, cap: int = CAP) -> tuple[int, bool]:
    """How many rows the query returns, counting no further than cap (+1 to know there are more)."""
    limited = query.order_by(None).limit(cap + 1).subquery()
    found = db.session.scalar(select(func.count()).select_from(limited)) or 0
    return min(found, cap), found > cap


def paged(query: Select, page: int, per_page: int, *, scalars: bool = True, cap: int = CAP) -> Page:
    """The page's rows (entities when `scalars`, else row tuples) and the capped count; a page past the last
    (or past the cap) shows the last one."""
    total, capped = capped_count(query, cap)
    last = max(1, ceil(total / per_page))
    page = min(max(page, 1), last)
    window = query.limit(per_page).offset((page - 1) * per_page)
    rows = db.session.scalars(window).unique().all() if scalars else db.session.execute(window).all()
    return Page(items=rows, page=page, per_page=per_page, total=total, capped=capped)
