"""The served app for the concurrency harness: PostgreSQL only (SQLite serialises every writer)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.conftest import PG_URL, REQUIRE_SERVICES
from tests.concurrency.harness import Harness
from tests.concurrency.runner import THREADS, start_report
from tests.concurrency.server import Server, prepare


@pytest.fixture(scope="session")
def harness(tmp_path_factory):
    if not PG_URL:
        if REQUIRE_SERVICES:
            pytest.fail("BUDGET_EVAL_REQUIRE_SERVICES=1 but BUDGET_EVAL_TEST_PG_URL is not set")
        pytest.skip("the concurrency harness needs PostgreSQL (run scripts/test.sh)")
    start_report()
    instance = tmp_path_factory.mktemp("concurrency")
    url = prepare(PG_URL, instance)
    server = Server(url, instance)
    engine = sa.create_engine(url)
    try:
        yield Harness(server, engine, THREADS)
    finally:
        engine.dispose()
        server.stop()
