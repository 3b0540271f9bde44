"""The real app served by gunicorn on loopback, on its own PostgreSQL schema with the demo data.

The schema (not the test database's public schema, which the web tests empty and drop) keeps the harness
apart from every other test in the same run. Migrations and the demo data go in through the app's own
commands (`db upgrade`, `seed-demo`) and the server is `gunicorn 'budget_eval:create_app(...)'`, as in
production.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import sqlalchemy as sa
from gunicorn.config import KNOWN_SETTINGS

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = "concurrency"
WORKERS = os.environ.get("BUDGET_EVAL_CONC_WORKERS", "3")
# 3 workers × 3 threads (gthread): all 8 posts of a race are in the app at once; 1 gives sync workers
THREADS = os.environ.get("BUDGET_EVAL_CONC_THREADS_PER_WORKER", "3")
CONFIG = {"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "SECRET_KEY": "concurrency-harness"}  # many sign-ins


def schema_url(pg_url: str, schema: str = SCHEMA) -> str:
    """The same database with `schema` first on the search path of every connection."""
    url = sa.make_url(pg_url).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def app_spec(instance: Path) -> str:
    """The app factory with cheap password hashing (many sign-ins) and a private instance folder."""
    return f"budget_eval:create_app({ {**CONFIG, 'INSTANCE_PATH': str(instance)}!r})"


def environment(url: str, instance: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url,
            "BUDGET_EVAL_ATTACHMENT_DIR": str(instance / "attachments"), "PYTHONUNBUFFERED": "1",
            "PYTHONFAULTHANDLER": "1"}  # a worker that crashes leaves its threads' tracebacks in the log


def prepare(pg_url: str, instance: Path) -> str:
    """A fresh schema, migrated and seeded with the demo data (`flask db upgrade`, `flask seed-demo`)."""
    from flask_migrate import upgrade

    from budget_eval import create_app

    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; CREATE SCHEMA {SCHEMA}"))
    engine.dispose()
    url = schema_url(pg_url)
    app = create_app({**CONFIG, "INSTANCE_PATH": instance, "SQLALCHEMY_DATABASE_URI": url,
                      "ATTACHMENT_DIR": instance / "attachments"})
    with app.app_context():
        upgrade()
        result = app.test_cli_runner().invoke(args=["seed-demo"])
        if result.exit_code:
            raise RuntimeError(f"flask seed-demo failed:\n{result.output}")
        database = app.extensions["sqlalchemy"]
        database.session.remove()
        database.engine.dispose()
    return url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with several workers; its log (tracebacks of any 500) is kept to quote in failures."""

    def __init__(self, url: str, instance: Path):
        self.log_path = instance / "gunicorn.log"
        self.log = self.log_path.open("w")
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        threads = ["-k", "gthread", "--threads", THREADS] if THREADS != "1" else []
        if any(setting.name == "control_socket" for setting in KNOWN_SETTINGS):  # gunicorn ≥ 25
            threads.append("--no-control-socket")  # else every gunicorn on the machine shares ~/.gunicorn
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", WORKERS, *threads, "--preload", "-b", f"127.0.0.1:{port}",
             "--timeout", "120", "--graceful-timeout", "2", app_spec(instance)],
            env=environment(url, instance), cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
        )
        self._wait()

    def _wait(self) -> None:
        for _ in range(300):
            try:
                with urllib.request.urlopen(self.base + "/login", timeout=2):
                    return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("gunicorn did not start:\n" + self.log_path.read_text())

    def log_offset(self) -> int:
        return self.log_path.stat().st_size

    def errors_since(self, offset: int) -> list[str]:
        """The exception lines the server logged since `offset` (the last line of each traceback)."""
        with self.log_path.open(errors="replace") as log:
            log.seek(offset)
            lines = log.read().splitlines()
        return sorted({line.strip()[:300] for line in lines
                       if line and not line.startswith((" ", "\t", "[", "Traceback"))
                       and ("Error" in line.split(":")[0] or "Exception" in line.split(":")[0])})

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # quick shutdown; the races are over
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
