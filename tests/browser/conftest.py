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


def _database(instance: Path) -> str:
    """SQLite in the instance folder; or, with BUDGET_EVAL_BROWSER_PG_URL set, a fresh schema `browser` of that
    PostgreSQL database (the journeys once on PostgreSQL)."""
    pg_url = os.environ.get("BUDGET_EVAL_BROWSER_PG_URL")
    if not pg_url:
        return f"sqlite:///{instance / 'demo.sqlite3'}"
    import sqlalchemy as sa

    from tests.concurrency.server import schema_url

    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA IF EXISTS browser CASCADE; CREATE SCHEMA browser"))
    engine.dispose()
    return schema_url(pg_url, "browser")


def _env(instance: Path) -> dict[str, str]:
    """The served app's environment. On PostgreSQL the seeded schema is named in the instance folder (a copy of
    the folder then serves the same schema: the PostgreSQL walk runs the journeys, which build on each other)."""
    named = instance / "database_url"
    database = named.read_text() if named.exists() else f"sqlite:///{instance / 'demo.sqlite3'}"
    return {**os.environ, "FLASK_APP": "budget_eval", "SECRET_KEY": "browser-tests", "DATABASE_URL": database,
            "BUDGET_EVAL_ATTACHMENT_DIR": str(instance / "attachments"),
            "BUDGET_EVAL_JOBS_SQLITE": str(instance / "jobs.sqlite3")}


@pytest.fixture(scope="session")
def demo_instance(tmp_path_factory) -> Path:
    """The demo data, migrated and seeded once: each served instance starts from a copy of this folder."""
    require_tool("chromium")
    instance = tmp_path_factory.mktemp("demo-seed")
    database = _database(instance)
    if not database.startswith("sqlite"):
        (instance / "database_url").write_text(database)
    flask = [sys.executable, "-m", "flask"]
    subprocess.run([*flask, "db", "upgrade"], env=_env(instance), check=True, capture_output=True, cwd=ROOT)
    subprocess.run([*flask, "seed-demo"], env=_env(instance), check=True, capture_output=True, cwd=ROOT)
    return instance


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
        SHOTS.mkdir(parents=True, exist_ok=True)

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
    people = []

    def make(username: str) -> Person:
        who = Person(browser, server, request.node.name.removeprefix("test_"))
        people.append(who)
        return who.login(username)

    yield make
    for who in people:
        who.close()

