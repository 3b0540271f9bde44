"""Background jobs: long work (imports, packs, recomputation) runs in a worker with progress, never in a request.

The queue is Huey, chosen by configuration: `SqliteHuey` in instance/jobs.sqlite3 by default (embedded; the run
command starts `huey_consumer budget_eval.worker.huey` beside gunicorn), `RedisHuey` when JOBS_URL
(BUDGET_EVAL_JOBS_URL) is redis://… (production), and immediate mode (the task runs at once, inside the request,
on Huey's memory storage) under TESTING unless JOBS_IMMEDIATE says otherwise.

A feature registers each kind of job from its init_app (`register(app, kind, handler, expected=…)`). `start(...)`
adds a Job through the one status writer, commits and enqueues its id; one Huey task, `run_job(job_id)`, runs
every kind: handler(job, progress) → finish with its message and file; any exception fails the job in Chinese.

All or nothing: a handler writes in the session's one transaction and the job commits it when it finishes, so a
job that fails, or whose worker is killed, stores nothing. A killed worker cannot say so itself: the job records
its worker ("host:pid") when it starts and, on a shared database other than SQLite, a heartbeat every
HEARTBEAT_SECONDS (platform/job_workers.py); the job's page (`check_alive`) fails a running job whose worker process is gone on this
machine, or whose heartbeat is older than STALE_AFTER, with KILLED_MESSAGE.
"""
from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from typing import TYPE_CHECKING

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from budget_eval.platform import file_store, lifecycle
from budget_eval.platform.job_workers import Heartbeat, process_alive, Reporter, worker_identity
from budget_eval.platform.audit import Actor, system
from budget_eval.platform.domain.jobs import JOB, WORKER, JobStatus
from budget_eval.platform.domain.lifecycle import TransitionError
from budget_eval.platform.extensions import db
from budget_eval.platform.models.job import Job
from budget_eval.platform.models.types import utcnow

if TYPE_CHECKING:
    from huey import Huey

EXTENSION = "jobs"
FAILED_MESSAGE = "任务执行出错，错误已记录，请联系系统管理员"
KILLED_MESSAGE = ("执行本任务的后台进程意外终止（服务器重启或进程被结束），任务已中止，没有保存任何数据。"
                  "请重新提交。")
STALE_AFTER = timedelta(minutes=10)  # a running job silent this long, on another machine, has lost its worker
log = logging.getLogger(__name__)


class JobError(Exception):
    """A failure the user can act on: its message is Chinese and shown on the job page as it is."""


@dataclass(frozen=True)
class Outcome:
    """What a finished job says, and the file it leaves for download (if any)."""

    message: str
    result: bytes | None = None
    result_name: str | None = None


Progress = Callable[..., None]  # progress(done, total=None, message=None)
Handler = Callable[[Job, Progress], Outcome]


@dataclass
class Kind:
    handler: Handler
    expected: tuple[type[Exception], ...] = ()  # errors whose message is for the user


class Jobs:
    """The app's queue and its kinds of job. The Huey queue is built on first use, not at start-up: importing huey
    imports the redis client (about a second on a busy machine), which a web process needs only when it starts a
    job."""

    def __init__(self, app: Flask, run_job: Callable[[int], None]):
        self.app, self.run_job = app, run_job
        self.kinds: dict[str, Kind] = {}
        self._huey: Huey | None = None
        self._task: Callable | None = None
        self._lock = threading.Lock()
        self._more: list[Callable[[Huey], None]] = []

    def add_tasks(self, register: Callable[[Huey], None]) -> None:
        """Another Huey task on this queue, registered when the queue is first built (Huey is imported then,
        not at start-up); the worker builds the queue before it consumes, so it knows every task."""
        with self._lock:
            self._more.append(register)
            if self._huey is not None:
                register(self._huey)

    @property
    def huey(self) -> Huey:
        with self._lock:
            if self._huey is None:
                self._huey = make_huey(self.app)
                self._task = self._huey.task()(self.run_job)
                for register in self._more:
                    register(self._huey)
            return self._huey

    @property
    def task(self) -> Callable:
        self.huey  # noqa: B018 - builds the queue and its task
        assert self._task is not None
        return self._task


def make_huey(app: Flask) -> Huey:
    """The queue this configuration asks for (see the module's docstring)."""
    from huey import RedisHuey, SqliteHuey

    url = app.config.get("JOBS_URL") or ""
    immediate = app.config.get("JOBS_IMMEDIATE")
    if immediate is None:
        immediate = bool(app.config.get("TESTING"))
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("budget_eval", url=url, immediate=immediate, results=False)
    if url:
        raise ValueError(f"BUDGET_EVAL_JOBS_URL 只支持 redis://…（未设置时使用 instance/jobs.sqlite3）：{url}")
    path = Path(app.config["JOBS_SQLITE"])
    return SqliteHuey("budget_eval", filename=str(path), immediate=immediate, results=False)


def init_app(app: Flask) -> None:
    def run_job(job_id: int) -> None:
        with app.app_context():  # its own session: in immediate mode too, the request's stays as it was
            execute(job_id)

    app.extensions[EXTENSION] = Jobs(app, run_job)


def queue(app: Flask | None = None) -> Jobs:
    return (app or current_app).extensions[EXTENSION]


def register(app: Flask, kind: str, handler: Handler, expected: tuple[type[Exception], ...] = ()) -> None:
    """A feature's kind of job (called from its init_app)."""
    queue(app).kinds[kind] = Kind(handler, (JobError, *expected))


