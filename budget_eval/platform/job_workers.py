"""The worker's side of a running job (platform/jobs.py): who runs it ("host:pid"), whether that process is alive,
its heartbeat on a connection of its own, and the progress it reports while the work's transaction is open."""
from __future__ import annotations

import logging
import os
import socket
import threading
from pathlib import Path

from sqlalchemy import update

from budget_eval.platform.extensions import db, sqlite_write_locked
from budget_eval.platform.models.job import Job
from budget_eval.platform.models.types import utcnow

log = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 30  # a running job's worker says it is alive this often (not on SQLite: one machine)


def worker_identity() -> str:
    """This process, as a job records its worker: "host:pid"."""
    return f"{socket.gethostname()}:{os.getpid()}"


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    try:  # a killed child its parent has not reaped yet is a zombie: dead all the same
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


class Heartbeat:
    """While a job runs, its heartbeat_at is written every HEARTBEAT_SECONDS on a connection of its own (not on
    SQLite: its one writer is the job, and an embedded queue has no other machine to tell)."""

    def __init__(self, job_id: int):
        self.job_id, self.engine = job_id, db.engine
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None
        if self.engine.dialect.name != "sqlite":
            self.thread = threading.Thread(target=self._run, name=f"job-{job_id}-heartbeat", daemon=True)
            self.thread.start()

    def _run(self) -> None:
        table = Job.__table__
        while not self.stopped.wait(HEARTBEAT_SECONDS):
            try:
                with self.engine.begin() as connection:
                    connection.execute(update(table).where(table.c.id == self.job_id).values(heartbeat_at=utcnow()))
            except Exception:  # noqa: BLE001 - a missed beat is only late; the next one tries again
                log.warning("job %s: heartbeat not written", self.job_id, exc_info=True)

    def stop(self) -> None:
        self.stopped.set()


class Reporter:
    """progress(done, total=None, message=None): written at once on its own connection, so the job page sees
    it while the work's transaction is still open. SQLite allows one writer at a time: a tick while the work
    holds its write transaction is written with that transaction instead (seen when it commits)."""

    def __init__(self, job_id: int):
        self.job_id = job_id

    def __call__(self, done: int, total: int | None = None, message: str | None = None) -> None:
        values: dict = {"done": done, "heartbeat_at": utcnow()}
        if total is not None:
            values["total"] = total
        if message is not None:
            values["message"] = message
        statement = update(Job.__table__).where(Job.__table__.c.id == self.job_id).values(values)
        if sqlite_write_locked():
            db.session.execute(statement)
        else:
            with db.engine.begin() as connection:
                connection.execute(statement)
