"""Check a backup archive before anything is written: format, tables, row shapes, keys and foreign keys.

Every problem is a BackupError with a Chinese message that names the table, the line and the column, so an
operator learns what is wrong with the file instead of reading a traceback, and the database stays empty.
"""
from __future__ import annotations

import json
import tarfile
import zlib
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import sqlalchemy as sa

from budget_eval.platform.models.types import Decimal2

FORMAT = 1
UNREADABLE = (tarfile.TarError, EOFError, OSError, zlib.error, UnicodeDecodeError)


class BackupError(ValueError):
    """A backup or restore that cannot proceed; the message is Chinese and fit for the user."""


def open_archive(source: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(source, "r:gz")
    except UNREADABLE:
        raise BackupError("备份文件已损坏或不完整，无法解压；请换一份完整的备份") from None


def read_member(archive: tarfile.TarFile, name: str) -> bytes:
    try:
        member = archive.extractfile(name)
        if member is None:
            raise KeyError(name)
        return member.read()
    except KeyError:
        raise BackupError(f"备份文件不完整：缺少 {name}") from None
    except UNREADABLE:
        raise BackupError(f"备份文件已损坏或被截断（读取 {name} 时出错）；请换一份完整的备份") from None


def read_manifest(archive: tarfile.TarFile, tables: list[sa.Table], revision: str | None) -> dict:
    try:
        manifest = json.loads(read_member(archive, "manifest.json"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise BackupError("备份文件的清单（manifest.json）无法读取，文件可能已损坏") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(manifest.get("tables"), dict):
        raise BackupError("备份文件格式不受支持（不是本系统生成的备份，或版本不同）")
    if manifest.get("revision") != revision:
        raise BackupError(f"数据库版本（{revision}）与备份（{manifest.get('revision')}）不一致，请先运行 flask db upgrade")
    known = {t.name for t in tables}
    if unknown := sorted(set(manifest["tables"]) - known):
        raise BackupError("备份中有本系统没有的表：" + "、".join(unknown))
    if missing := sorted(known - set(manifest["tables"])):
        raise BackupError("备份缺少这些表：" + "、".join(missing))
    return manifest


def table_rows(archive: tarfile.TarFile, table: sa.Table, expected: int) -> list[dict]:
    """The rows of one table, typed and checked in shape; the count must match the manifest."""
    text = read_member(archive, f"data/{table.name}.jsonl").decode("utf-8")
    columns = {c.name for c in table.columns}
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line:
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            raise BackupError(f"表 {table.name} 第{number}行不是有效的数据（文件可能已损坏）") from None
        if not isinstance(row, dict) or set(row) != columns:
            raise BackupError(f"表 {table.name} 第{number}行的列与本系统不符"
                              f"（多出：{'、'.join(sorted(set(row) - columns)) if isinstance(row, dict) else '—'}；"
                              f"缺少：{'、'.join(sorted(columns - set(row))) if isinstance(row, dict) else '全部'}）")
        rows.append(typed(table, row, number))
    if len(rows) != expected:
        raise BackupError(f"表 {table.name} 有{len(rows)}行，而清单记载{expected}行：备份文件不完整")
    return rows


def typed(table: sa.Table, row: dict, number: int) -> dict:
    """Turn JSON values back into each column's Python type, refusing values of the wrong kind."""
    for column in table.columns:
        value = row[column.name]
        if value is None:
            if not column.nullable:
                raise BackupError(f"表 {table.name} 第{number}行的 {column.name} 不能为空")
            continue
        try:
            row[column.name] = _convert(column, value)
        except (ValueError, TypeError, InvalidOperation):
            raise BackupError(f"表 {table.name} 第{number}行的 {column.name} 值“{str(value)[:40]}”类型不对") from None
    return row


def _convert(column: sa.Column, value):
    if isinstance(column.type, Decimal2):
        return Decimal(str(value))
    python = _python_type(column.type)
    if python is datetime:
        return datetime.fromisoformat(value)
    if python is date:
        return date.fromisoformat(value)
    if python is bool and not isinstance(value, bool):
        raise TypeError
    if python is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise TypeError
    if python is str and not isinstance(value, str):
        raise TypeError
    if python is float and not isinstance(value, int | float):
        raise TypeError
    return value


def _python_type(column_type):
    try:
        return column_type.python_type
    except NotImplementedError:
        return None


def check_keys(table: sa.Table, rows: list[dict], keys: dict[tuple[str, tuple], set]) -> None:
    """Primary keys unique; every foreign key points at a row in the archive. `keys` collects the key sets."""
    primary = tuple(c.name for c in table.primary_key.columns)
    seen = {tuple(r[c] for c in primary) for r in rows}
    if len(seen) != len(rows):
        raise BackupError(f"表 {table.name} 中有重复的主键，备份文件已损坏")
    for fk in table.foreign_key_constraints:
        target = fk.referred_table.name
        referred = tuple(e.column.name for e in fk.elements)
        local = tuple(e.parent.name for e in fk.elements)
        wanted = (target, referred)
        if wanted not in keys:
            raise BackupError(f"表 {table.name} 引用的表 {target} 在备份中的顺序不对，备份文件无法使用")
        available = keys[wanted]
        for number, row in enumerate(rows, 1):
            value = tuple(row[c] for c in local)
            if None not in value and value not in available:
                raise BackupError(f"表 {table.name} 第{number}行引用的 {target} 记录（{'、'.join(map(str, value))}）"
                                  "在备份中不存在：备份不是一致的快照，无法恢复")


def remember_keys(table: sa.Table, rows: list[dict], referenced: set[tuple[str, tuple]],
                  keys: dict[tuple[str, tuple], set]) -> None:
    for name, columns in referenced:
        if name == table.name:
            keys[(name, columns)] = {tuple(r[c] for c in columns) for r in rows}


def referenced_columns(tables: list[sa.Table]) -> set[tuple[str, tuple]]:
    return {(fk.referred_table.name, tuple(e.column.name for e in fk.elements))
            for t in tables for fk in t.foreign_key_constraints}


def parents_first(table: sa.Table, rows: list[dict]) -> list[dict]:
    """Order rows of a self-referencing table (a department under its authority) so parents come first."""
    own = [fk for fk in table.foreign_key_constraints if fk.referred_table is table]
    if not own:
        return rows
    local = [e.parent.name for e in own[0].elements]
    referred = [e.column.name for e in own[0].elements]
    placed, ordered, pending = set(), [], list(rows)
    while pending:
        ready = [r for r in pending if None in (v := tuple(r[c] for c in local)) or v in placed]
        if not ready:
            raise BackupError(f"表 {table.name} 中的上下级关系成环，无法恢复")
        for row in ready:
            placed.add(tuple(row[c] for c in referred))
        ordered += ready
        ready_ids = {id(r) for r in ready}
        pending = [r for r in pending if id(r) not in ready_ids]
    return ordered
