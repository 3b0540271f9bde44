"""Background jobs run by a real worker process (`huey_consumer budget_eval.worker.huey`, as scripts/run.sh and a
deployment start it), on the embedded queue (Huey on SQLite) and on the production broker (Huey on Redis, which
scripts/test.sh installs from Debian and starts on loopback): the web app and the worker share one database and one
queue. A survey import goes through end to end; a worker killed in the middle of one leaves nothing stored, and the
job's page says so in Chinese."""
from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from budget_eval.evaluation import operations as evaluation
from budget_eval.evaluation.models import SurveyResponse
from budget_eval.platform import jobs
from budget_eval.platform.domain.jobs import JobStatus
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.platform.models.audit import AuditEvent
from budget_eval.platform.models.job import Job
from tests.conftest import _empty_tables, _test_config, new_app
from tests.tools import require_tool
from tests.web.client import WebClient
from tests.web.factories import TESTER, Factory
from tests.web.test_evaluation import GOOD, survey_sheet

ROOT = Path(__file__).resolve().parents[2]
DEPARTMENTS = ("杭州市交通运输局", "杭州市城市管理局", "杭州市教育局")
WAIT_SECONDS = 120  # a deadline for the worker, never a timed assertion


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url():
    """The test command's Redis (BUDGET_EVAL_TEST_REDIS_URL), or one started here when redis-server is installed."""
    if url := os.environ.get("BUDGET_EVAL_TEST_REDIS_URL"):
        yield url
        return
    require_tool("redis-server")
    port = free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no"], stdout=subprocess.DEVNULL)
    try:
        yield f"redis://127.0.0.1:{port}/15"
    finally:
        server.terminate()
        server.wait()


@pytest.fixture(params=["embedded", "redis"])
def queue_config(request, tmp_path) -> dict:
    if request.param == "embedded":
        return {"JOBS_URL": "", "JOBS_SQLITE": tmp_path / "jobs.sqlite3"}
    return {"JOBS_URL": request.getfixturevalue("redis_url")}


@pytest.fixture
def worker_app(database_url, tmp_path, queue_config):
    """An app whose jobs go to the queue (immediate mode off), with an evaluation year and its office user."""
    config = {**_test_config(database_url, tmp_path), "JOBS_IMMEDIATE": False, **queue_config}
    app = new_app(config)
    with app.app_context():
        jobs.queue(app).huey.flush()  # nothing left over from another test on the same broker
        make = Factory()
        for name in DEPARTMENTS:
            make.department(name)
        evaluation.open_year(2026, "hangzhou", TESTER)
        office = make.user(Role.EVAL_OFFICE)
        client = WebClient(app)
        client.login(office)
        yield app, client, office
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


def start_worker(app, tmp_path) -> subprocess.Popen:
    """`huey_consumer budget_eval.worker.huey` in its own process, configured as a deployment does (environment)."""
    config = app.config
    env = {**os.environ, "DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": config["SECRET_KEY"],
           "BUDGET_EVAL_INSTANCE_PATH": str(tmp_path / "worker-instance"),
           "BUDGET_EVAL_ATTACHMENT_DIR": str(config["ATTACHMENT_DIR"]),
           "BUDGET_EVAL_JOBS_SQLITE": str(config["JOBS_SQLITE"]), "BUDGET_EVAL_JOBS_URL": config["JOBS_URL"]}
    with open(tmp_path / "worker.log", "wb") as log:  # the worker keeps its own copy of the descriptor
        return subprocess.Popen([sys.executable, "-m", "huey.bin.huey_consumer", "budget_eval.worker.huey",
                                 "--workers", "1", "--delay", "0.1", "--max-delay", "0.5"],
                                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_for(what, worker: subprocess.Popen, tmp_path):
    """Poll the database until what() is true (each poll in a fresh transaction, to see the worker's commits)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        db.session.rollback()
        if value := what():
            return value
        assert worker.poll() is None, (tmp_path / "worker.log").read_text(errors="replace")
        time.sleep(0.05)
    pytest.fail("the worker did not get there: " + (tmp_path / "worker.log").read_text(errors="replace")[-3000:])


def stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGINT)  # huey's graceful stop
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def responses() -> int:
    return db.session.scalar(select(func.count()).select_from(SurveyResponse))


def test_a_worker_process_runs_the_import_from_the_queue(worker_app, tmp_path):
    app, client, office = worker_app
    response = client.post("/evaluation/2026/survey", {"file": (io.BytesIO(survey_sheet(GOOD)), "问卷.xlsx")},
                           content_type="multipart/form-data")
    url = response.headers["Location"]
    assert "排队中" in client.text(url) and responses() == 0  # queued: the request did no work
    worker = start_worker(app, tmp_path)
    try:
        job = wait_for(lambda: (j := db.session.scalar(select(Job).where(Job.kind == "survey_import"))) and j.is_finished and j, worker, tmp_path)
    finally:
        stop(worker)
    page = client.text(url)
    assert job.state is JobStatus.DONE, job.message
    assert "已完成" in page and "导入问卷 5 行，拒收 0 行。" in page and responses() == 5
    assert job.worker and job.worker.split(":")[-1] == str(worker.pid)  # run by that process
    line = db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "import"))
    assert line.username == office.username and f"后台任务#{job.id}" in line.detail


def big_survey(respondents: int) -> bytes:
    """A survey as CSV (written in a blink), respondents × every department."""
    lines = ["受访者编号,受访者类别,被评单位,评价,意见建议"]
    lines += [f"R{r},市民代表,{d},满意," for r in range(respondents) for d in DEPARTMENTS]
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.mark.parametrize("queue_config", ["embedded"], indirect=True)
def test_a_worker_killed_mid_job_leaves_nothing_stored_and_a_chinese_message(worker_app, tmp_path):
    app, client, office = worker_app
    response = client.post("/evaluation/2026/survey", {"file": (io.BytesIO(big_survey(60_000)), "问卷.csv")},
                           content_type="multipart/form-data")
    response.request.environ["wsgi.input"].close()  # the test client spools a large body to a temporary file
    url = response.headers["Location"]
    worker = start_worker(app, tmp_path)
    try:
        # killed while it writes the rows: after its first chunk's progress (written, not committed), before the last
        wait_for(lambda: (j := db.session.scalar(select(Job).where(Job.kind == "survey_import"))) and j.done > 0,
                 worker, tmp_path)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    finally:
        stop(worker)
    page = client.text(url)  # the job's page notices that its worker is gone
    job = db.session.scalar(select(Job).where(Job.kind == "survey_import"))
    assert job.state is JobStatus.FAILED and job.message == jobs.KILLED_MESSAGE, job.message
    assert "失败" in page and jobs.KILLED_MESSAGE in page
    assert responses() == 0  # all or nothing
    assert not db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "import"))
