"""Stored rule snapshots that last: each carries its schema version, and reading one fills the keys added
since from their declared defaults (`rule_types.added`), never from the rule files as they stand today.

A model's schema version is the highest `since` among its fields and those of the models it names
(version 1 when none is marked); a stored snapshot without `schema_version` is version 1. A snapshot from a
newer version than the code knows is refused: its keys might mean what this code cannot read.
"""
from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any, get_args, TypeVar

from pydantic import BaseModel, ValidationError

from budget_eval.platform.domain.rule_types import chinese_message

VERSION_KEY = "schema_version"
M = TypeVar("M", bound=BaseModel)


class SnapshotError(ValueError):
    """A stored snapshot this code cannot read; the message is Chinese."""


def _models(annotation: object) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for inner in get_args(annotation):
        yield from _models(inner)


def schema_version(*models: type[BaseModel]) -> int:
    """The highest `since` declared in these models and every model their fields name."""
    seen: set[type[BaseModel]] = set()
    pending = list(models)
    version = 1
    while pending:
        model = pending.pop()
        if model in seen:
            continue
        seen.add(model)
        for info in model.model_fields.values():
            extra = info.json_schema_extra
            since = extra.get("since") if isinstance(extra, Mapping) else None
            if isinstance(since, int):
                version = max(version, since)
            pending += list(_models(info.annotation))
    return version


def stored_version(data: Mapping[str, Any], known: int, where: str) -> int:
    """The schema version a snapshot was stored under (1 when it names none); refused if newer than `known`."""
    version = data.get(VERSION_KEY, 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise SnapshotError(f"{where}：{VERSION_KEY} 的值 {version!r} 有误：应为正整数")
    if version > known:
        raise SnapshotError(f"{where}：存档的规则格式为第 {version} 版，本程序只认识到第 {known} 版，请先升级程序")
    return version


def read_snapshot(model: type[M], data: Mapping[str, Any], known: int, where: str) -> M:
    """A stored snapshot as `model`: keys added after its version come from their declared defaults."""
    stored_version(data, known, where)
    try:
        return model.model_validate({k: v for k, v in data.items() if k != VERSION_KEY})
    except ValidationError as exc:
        raise SnapshotError("；".join(chinese_message(e, where) for e in exc.errors())) from None


def stamped(data: Mapping[str, Any], version: int) -> dict[str, Any]:
    """The data to store, with the schema version it was written under."""
    return {VERSION_KEY: version, **{k: v for k, v in data.items() if k != VERSION_KEY}}


def numbers_from_text(data: Mapping[str, Any], paths: Iterable[str]) -> dict[str, Any]:
    """The data with the numbers written as text ("45") at `paths` read as numbers: for snapshots stored before
    their schema was strict. A path is keys joined by dots; `[]` after a key is each item of its list, `*` each
    value of a mapping (`components[].points`, `survey.answers.*`). Text that is no number is left as it is."""
    upgraded = copy.deepcopy(dict(data))
    for path in paths:
        _convert(upgraded, path.split("."))
    return upgraded


def _convert(node: Any, keys: list[str]) -> None:
    if not keys or not isinstance(node, dict):
        return
    key, rest = keys[0], keys[1:]
    if key == "*":
        targets = list(node)
    else:
        targets = [key.removesuffix("[]")]
    for name in targets:
        value = node.get(name)
        if key.endswith("[]") and isinstance(value, list):
            for item in value:
                _convert(item, rest)
        elif rest:
            _convert(value, rest)
        elif isinstance(value, str):
            node[name] = _as_number(value)


def _as_number(text: str) -> Any:
    try:
        number = Decimal(text.strip())
    except ArithmeticError:
        return text
    return number if number.is_finite() else text


def undated_fields(models: Iterable[type[BaseModel]]) -> list[str]:
    """Fields marked `since` > 1 without a default (an older file or snapshot could not be read): for a test."""
    return [f"{m.__name__}.{name}" for m in models for name, info in m.model_fields.items()
            if isinstance(info.json_schema_extra, Mapping) and info.json_schema_extra.get("since", 1) != 1
            and info.is_required()]
