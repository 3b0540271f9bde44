"""The 工作台: what waits for a user, gathered from every feature through an extension point.

The platform imports no feature, so each feature registers one provider from its own init_app (as
platform/public_voice.py does): ``register(app, provider)``; ``provider(user) -> list[Entry]`` returns the records
waiting for this user in that feature, derived from their lifecycle states and only among what the user may open
(each feature asks its part of the one visibility policy). A provider runs a bounded number of queries whatever the
number of records (tests/web/test_workbench.py counts them). The home page groups the entries by their heading.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from flask import Flask, current_app

from budget_eval.platform.domain.calendar import BEIJING

_KEY = "budget_eval.worklist"


@dataclass(frozen=True)
class Entry:
    """One record waiting for the user: under which heading (待受理 …), what it is, where it is done."""

    group: str
    title: str
    url: str
    stage: str = ""  # its state, in words
    detail: str = ""  # e.g. the department
    deadline: date | None = None  # only where a rule or a record gives one, never invented
    order: int = 0  # the heading's place on the page (smaller first)
    since: date | None = None  # the (Beijing) day it came to this user's step, as the record says


@dataclass(frozen=True)
class Group:
    label: str
    entries: tuple[Entry, ...]
    more: bool = False  # more than `shown()` records wait under this heading; the first ones are listed


def shown() -> int:
    """How many records a heading lists (the lists' page size). A provider reads at most one more per heading
    (`shown() + 1`, to know there are more), so the page is flat in the size of the data (issue 22)."""
    return int(current_app.config.get("PER_PAGE", 20))


Provider = Callable[[object], "list[Entry]"]


@dataclass
class _Registry:
    providers: list[Provider] = field(default_factory=list)


def register(app: Flask, provider: Provider) -> None:
    found = app.extensions.get(_KEY)
    if found is None:
        found = app.extensions[_KEY] = _Registry()
    found.providers.append(provider)


def beijing_today() -> date:
    return (datetime.now(timezone.utc).replace(tzinfo=None) + BEIJING).date()


def days_left(deadline: date | None, today: date) -> int | None:
    return None if deadline is None else (deadline - today).days


def due_text(deadline: date | None, today: date, since: date | None = None) -> str:
    """剩N天 / 今天到期 / 已逾期N天: the state in words, so that red is never the only sign. Without a deadline
    (no rule or record sets one) it says so, with how long the item has waited where the record says since when."""
    left = days_left(deadline, today)
    if left is None:
        waited = (today - since).days if since else None
        return "规则未规定期限" + (f"（已等待{waited}天）" if waited and waited > 0 else "")
    if left > 0:
        return f"剩{left}天"
    return "今天到期" if left == 0 else f"已逾期{-left}天"


def waiting_for(user: object) -> list[Group]:
    """Every provider's entries for this user, grouped by heading (the headings in their order), soonest first."""
    registry = current_app.extensions.get(_KEY)
    entries = [e for provider in (registry.providers if registry else []) for e in provider(user)]
    groups: dict[str, list[Entry]] = {}
    for entry in sorted(entries, key=lambda e: (e.order, e.deadline or date.max)):
        groups.setdefault(entry.group, []).append(entry)
    limit = shown()
    return [Group(label, tuple(items[:limit]), len(items) > limit) for label, items in groups.items()]