def start(kind: str, title: str, user, params: dict, back_url: str = "") -> Job:
    """Add the job (queued, with history and audit), commit, and hand its id to the queue."""
    if kind not in queue().kinds:
        raise KeyError(f"unknown job kind {kind}")
    job = Job(kind=kind, title=title[:200], params=params, back_url=back_url[:200], user_id=user.id,
              message="排队等待执行")
    db.session.add(job)
    db.session.flush()  # its id names it in the history and the audit line
    lifecycle.create(job, JOB, user, subject=_subject(job))
    db.session.commit()
    queue().task(job.id)
    return job


def start_once(kind: str, title: str, user, params: dict, single: str, back_url: str = "") -> tuple[Job, bool]:
    """`start`, unless a job doing the same work (`single`) is queued or running: then that one, untouched.
    Returns (the job, whether it was started now). The database decides (a partial unique index over the queued
    and running jobs, `uq_job_single_active`), so of two requests starting it at once one job is queued. Call it
    with nothing else pending in the session: it commits, or on a lost race rolls back."""
    active = _active(single)
    if active is not None:
        return active, False
    if kind not in queue().kinds:
        raise KeyError(f"unknown job kind {kind}")
    job = Job(kind=kind, title=title[:200], params=params, back_url=back_url[:200], user_id=user.id,
              message="排队等待执行", single=single[:80])
    try:
        db.session.add(job)
        db.session.flush()
    except IntegrityError:  # another request queued it between the look and the insert
        db.session.rollback()
        active = _active(single)
        if active is None:  # not that race (or the other job already ended): a real error
            raise
        return active, False
    lifecycle.create(job, JOB, user, subject=_subject(job))
    db.session.commit()
    queue().task(job.id)
    return job, True


def active_job(single: str) -> Job | None:
    """The queued or running job doing this work, if any."""
    return _active(single)


def latest_job(single: str) -> Job | None:
    """The last job started for this work (running, queued, done or failed), if any."""
    return db.session.scalar(select(Job).where(Job.single == single).order_by(Job.id.desc()).limit(1))


def _active(single: str) -> Job | None:
    return db.session.scalar(select(Job).where(Job.single == single,
                                               Job.status.in_([JobStatus.QUEUED.value, JobStatus.RUNNING.value]))
                             .order_by(Job.id).limit(1))


def execute(job_id: int) -> None:
    """Run one job: what the worker does for every kind."""
    job = db.session.get(Job, job_id)
    if job is None:
        log.warning("job %s not found", job_id)
        return
    try:
        lifecycle.apply(job, JOB, "start", _worker(job), {WORKER}, subject=_subject(job))
    except TransitionError:  # delivered twice, or already failed: nothing to do
        db.session.rollback()
        log.warning("job %s is not queued; not run again", job_id)
        return
    job.started_at, job.message = utcnow(), "正在执行"
    job.worker, job.heartbeat_at = worker_identity(), job.started_at
    db.session.commit()
    kind = queue().kinds.get(job.kind)
    beat = Heartbeat(job_id)
    try:
        if kind is None:
            raise LookupError(f"no handler for job kind {job.kind}")
        outcome = kind.handler(job, Reporter(job_id))
        beat.stop()
        _finish(job_id, outcome)
    except Exception as exc:  # noqa: BLE001 - every failure ends the job
        beat.stop()
        db.session.rollback()
        if kind is not None and isinstance(exc, kind.expected):
            message = str(exc)
        else:
            log.exception("job %s (%s) failed", job_id, job.kind)
            message = FAILED_MESSAGE
        fail(job_id, message)


def _finish(job_id: int, outcome: Outcome) -> None:
    job = db.session.get(Job, job_id)
    if outcome.result is not None:
        stored = file_store.keep_bytes(outcome.result, outcome.result_name or "结果")
        job.result_key, job.result_name = stored.key, stored.filename
    lifecycle.apply(job, JOB, "finish", _worker(job), {WORKER}, subject=_subject(job), note=outcome.message)
    job.message, job.finished_at = outcome.message, utcnow()
    job.done = max(job.done, job.total)
    db.session.commit()


def fail(job_id: int, message: str) -> None:
    """Mark the job failed with a Chinese message (its own transaction; a finished job stays as it is)."""
    try:
        job = db.session.get(Job, job_id)
        if job is None or job.is_finished:
            return
        lifecycle.apply(job, JOB, "fail", _worker(job), {WORKER}, subject=_subject(job), note=message)
        job.message, job.finished_at = message[:2000], utcnow()
        db.session.commit()
    except Exception:  # noqa: BLE001 - the database itself is failing: the log is all that is left
        db.session.rollback()
        log.exception("job %s could not be marked failed", job_id)


def check_alive(job: Job) -> bool:
    """Fail a running job whose worker is gone (killed mid-job, machine restarted) with KILLED_MESSAGE: nothing
    it wrote was committed. The worker on this machine is asked directly (its process id); one on another
    machine by its heartbeat. Returns whether the job was failed (the job's page calls this on each view)."""
    if job.state is not JobStatus.RUNNING or not job.worker:
        return False
    host, _, pid = job.worker.rpartition(":")
    if host == socket.gethostname():
        gone = not process_alive(int(pid))
    else:
        gone = (job.heartbeat_at or job.started_at or utcnow()) < utcnow() - STALE_AFTER
    if gone:
        log.error("job %s: its worker %s is gone; failed", job.id, job.worker)
        fail(job.id, KILLED_MESSAGE)
        db.session.refresh(job)
    return gone


def _worker(job: Job) -> Actor:
    """The actor of the worker's steps: the system task itself, named with the job and who started it."""
    return system(f"后台任务#{job.id}（{job.user.username}发起）")


def _subject(job: Job) -> str:
    return f"{job.title}（任务#{job.id}）"
