"""Policy numbers with their source: `{value: 1000, status: 法定, source: "…第五条"}` beside the value.

A rule file may name its sources once in a top-level `sources:` table and refer to them
(`{value: 10, ref: 指标表}`). Loaders read the plain values (`unwrap`); `rules check` and the admin page
list every number with its source (`numbers`) and every number that has none (`unsourced`).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeGuard

STATUSES = ("法定", "惯例", "本局自定")
STATUS_HINTS = {"法定": "规章或规范性文件的规定", "惯例": "通行做法（注明出处）", "本局自定": "本局自行确定"}
META_KEYS = frozenset({"value", "status", "source", "ref", "note"})
SOURCES_KEY = "sources"  # the top-level table of named sources


@dataclass(frozen=True)
class SourcedNumber:
    path: str  # e.g. categories[0].threshold_wan
    value: object
    status: str  # 法定 / 惯例 / 本局自定, or "" when the number has no source
    source: str


def is_wrapped(node: object) -> TypeGuard[dict[str, Any]]:
    """A `{value: …, status/ref: …}` mapping (metadata beside a value)."""
    return isinstance(node, dict) and "value" in node and set(node) <= META_KEYS and len(node) > 1


def unwrap(node: object, top: bool = True) -> object:
    """The data with every wrapped value replaced by the value itself (old plain files pass unchanged);
    the top-level `sources` table is left out."""
    if is_wrapped(node):
        return unwrap(node["value"], False)
    if isinstance(node, dict):
        return {key: unwrap(value, False) for key, value in node.items() if not (top and key == SOURCES_KEY)}
    if isinstance(node, list):
        return [unwrap(item, False) for item in node]
    return node


def is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float | Decimal):
        return True
    if isinstance(value, str):  # an old file's "20000": still a number to source
        try:
            Decimal(value.strip())
        except ArithmeticError:
            return False
        return value.strip() != "" and not value.strip().isalpha()
    return False


def numbers(data: dict[str, Any]) -> list[SourcedNumber]:
    """Every number in a rule file with its status and source ("" when it has none)."""
    table = data.get(SOURCES_KEY)
    return list(_walk(data, "", table if isinstance(table, dict) else {}))


def unsourced(data: dict[str, Any]) -> list[SourcedNumber]:
    return [n for n in numbers(data) if not (n.status and n.source.strip())]


# top level: a file's version is a label, its schema_version (snapshots.VERSION_KEY) the format it was written
# for; sources is metadata
SKIP_KEYS = frozenset({"version", "schema_version", SOURCES_KEY})
SAMPLE_KEYS = frozenset({"example"})  # anywhere: an import template's example cell is sample data, not policy


def _walk(node: object, path: str, table: dict[str, Any]) -> Iterator[SourcedNumber]:
    if is_wrapped(node):
        ref = node.get("ref")
        found = table.get(ref, {}) if ref is not None else node
        meta = found if isinstance(found, dict) else {}
        for inner in _plain_numbers(node["value"], path):
            yield SourcedNumber(inner[0], inner[1], str(meta.get("status") or ""), str(meta.get("source") or ""))
    elif isinstance(node, dict):
        for key, value in node.items():
            if not (path == "" and key in SKIP_KEYS) and key not in SAMPLE_KEYS:
                yield from _walk(value, f"{path}.{key}" if path else str(key), table)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk(item, f"{path}[{index}]", table)
    elif is_number(node):
        yield SourcedNumber(path, node, "", "")


def _plain_numbers(node: object, path: str) -> Iterator[tuple[str, object]]:
    """The numbers inside a wrapped value (a number, or a list or mapping of them)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _plain_numbers(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _plain_numbers(item, f"{path}[{index}]")
    elif is_number(node):
        yield path, node
