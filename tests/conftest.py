"""Shared fixtures. Web tests run once per database backend: SQLite always, PostgreSQL when configured.

The test command (scripts/test.sh) starts PostgreSQL and sets BUDGET_EVAL_TEST_PG_URL and
BUDGET_EVAL_REQUIRE_SERVICES=1, so in CI a missing PostgreSQL (or LibreOffice, or the CJK font) fails
instead of skipping.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from budget_eval import create_app
from budget_eval.platform.extensions import db

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
    }


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

        upgrade()
        db.engine.dispose()
    return url


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app(_test_config(database_url, tmp_path))
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


def _empty_tables() -> None:
    tables = db.metadata.sorted_tables
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                conn.execute(table.delete())


@pytest.fixture
def client(app):
    from tests.web.client import WebClient

    return WebClient(app)


@pytest.fixture
def make(app):
    from tests.web.factories import Factory

    return Factory()
