"""Shared fixtures. Web tests run once per database backend: SQLite always, PostgreSQL when configured.

The test command (scripts/test.sh) starts PostgreSQL and sets BUDGET_EVAL_TEST_PG_URL and
BUDGET_EVAL_REQUIRE_SERVICES=1, so in CI a missing PostgreSQL (or LibreOffice, or the CJK font) fails
instead of skipping.
"""
from __future__ import annotations

import copy
import os
import sqlite3
from pathlib import Path

import jinja2
import pytest
import sqlalchemy as sa

from budget_eval import create_app
from budget_eval.platform.extensions import db

# Run in parallel (scripts/test.sh: pytest-xdist, workers gw0, gw1 …), each worker has a PostgreSQL database of its
# own (the test command creates <database>_gw0 …) and a Redis database of its own (15, 14 …), set here before any
# test module or served app reads them.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if WORKER.startswith("gw"):
    if _pg := os.environ.get("BUDGET_EVAL_TEST_PG_URL"):
        os.environ["BUDGET_EVAL_TEST_PG_URL"] = f"{_pg}_{WORKER}"
    if _redis := os.environ.get("BUDGET_EVAL_TEST_REDIS_URL"):
        _base, _, _number = _redis.rpartition("/")
        os.environ["BUDGET_EVAL_TEST_REDIS_URL"] = f"{_base}/{int(_number) - int(WORKER[2:])}"
PG_URL = os.environ.get("BUDGET_EVAL_TEST_PG_URL")
REQUIRE_SERVICES = os.environ.get("BUDGET_EVAL_REQUIRE_SERVICES") == "1"
ROOT = Path(__file__).resolve().parent.parent


def _test_config(url: str, tmp: Path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "INSTANCE_PATH": tmp / "instance",
        "ATTACHMENT_DIR": tmp / "attachments",
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # fast hashing; production uses scrypt
        # no LibreOffice pass per downloaded report (tests/web/test_document_layout.py turns it on)
        "PAGINATE_DOCUMENTS": False,
        # a commit need not wait for the disk (a test database outlives no crash): on a busy machine the
        # flush took about a third of each test's time
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": "-c synchronous_commit=off"}}
        if url.startswith("postgresql") else {},
    }


def _sqlite_without_fsync(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous = OFF")


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory) -> str:
    """A database migrated to the latest schema, once per backend per test session."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    else:
        if not PG_URL:
            if REQUIRE_SERVICES:
                pytest.fail("BUDGET_EVAL_REQUIRE_SERVICES=1 but BUDGET_EVAL_TEST_PG_URL is not set")
            pytest.skip("PostgreSQL not configured (run scripts/test.sh)")
        url = PG_URL
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    app = create_app(_test_config(url, tmp_path_factory.mktemp("migrate")))
    with app.app_context():
        from flask_migrate import upgrade

        sa.event.listen(db.engine, "connect", _sqlite_without_fsync)

        upgrade()
        db.engine.dispose()
    return url


class SessionBytecode(jinja2.BytecodeCache):
    """Compiled templates kept for the whole test session, for every app a test builds (each backend's
    shared app, and the apps some tests make themselves): each new app's Jinja environment compiled every
    page it rendered afresh, about 0.45 s a test. Only the compiled code is shared; every app still makes
    its own Template objects with its own globals. The key holds the template's name and a checksum of its
    source, so an edited template is compiled again."""

    def __init__(self) -> None:
        self.code: dict[str, object] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self.code.get(bucket.key + bucket.checksum)) is not None:
            bucket.code = code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key + bucket.checksum] = bucket.code


COMPILED_TEMPLATES = SessionBytecode()


def new_app(test_config: dict):
    """create_app, with the templates compiled once per test session."""
    app = create_app(test_config)
    app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    return app


@pytest.fixture(scope="session")
def shared_app(database_url, tmp_path_factory):
    """One app per backend per session, and the configuration it started with. Building an app costs about
    0.3 s (every URL rule compiled, every template on first use); tests reuse it instead, each with its own
    folders and the starting configuration back (see app)."""
    app = new_app(_test_config(database_url, tmp_path_factory.mktemp("app")))
    with app.app_context():
        sa.event.listen(db.engine, "connect", _sqlite_without_fsync)
    yield app, copy.deepcopy(dict(app.config))
    with app.app_context():  # pytest drops a backend's app when the next tests want the other backend
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(shared_app, tmp_path):
    """The app as create_app(_test_config(url, tmp_path)) builds it: the session's app with its starting
    configuration (a test's changes to app.config are undone afterwards) and this test's own instance and
    attachment folders; the test's rows are deleted afterwards."""
    app, config = shared_app
    app.config.clear()
    app.config.update(copy.deepcopy(config))
    app.config.update(INSTANCE_PATH=tmp_path / "instance", ATTACHMENT_DIR=tmp_path / "attachments")
    app.instance_path = str(tmp_path / "instance")
    (tmp_path / "instance").mkdir(exist_ok=True)
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


@pytest.fixture
def fresh_app(database_url, tmp_path):
    """An app of the test's own, for a test that changes the app itself (adds a route, which Flask refuses
    once an app has served a request); building it costs about 0.3 s."""
    app = new_app(_test_config(database_url, tmp_path))
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


def _empty_tables() -> None:
    """Every row gone and ids counting from 1 again, as after TRUNCATE … RESTART IDENTITY. DELETE (children
    first) is used on PostgreSQL too: a TRUNCATE of every table took about 0.5 s a test, DELETE of a test's
    few rows and a setval per sequence a few milliseconds."""
    tables = db.metadata.sorted_tables
    with db.engine.begin() as conn:
        for table in reversed(tables):
            conn.execute(table.delete())
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text(
                "SELECT setval(format('%I.%I', schemaname, sequencename), start_value, false) FROM pg_sequences"
                " WHERE schemaname = current_schema() AND last_value IS NOT NULL"))


