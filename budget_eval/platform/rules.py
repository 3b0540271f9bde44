"""The current rule sets from rules/, re-read when a file changes (no restart needed): platform's own files
(reports.yaml, tables.yaml) and the machinery every feature's accessors use (`load_current`, `file_stamp`)."""
from __future__ import annotations

import hashlib
import shutil
import tempfile
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


def load_current(loader, args: tuple, stamp, files: tuple[Path, ...] | None = None):
    """The rules as the files stand (`loader(*args)`, cached per `stamp`, e.g. `file_stamp` of the files read);
    a broken file never reaches a request: the last good version is kept and the error is shown to admins
    (`broken_rules`). Every feature's rule loaders go through here; the paths in `args` lie under `rules_dir()`.

    The last good version survives a restart: each file a version was read from (`files`; by default the file
    paths in `args`) is kept in the database once it has loaded (models/rule_file.RuleFileCopy), so a process
    that starts while a file is broken loads its stored copy instead (`_from_stored_copies`)."""
    key = (loader.__module__, loader.__qualname__, args)
    read = files if files is not None else tuple(a for a in args if isinstance(a, Path) and a.suffix)
    try:
        with _LOADING:  # one rule file parsed and validated at a time in this process (see _LOADING)
            rules = _load_version(loader, args, stamp)
    except RuleError as exc:
        if key in _last_good:  # (still the stored copy, if that is what this process started on)
            _broken[key] = str(exc) + (STORED_NOTE if _broken.get(key, "").endswith(STORED_NOTE) else "")
            current_app.logger.error("规则文件有误，继续使用上一个有效版本：%s", exc)
            return _last_good[key]
        stored = _from_stored_copies(loader, args, read)
        if stored is None:
            _broken[key] = str(exc)
            raise
        _broken[key] = f"{exc}{STORED_NOTE}"
        current_app.logger.error("规则文件有误，使用数据库中保存的上一个有效版本：%s", exc)
        _last_good[key] = stored
        return stored
    _broken.pop(key, None)
    previous = _last_good.get(key)
    _last_good[key] = rules
    if previous is None or getattr(previous, "version", None) != getattr(rules, "version", None):
        _note_version(rules)  # a version this process has not used: log it if the database has not seen it
    if previous is None or _kept.get(key) != stamp:
        _keep_copies(read)
        _kept[key] = stamp
    return rules


STORED_NOTE = "（本进程启动时该文件已有误，正在使用数据库中保存的上一个有效版本）"
_kept: dict[tuple, object] = {}  # (loader, args) → the stamp whose files are kept in the database


def forget_loaded() -> None:
    """Forget every rule set this process has loaded, as a newly started process would (for tests)."""
    with _LOADING:
        _last_good.clear()
        _broken.clear()
        _kept.clear()
        _load_version.cache_clear()


def _copy_name(path: Path) -> str | None:
    root = rules_dir()
    return path.relative_to(root).as_posix() if root in path.parents else None


def _keep_copies(files: tuple[Path, ...]) -> None:
    """Keep each file that has just loaded in the database (once per content)."""
    from sqlalchemy import select
    from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

    from budget_eval.platform.extensions import db, sqlite_write_locked
    from budget_eval.platform.models.rule_file import RuleFileCopy

    table = RuleFileCopy.__table__
    for path in files:
        name = _copy_name(path)
        if name is None:
            continue
        try:
            content = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
        query = select(table.c.id).where(table.c.name == name, table.c.sha256 == digest).limit(1)
        row = {"name": name, "sha256": digest, "content": content}
        try:
            if sqlite_write_locked():  # the copy goes with the request's transaction
                if db.session.execute(query).first() is None:
                    db.session.execute(table.insert().values(**row))
                continue
            with db.engine.begin() as conn:  # its own connection: the request's transaction is untouched
                if conn.execute(query).first() is None:
                    conn.execute(table.insert().values(**row))
        except IntegrityError:
            pass  # another process kept the same content at the same moment
        except (OperationalError, ProgrammingError):
            return  # a database without tables yet (before `flask db upgrade`)


def _from_stored_copies(loader, args: tuple, files: tuple[Path, ...]):
    """The rules loaded from the database's last good copies of `files` (the rest of the rules folder as it
    stands), or None when there is no copy or they do not load either."""
    from sqlalchemy import select
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from budget_eval.platform.extensions import db
    from budget_eval.platform.models.rule_file import RuleFileCopy

    root = rules_dir()
    names = {name: path for path in files if (name := _copy_name(path)) is not None}
    if not names:
        return None
    table = RuleFileCopy.__table__
    copies: dict[str, str] = {}
    try:
        with db.engine.connect() as conn:
            for name in names:
                content = conn.execute(select(table.c.content).where(table.c.name == name)
                                       .order_by(table.c.id.desc()).limit(1)).scalar()
                if content is not None:
                    copies[name] = content
    except (OperationalError, ProgrammingError):
        return None
    if not copies:
        return None
    with tempfile.TemporaryDirectory(prefix="budget_eval_rules_") as tmp:
        copy = Path(tmp) / "rules"
        shutil.copytree(root, copy)
        for name, content in copies.items():
            (copy / name).write_text(content, encoding="utf-8")

        def moved(arg):
            if isinstance(arg, Path) and (arg == root or root in arg.parents):
                return copy / arg.relative_to(root)
            return arg

        try:
            with _LOADING:
                return loader(*(moved(a) for a in args))
        except RuleError:
            return None


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
