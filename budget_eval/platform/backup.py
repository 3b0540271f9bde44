"""Backup and restore: every table as JSON lines plus the attachment store, in one .tar.gz.

The backup reads every table inside one transaction: on PostgreSQL a read-only REPEATABLE READ one, so the
archive is one consistent snapshot even while people keep working (a user is never saved without the
department it points at); on SQLite one read transaction does the same. The format does not depend on the
database, so a backup from SQLite restores into PostgreSQL and back. A restore goes into an empty database
migrated to the same revision (`flask db upgrade` first), and checks the whole archive before it writes.
"""
from __future__ import annotations

import io
import json
import tarfile
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from alembic.migration import MigrationContext
from flask import current_app
from sqlalchemy.exc import DBAPIError

from budget_eval.platform.extensions import db
from budget_eval.platform.models.types import utcnow
from budget_eval.platform.backup_check import (
    BackupError,
    check_keys,
    FORMAT,
    open_archive,
    parents_first,
    read_manifest,
    referenced_columns,
    remember_keys,
    table_rows,
    UNREADABLE,
)

__all__ = ["BackupError", "backup", "restore"]


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _revision(conn) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


@contextmanager
def snapshot():
    """A connection whose reads all see the database at one moment."""
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with conn.begin():
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN")  # the driver starts none for reads; hold one across every table
            yield conn


def backup(target: Path) -> dict:
    """Write the archive; returns the manifest (row counts per table)."""
    counts = {}
    attachments = Path(current_app.config["ATTACHMENT_DIR"])
    with tarfile.open(target, "w:gz") as archive, snapshot() as conn:
        for table in db.metadata.sorted_tables:
            # a derived table (platform/derived.py) is recomputed from the data, so its rows are not kept
            lines = [] if table.info.get("derived") else [
                json.dumps({k: _plain(v) for k, v in row._mapping.items()}, ensure_ascii=False)
                for row in conn.execute(sa.select(table).order_by(*table.primary_key.columns))]
            counts[table.name] = len(lines)
            _add(archive, f"data/{table.name}.jsonl", "\n".join(lines).encode())
        manifest = {"format": FORMAT, "revision": _revision(conn), "created_at": utcnow().isoformat(),
                    "tables": counts}
        if attachments.exists():
            archive.add(attachments, arcname="attachments")
        _add(archive, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode())
    return manifest


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    archive.addfile(info, io.BytesIO(data))


def restore(source: Path) -> dict:
    """Check the whole archive, then load it into an empty database and attachment store; returns the manifest."""
    tables = db.metadata.sorted_tables
    with open_archive(source) as archive:
        with db.engine.connect() as conn:
            revision = _revision(conn)
        manifest = read_manifest(archive, tables, revision)
        members = _attachment_members(archive)
        _check_tables(archive, tables, manifest)
        try:
            with db.engine.begin() as conn:
                _refuse_non_empty(conn, tables)
                for table in tables:
                    rows = parents_first(table, table_rows(archive, table, manifest["tables"][table.name]))
                    if rows:
                        conn.execute(table.insert(), rows)
                _move_sequences(conn, tables)
        except DBAPIError as exc:
            raise BackupError(f"恢复失败，数据库未做任何改动：{str(exc.orig).splitlines()[0][:200]}") from None
        _write_attachments(archive, members)
    return manifest


def _check_tables(archive: tarfile.TarFile, tables: list[sa.Table], manifest: dict) -> None:
    referenced, keys = referenced_columns(tables), {}
    for table in tables:
        rows = table_rows(archive, table, manifest["tables"][table.name])
        remember_keys(table, rows, referenced, keys)
        check_keys(table, rows, keys)


def _refuse_non_empty(conn, tables: list[sa.Table]) -> None:
    for table in tables:
        if conn.execute(sa.select(sa.func.count()).select_from(table)).scalar():
            raise BackupError(f"目标数据库不是空的（表 {table.name} 已有数据），只能恢复到空数据库")


def _move_sequences(conn, tables: list[sa.Table]) -> None:
    """Ids were inserted as given: on PostgreSQL move the sequences past them."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        if "id" in table.c:
            name = f'"{table.name}"'
            conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                 f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"))


def _attachment_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    try:
        members = [m for m in archive.getmembers() if m.name.startswith("attachments/") and m.isfile()]
    except UNREADABLE:
        raise BackupError("备份文件已损坏或被截断，无法读取其中的附件；请换一份完整的备份") from None
    for member in members:
        relative = Path(member.name).relative_to("attachments")
        if ".." in relative.parts or relative.is_absolute():
            raise BackupError("备份中的附件路径无效")
    return members


def _write_attachments(archive: tarfile.TarFile, members: list[tarfile.TarInfo]) -> None:
    target = Path(current_app.config["ATTACHMENT_DIR"])
    for member in members:
        path = target / Path(member.name).relative_to("attachments")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            path.write_bytes(archive.extractfile(member).read())
        except UNREADABLE:
            raise BackupError(f"附件 {member.name} 无法从备份中读出（文件已损坏）；数据库已恢复，附件不完整") from None
