"""Browser journeys: the demo app served by gunicorn on 127.0.0.1, driven by Debian's headless Chromium.

Screenshots go to test-artifacts/screenshots/ (git-ignored), so a person can look at what users see.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.tools import CHROMIUM, require_tool

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_url() -> str | None:
    """The PostgreSQL database of the browser walk on PostgreSQL: BUDGET_EVAL_BROWSER_PG_URL, else the test
    command's BUDGET_EVAL_TEST_PG_URL (the walk works in its own schema `browser` there)."""
    return os.environ.get("BUDGET_EVAL_BROWSER_PG_URL") or os.environ.get("BUDGET_EVAL_TEST_PG_URL")


def _browser_schema(url: str) -> str:
    """A fresh schema `browser` of that PostgreSQL database, as a URL whose connections use it."""
    import sqlalchemy as sa

    from tests.concurrency.server import schema_url

    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA IF EXISTS browser CASCADE; CREATE SCHEMA browser"))
    engine.dispose()
    return schema_url(url, "browser")


def _env(instance: Path) -> dict[str, str]:
    """The served app's environment. On PostgreSQL the seeded schema is named in the instance folder (a copy of
    the folder then serves the same schema: the PostgreSQL walk runs the journeys, which build on each other)."""
    named = instance / "database_url"
    database = named.read_text() if named.exists() else f"sqlite:///{instance / 'demo.sqlite3'}"
    return {**os.environ, "FLASK_APP": "budget_eval", "SECRET_KEY": "browser-tests", "DATABASE_URL": database,
            "BUDGET_EVAL_ATTACHMENT_DIR": str(instance / "attachments"),
            "BUDGET_EVAL_JOBS_SQLITE": str(instance / "jobs.sqlite3")}


def seeded(instance: Path, database: str | None = None) -> Path:
    """The demo data migrated and seeded into the instance folder's SQLite file, or into `database`."""
    if database:
        (instance / "database_url").write_text(database)
    flask = [sys.executable, "-m", "flask"]
    subprocess.run([*flask, "db", "upgrade"], env=_env(instance), check=True, capture_output=True, cwd=ROOT)
    subprocess.run([*flask, "seed-demo"], env=_env(instance), check=True, capture_output=True, cwd=ROOT)
    return instance


@pytest.fixture(scope="session")
def demo_instance(tmp_path_factory) -> Path:
    """The demo data on SQLite, migrated and seeded once: each served instance starts from a copy of this folder."""
    require_tool("chromium")
    return seeded(tmp_path_factory.mktemp("demo-seed"))


@pytest.fixture(scope="session")
def pg_demo_instance(tmp_path_factory) -> Path:
    """The demo data in the PostgreSQL schema `browser` (every instance served from it shares that schema)."""
    require_tool("chromium")
    url = pg_url()
    if not url:
        if os.environ.get("BUDGET_EVAL_REQUIRE_SERVICES") == "1":
            pytest.fail("BUDGET_EVAL_REQUIRE_SERVICES=1 but no PostgreSQL URL is set for the browser walk")
        pytest.skip("PostgreSQL not configured (run scripts/test.sh)")
    return seeded(tmp_path_factory.mktemp("pg-demo-seed"), _browser_schema(url))


@contextlib.contextmanager
def serve(instance: Path, demo: Path):
    """A fresh instance folder holding a copy of the demo data (database and attachments), served by gunicorn
    with two workers."""
    shutil.copytree(demo, instance, dirs_exist_ok=True)
    env = _env(instance)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "budget_eval:create_app()"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    worker = subprocess.Popen(  # the job worker beside gunicorn, as scripts/run.sh starts them
        [sys.executable, "-m", "huey.bin.huey_consumer", "budget_eval.worker.huey", "--workers", "1"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            with urllib.request.urlopen(base + "/login", timeout=1):
                break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        worker.kill()
        raise RuntimeError("gunicorn did not start: " + process.stderr.read().decode(errors="replace"))
    try:
        yield base
    finally:
        for running in (process, worker):
            running.terminate()
            try:
                running.wait(timeout=10)
            except subprocess.TimeoutExpired:  # a worker still busy after its graceful stop (a loaded machine)
                running.kill()
                running.wait(timeout=10)
        process.stderr.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory, demo_instance):
    """The demo app that the journeys share (they run in order and build on each other's steps)."""
    with serve(tmp_path_factory.mktemp("browser-instance"), demo_instance) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    require_tool("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield chromium
        chromium.close()


class Person:
    """One user in their own browser context, taking screenshots along the way."""

    def __init__(self, browser, base: str, journey: str):
        self.context = browser.new_context(viewport={"width": 1300, "height": 900}, locale="zh-CN",
                                           accept_downloads=True)
        self.page = self.context.new_page()
        self.base, self.journey, self.shots = base, journey, 0
        # every confirmation the page asks for (data-confirm, leaving a changed form) is answered 确定 and kept
        # here; a test that answers 取消 sets `answer` to False
        self.dialogs: list[str] = []
        self.answer = True
        self.page.on("dialog", self._dialog)
        SHOTS.mkdir(parents=True, exist_ok=True)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message if dialog.type != "beforeunload" else "beforeunload")
        dialog.accept() if self.answer else dialog.dismiss()

    def login(self, username: str, password: str = "Hz-Demo@2026"):
        self.page.goto(self.base + "/login")
        self.page.fill("#username", username)
        self.page.fill("#password", password)
        self.page.click("main button.primary")
        return self

    def go(self, path: str):
        self.page.goto(self.base + path)

    def shot(self, name: str) -> None:
        self.shots += 1
        self.page.screenshot(path=str(SHOTS / f"{self.journey}-{self.shots:02d}-{name}.png"), full_page=True)

    def text(self) -> str:
        self.page.wait_for_load_state("load")  # a click that navigates may return before the next page is in
        return self.page.inner_text("body")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def person(browser, server, request):
    yield from people_of(browser, server, request.node.name.removeprefix("test_"))


def people_of(browser, base: str, journey: str):
    """Each user asked for signs in, in their own browser context; all are closed afterwards."""
    people = []

    def make(username: str) -> Person:
        who = Person(browser, base, journey)
        people.append(who)
        return who.login(username)

    yield make
    for who in people:
        who.close()

