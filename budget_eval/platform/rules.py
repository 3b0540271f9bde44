"""The current rule sets from rules/, re-read when a file changes (no restart needed): platform's own files
(reports.yaml, tables.yaml) and the machinery every feature's accessors use (`load_current`, `file_stamp`)."""
from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

from flask import current_app

from budget_eval.platform.domain.calendar import HolidaysFile
from budget_eval.platform.domain.ruleset import load_report_settings, read_model, RuleError
from budget_eval.platform.domain.report_settings import ReportSettings
from budget_eval.platform.domain.table_spec import TableRules, load_table_rules

REPORTS_FILE = "reports.yaml"
TABLES_FILE = "tables.yaml"
HOLIDAYS_FILE = "holidays.yaml"


def rules_dir() -> Path:
    return Path(current_app.config["RULES_DIR"])


def report_settings() -> ReportSettings:
    path = rules_dir() / REPORTS_FILE
    return load_current(load_report_settings, (path,), file_stamp(path))


def holidays() -> HolidaysFile:
    """rules/holidays.yaml: the working-day calendar deadlines are moved by."""
    path = rules_dir() / HOLIDAYS_FILE
    return load_current(_load_holidays, (path,), file_stamp(path))


def _load_holidays(path: Path) -> HolidaysFile:
    return read_model(path, HolidaysFile)[0]


def file_stamp(path: Path) -> tuple:
    """A file's version for the cache: an edit changes its mtime or size."""
    stat = path.stat()
    return (str(path), stat.st_mtime_ns, stat.st_size)


# Loads are serialised per process: a threaded server's first requests after a fork would otherwise parse and
# validate the same new file in several threads at once (C code: the YAML parser, pydantic-core). Two worker
# crashes (segfaults in libpython's allocator and collector, cause not found) were seen in the concurrency proof
# of 2026-12-03 on requests that read rule files; this removes one suspect. A cached version costs a lock and a
# dict lookup.
_LOADING = threading.Lock()
_last_good: dict[tuple, object] = {}  # (loader, args) → the last version that loaded
_broken: dict[tuple, str] = {}  # (loader, args) → why the file as it stands does not load


def load_current(loader, args: tuple, stamp):
    """The rules as the files stand (`loader(*args)`, cached per `stamp`, e.g. `file_stamp` of the files read);
    a broken file never reaches a request: the last good version is kept and the error is shown to admins
    (`broken_rules`). Every feature's rule loaders go through here; the paths in `args` lie under `rules_dir()`."""
    key = (loader.__module__, loader.__qualname__, args)
    try:
        with _LOADING:  # one rule file parsed and validated at a time in this process (see _LOADING)
            rules = _load_version(loader, args, stamp)
    except RuleError as exc:
        _broken[key] = str(exc)
        if key in _last_good:
            current_app.logger.error("规则文件有误，继续使用上一个有效版本：%s", exc)
            return _last_good[key]
        raise
    _broken.pop(key, None)
    previous = _last_good.get(key)
    _last_good[key] = rules
    if previous is None or getattr(previous, "version", None) != getattr(rules, "version", None):
        _note_version(rules)  # a version this process has not used: log it if the database has not seen it
    return rules


def broken_rules() -> list[str]:
    """The errors of this app's rule files now in use in their last good version (for the admins' pages);
    another app in the same process (another rules folder) does not show here."""
    root = rules_dir()  # the loaders' paths are built from it, so a plain comparison suffices (no file system calls)
    return sorted({why for (_, _, args), why in _broken.items()
                   if any(isinstance(a, Path) and (a == root or root in a.parents) for a in args)})


@lru_cache(maxsize=256)
def _load_version(loader, args: tuple, stamp):
    """Cache per file version: a changed mtime or size is a new key, so an edit takes effect at once.
    (Re-reading an evicted version logs nothing: only a version new to this process is noted.)"""
    return loader(*args)


def _note_version(rules) -> None:
    """Log a rule set's version the first time this database sees it (a rule-set change)."""
    from sqlalchemy import select
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from budget_eval.platform.extensions import db, sqlite_write_locked
    from budget_eval.platform.models.audit import AuditEvent
    from budget_eval.platform.audit import audit, audit_now, system

    name = getattr(rules, "name", None) or getattr(getattr(rules, "template", None), "name", "")
    version = getattr(rules, "version", None)
    if not version:
        return
    query = select(AuditEvent.id).where(AuditEvent.kind == "rules", AuditEvent.subject == name,
                                        AuditEvent.detail == version).limit(1)
    try:
        with db.engine.connect() as conn:  # its own connection: the request's transaction is untouched
            seen = conn.execute(query).scalar()
        if seen is None:
            actor = system("读取规则文件")  # noticed on first use, whoever's request it was
            if sqlite_write_locked():  # the line goes with the request's transaction
                audit("rules", name, version, actor)
            else:
                audit_now("rules", name, version, actor)
    except (OperationalError, ProgrammingError):
        pass  # a database without tables yet (before `flask db upgrade`) has no log to write to


def table_rules() -> TableRules:
    """How imported tables are read (rules/tables.yaml); the repository's file outside an app (benchmarks)."""
    from flask import has_app_context

    if not has_app_context():
        return _repository_tables()
    path = rules_dir() / TABLES_FILE
    return load_current(load_table_rules, (path,), file_stamp(path))


@lru_cache(maxsize=1)
def _repository_tables() -> TableRules:
    return load_table_rules(Path(__file__).resolve().parents[2] / "rules" / TABLES_FILE)