_DEMO: dict[str, tuple[dict, Path]] = {}  # backend URL → the seeded demo's rows per table, and its attachments


@pytest.fixture
def demo(app, database_url, tmp_path_factory):
    """The app holding the demo data, as `flask seed-demo` leaves it. Seeding takes 8 to 30 s, so it runs once per
    backend per session (in the first test that asks), its rows and attachment files are kept, and every later
    test gets them copied into its empty database and attachment folder: the same rows, ids and files."""
    import shutil

    kept = _DEMO.get(database_url)
    attachments = Path(app.config["ATTACHMENT_DIR"])
    if kept is None:
        result = app.test_cli_runner().invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output
        files = tmp_path_factory.mktemp("demo-attachments")
        if attachments.exists():
            shutil.copytree(attachments, files, dirs_exist_ok=True)
        with db.engine.connect() as conn:
            rows = {table.name: [dict(r._mapping) for r in conn.execute(
                table.select().order_by(*table.primary_key.columns))] for table in db.metadata.sorted_tables}
        _DEMO[database_url] = rows, files
    else:
        rows, files = kept
        shutil.copytree(files, attachments, dirs_exist_ok=True)
        with db.engine.begin() as conn:
            for table in db.metadata.sorted_tables:
                if rows[table.name]:
                    conn.execute(table.insert(), rows[table.name])
            if conn.dialect.name == "postgresql":  # ids go on from the demo's, as after seeding
                for table in db.metadata.sorted_tables:
                    column = table.c.get("id")
                    if column is not None and column.autoincrement is not False and rows[table.name]:
                        conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                             f"(SELECT max(id) FROM {table.name}))"))
    db.session.remove()
    return app


@pytest.fixture
def client(app):
    from tests.web.client import WebClient

    return WebClient(app)


@pytest.fixture
def make(app):
    from tests.web.factories import Factory

    return Factory()


@pytest.fixture
def queued(app):
    """Immediate mode off: a job waits in the embedded queue (SqliteHuey) until the test plays the worker. The queue
    is the shared test app's, so it is emptied before and after (nothing one test leaves pending reaches the next)."""
    from budget_eval.platform import jobs

    huey = jobs.queue(app).huey
    huey.immediate = False
    huey.flush()
    yield huey
    huey.flush()
    huey.immediate = True
