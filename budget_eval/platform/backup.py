"""Backup and restore: every table as JSON lines plus the attachment store, in one .tar.gz.

The format does not depend on the database, so a backup from SQLite restores into PostgreSQL and back. A
restore goes into an empty database migrated to the same revision (`flask db upgrade` first).
"""
from __future__ import annotations

import io
import json
import tarfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from alembic.migration import MigrationContext
from flask import current_app

from budget_eval.platform.extensions import db
from budget_eval.platform.models.types import Decimal2, utcnow

FORMAT = 1


class BackupError(ValueError):
    """A backup or restore that cannot proceed; the message is Chinese and fit for the user."""


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _revision() -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def backup(target: Path) -> dict:
    """Write the archive; returns the manifest (row counts per table)."""
    counts = {}
    attachments = Path(current_app.config["ATTACHMENT_DIR"])
    with tarfile.open(target, "w:gz") as archive, db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            lines = [json.dumps({k: _plain(v) for k, v in row._mapping.items()}, ensure_ascii=False)
                     for row in conn.execute(sa.select(table).order_by(*table.primary_key.columns))]
            counts[table.name] = len(lines)
            _add(archive, f"data/{table.name}.jsonl", "\n".join(lines).encode())
        if attachments.exists():
            archive.add(attachments, arcname="attachments")
        manifest = {"format": FORMAT, "revision": _revision(), "created_at": utcnow().isoformat(), "tables": counts}
        _add(archive, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode())
    return manifest


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    archive.addfile(info, io.BytesIO(data))


def restore(source: Path) -> dict:
    """Load an archive into an empty database and attachment store; returns its manifest."""
    with tarfile.open(source, "r:gz") as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
        if manifest.get("format") != FORMAT:
            raise BackupError("备份文件格式不受支持")
        if manifest["revision"] != _revision():
            raise BackupError(f"数据库版本（{_revision()}）与备份（{manifest['revision']}）不一致，请先运行 flask db upgrade")
        with db.engine.begin() as conn:
            for table in db.metadata.sorted_tables:
                if conn.execute(sa.select(sa.func.count()).select_from(table)).scalar():
                    raise BackupError(f"目标数据库不是空的（表 {table.name} 已有数据），只能恢复到空数据库")
            for table in db.metadata.sorted_tables:
                text = archive.extractfile(f"data/{table.name}.jsonl").read().decode()
                rows = [_typed(table, json.loads(line)) for line in text.splitlines() if line]
                if rows:
                    conn.execute(table.insert(), rows)
            if conn.dialect.name == "postgresql":  # ids were inserted as given: move the sequences past them
                for table in db.metadata.sorted_tables:
                    if "id" in table.c:
                        name = f'"{table.name}"'
                        conn.execute(sa.text(
                            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                            f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"))
        target = Path(current_app.config["ATTACHMENT_DIR"])
        members = [m for m in archive.getmembers() if m.name.startswith("attachments/") and m.isfile()]
        for member in members:
            relative = Path(member.name).relative_to("attachments")
            if ".." in relative.parts or relative.is_absolute():
                raise BackupError("备份中的附件路径无效")
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(archive.extractfile(member).read())
    return manifest


def _typed(table: sa.Table, row: dict) -> dict:
    """Turn JSON values back into the column's Python type."""
    for column in table.columns:
        value = row.get(column.name)
        if value is None:
            continue
        python = Decimal if isinstance(column.type, Decimal2) else _python_type(column.type)
        if python is datetime:
            row[column.name] = datetime.fromisoformat(value)
        elif python is date:
            row[column.name] = date.fromisoformat(value)
        elif python is Decimal:
            row[column.name] = Decimal(value)
    return row


def _python_type(column_type):
    try:
        return column_type.python_type
    except NotImplementedError:
        return None
