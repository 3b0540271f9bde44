"""Background jobs (platform/jobs.py): the survey import runs as one, a failing task fails its job with a message,
and with immediate mode off the job waits in the queue until a worker runs it."""
import io
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select

from budget_eval.evaluation import operations as evaluation
from budget_eval.evaluation.models import SurveyResponse
from budget_eval.platform import jobs
from budget_eval.platform.domain.jobs import JobStatus
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.platform.models.audit import AuditEvent
from budget_eval.platform.models.history import StateEvent
from budget_eval.platform.models.job import Job
from tests.web.client import WebClient
from tests.web.test_evaluation import BAD, GOOD, survey_sheet
from tests.web.factories import TESTER


@pytest.fixture
def year(app, make):
    departments = [make.department(name) for name in ("杭州市交通运输局", "杭州市城市管理局", "杭州市教育局")]
    evaluation.open_year(2026, "hangzhou", TESTER)
    office = make.user(Role.EVAL_OFFICE)
    client = WebClient(app)
    client.login(office)
    return client, office, departments


def post_survey(client, rows):
    return client.post("/evaluation/2026/survey", {"file": (io.BytesIO(survey_sheet(rows)), "问卷.xlsx")},
                       content_type="multipart/form-data")


def signed_in(app, user) -> WebClient:
    client = WebClient(app)
    client.login(user)
    return client


def test_a_survey_import_runs_as_a_job_for_its_owner_only(app, make, year):
    client, office, departments = year
    response = post_survey(client, GOOD + BAD)
    url = response.headers["Location"]
    page, result = client.job(response)
    assert "已完成" in page and "导入问卷 5 行，拒收 5 行。" in page and "http-equiv=\"refresh\"" not in page
    assert "下载2026年度问卷_拒收行.xlsx" in page
    rejected = pd.read_excel(io.BytesIO(result), engine="calamine")
    assert list(rejected["受访者编号"].fillna("")) == ["R4", "R5", "R6", "R1", ""] and "原因" in rejected
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 5
    job = db.session.scalar(select(Job).where(Job.kind == "survey_import"))  # (it queued the hot words' job too)
    assert job.state is JobStatus.DONE and job.user_id == office.id and job.done == job.total == 10  # rows read
    assert job.started_at and job.finished_at and job.params["file_key"]
    assert not any(Path(app.config["ATTACHMENT_DIR"]).rglob(job.params["file_key"]))  # the upload is gone
    # the import is audited with the user who started it; every step of the job is in its history
    line = db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "import"))
    assert line.username == office.username
    assert line.detail == f"导入问卷“问卷.xlsx”（后台任务#{job.id}）：共 10 行，导入 5 行，拒收 5 行"
    assert db.session.scalars(select(StateEvent.action).where(StateEvent.lifecycle == "job",
                                                              StateEvent.record_id == job.id)
                              .order_by(StateEvent.id)).all() == ["create", "start", "finish"]
    # the import queued the year's hot words in the importer's name (a job of its own)
    hot = db.session.scalar(select(Job).where(Job.kind == "hotwords"))
    assert hot.user_id == office.id and hot.state is JobStatus.DONE
    # the admin may look; another office user, a department's staff and an expert may not (404: no such job)
    assert signed_in(app, make.user(Role.ADMIN)).get(url).status_code == 200
    for stranger in (make.user(Role.EVAL_OFFICE), make.user(Role.DEPARTMENT, departments[0]),
                     make.user(Role.EXPERT)):
        other = signed_in(app, stranger)
        assert other.get(url).status_code == 404 and other.get(url + "/result").status_code == 404
    assert WebClient(app).get(url).headers["Location"].startswith("/login")


def test_a_bad_file_fails_its_job_with_the_readers_message(year):
    client, _, _ = year
    response = client.post("/evaluation/2026/survey", {"file": (io.BytesIO(b"not a spreadsheet"), "问卷.xlsx")},
                           content_type="multipart/form-data")
    page, result = client.job(response)
    job = db.session.scalar(select(Job).where(Job.kind == "survey_import"))
    assert job.state is JobStatus.FAILED and job.message and job.message != jobs.FAILED_MESSAGE
    assert "失败" in page and job.message in page and result is None


@pytest.fixture
def failing_kinds(app):
    def broken(job, progress):
        progress(1, 4, "第一步")
        raise RuntimeError("a bug")

    def refused(job, progress):
        raise jobs.JobError("文件中没有可导入的数据")

    jobs.register(app, "test_broken", broken)
    jobs.register(app, "test_refused", refused)
    yield
    for kind in ("test_broken", "test_refused"):
        jobs.queue(app).kinds.pop(kind)


def test_a_failing_task_fails_its_job_with_a_chinese_message(app, make, failing_kinds, caplog):
    user = make.user(Role.EVAL_OFFICE)
    broken = jobs.start("test_broken", "测试任务", user, {})
    refused = jobs.start("test_refused", "测试任务", user, {})
    db.session.expire_all()
    assert broken.state is JobStatus.FAILED and broken.message == jobs.FAILED_MESSAGE and broken.finished_at
    assert broken.done == 1 and broken.total == 4  # how far it got
    assert "job %s (%s) failed" % (broken.id, "test_broken") in caplog.text  # the traceback is logged
    assert refused.state is JobStatus.FAILED and refused.message == "文件中没有可导入的数据"
    assert db.session.scalars(select(StateEvent.action).where(StateEvent.record_id == broken.id,
                                                              StateEvent.lifecycle == "job")
                              .order_by(StateEvent.id)).all() == ["create", "start", "fail"]
    jobs.execute(broken.id)  # delivered again: a finished job is not run twice
    db.session.expire_all()
    assert broken.state is JobStatus.FAILED




def test_with_immediate_mode_off_the_job_waits_for_the_worker(year, queued):
    client, _, _ = year
    response = post_survey(client, GOOD)
    page = client.text(response.headers["Location"])
    assert "排队中" in page and 'http-equiv="refresh"' in page  # the page refreshes itself, no inline script
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 0
    assert queued.pending_count() == 1
    queued.execute(queued.dequeue())  # what huey_consumer does
    assert queued.pending_count() == 1  # the import queued the year's hot words: the worker's next job
    queued.execute(queued.dequeue())
    assert queued.pending_count() == 0
    assert db.session.scalar(select(Job.status).where(Job.kind == "hotwords")) == JobStatus.DONE.value
    page, result = client.job(response)
    assert "已完成" in page and "导入问卷 5 行，拒收 0 行。" in page and result is None
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 5
