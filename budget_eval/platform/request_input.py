"""What every request's input is held to before a view sees it, on both databases.

PostgreSQL refuses two things SQLite stores happily: a NUL character in text, and an integer beyond its
INTEGER column range. Either would surface as a server error, so ids in URLs and forms are bounded here and
NUL characters (never meaningful in typed text) are dropped from form fields and query strings.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter
from werkzeug.utils import cached_property

MAX_ID = 2**31 - 1  # PostgreSQL INTEGER, the type of every id column
_ASCII_DIGITS = re.compile(r"[0-9]{1,10}")


class IdConverter(IntegerConverter):
    """`<int:…>` in routes: a number no database id can exceed; anything larger is simply not found (404)."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002 (werkzeug's names)
        super().__init__(map, fixed_digits, min, max, signed)


def ids_from(values: Iterable[str]) -> list[int]:
    """Record ids from form values such as `user_id` check boxes; anything that cannot be an id is ignored."""
    return [int(v) for v in values if _ASCII_DIGITS.fullmatch(v) and 0 < int(v) <= MAX_ID]


def id_arg(value: str | None) -> int | None:
    """An optional id (or year) filter from the query string; None when it could not be one."""
    found = ids_from([value or ""])
    return found[0] if found else None


def page_number(value: str | None) -> int:
    """`?page=` for lists: a sensible page number whatever was typed into the address bar."""
    return int(value) if value and _ASCII_DIGITS.fullmatch(value) and 0 < int(value) <= 100_000 else 1


def _without_nul(data: ImmutableMultiDict) -> ImmutableMultiDict:
    if not any("\x00" in key or "\x00" in value for key, value in data.items(multi=True)):
        return data
    return ImmutableMultiDict([(key.replace("\x00", ""), value.replace("\x00", ""))
                               for key, value in data.items(multi=True)])


class CleanRequest(Request):
    """Flask's request, with NUL characters removed from form fields and query parameters."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = _without_nul(self.__dict__["form"])

    @cached_property
    def args(self) -> ImmutableMultiDict:
        return _without_nul(Request.args.fget(self))
