"""What an imported table should hold (rules/tables.yaml) and how headers and cells are recognised.

Pure: no file reading beyond the rule file. Header text is compared after NFKC (full-width → half-width),
with every space and line break removed; a unit written in the header ("(元)", "（万元）") is split off.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from budget_eval.platform.domain.rule_schemas import TableRule, TablesFile
from budget_eval.platform.domain.ruleset import read_model

_SPACE = re.compile(r"\s+")
_UNIT_IN_HEADER = re.compile(r"[(\[]?(?:单位[:：]?)?(元|万元|亿元)[)\]]?$")
_UNIT_ROW = re.compile(r"单位[:：]\s*(元|万元|亿元)")
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def squeeze(value: object) -> str:
    """Cell or header text as compared: NFKC, no spaces or line breaks anywhere."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", str(value)))


def split_unit(header: str) -> tuple[str, str | None]:
    """("申请财政资金", "元") from "申请财政资金（元）"; the header must already be squeezed."""
    match = _UNIT_IN_HEADER.search(header)
    if match and match.start() > 0:
        return header[: match.start()], match.group(1)
    return header, None


def unit_in_text(text: str) -> str | None:
    """The unit a unit row or title states: "单位：元" → 元."""
    match = _UNIT_ROW.search(squeeze(text))
    return match.group(1) if match else None


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    synonyms: tuple[str, ...]
    required: bool = True
    values: dict[str, str] = field(default_factory=dict)
    unit: str | None = None  # the unit an amount column is in when nothing says otherwise
    choices_from: str | None = None
    example: str = ""


@dataclass(frozen=True)
class TableSpec:
    key: str
    label: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def match(self, header: object) -> tuple[Column | None, str | None]:
        """The column a header names, and the unit it states; (None, None) when it names none."""
        text = squeeze(header).lstrip("*※").lower()
        if not text:
            return None, None
        base, unit = split_unit(text)
        lookup = self._lookup()
        column = lookup.get(base) or lookup.get(_BRACKETS.sub("", base))
        return column, unit if column is not None and column.kind == "amount" else None

    def _lookup(self) -> dict[str, Column]:
        cached = self.__dict__.get("_cache")
        if cached is None:
            cached = {}
            for column in self.columns:
                for synonym in (column.name, *column.synonyms):
                    cached.setdefault(split_unit(squeeze(synonym).lower())[0], column)
            object.__setattr__(self, "_cache", cached)
        return cached


@dataclass(frozen=True)
class TableRules:
    name: str
    version: str
    scan_rows: int
    summary_labels: tuple[str, ...]
    note_prefixes: tuple[str, ...]
    tables: dict[str, TableSpec]

    def is_summary(self, text: str) -> bool:
        """合计 / 小计 / 总计, alone, followed by a separator, or ending a short label (“部门小计”)."""
        return any(
            text == label or (text.startswith(label) and text[len(label)] in ":：(（-—")
            or (text.endswith(label) and len(text) <= 12)
            for label in self.summary_labels
        )

    def is_note(self, text: str) -> bool:
        return text.startswith(self.note_prefixes)


def load_table_rules(path: Path) -> TableRules:
    """rules/tables.yaml, validated against its one declaration (rule_schemas.TablesFile), as lookups."""
    model, _, version = read_model(path, TablesFile)
    return TableRules(
        name=model.name,
        version=version,
        scan_rows=model.header_scan_rows,
        summary_labels=tuple(squeeze(s) for s in model.summary_labels),
        note_prefixes=tuple(squeeze(s) for s in model.note_prefixes),
        tables={key: _spec(key, table) for key, table in model.tables.items()},
    )


def _spec(key: str, table: TableRule) -> TableSpec:
    columns = tuple(Column(c.name, c.kind, tuple(c.synonyms), c.required, {squeeze(k): v for k, v in c.values.items()},
                           c.unit, c.choices_from, c.example or "") for c in table.columns)
    return TableSpec(key, table.label, columns)
