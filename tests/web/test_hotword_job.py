"""十大热词 as a background job (issue 22): no request segments a comment; the page shows 「十大热词正在计算」 with the
job's progress (or, with none queued, 「尚未计算」 and the office's 「重新计算」); one job per year at a time, decided
by the database; the job's audit line names who started it."""
import io

import pytest
from sqlalchemy import func, insert, select

from budget_eval.evaluation import hotword_job, versions
from budget_eval.evaluation import operations as evaluation
from budget_eval.evaluation.domain.hotwords import Segmenter
from budget_eval.evaluation.domain.states import YearStatus
from budget_eval.evaluation.models import SurveyResponse
from budget_eval.evaluation.survey_import import import_responses, read_responses
from budget_eval.platform import jobs
from budget_eval.platform.domain.jobs import JobStatus
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.platform.models.audit import AuditEvent
from budget_eval.platform.models.job import Job
from tests.web.client import WebClient
from tests.web.factories import TESTER
from tests.web.test_evaluation import GOOD, survey_sheet

HOT = "/evaluation/2026/hotwords"
SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # the race test runs on both


@pytest.fixture
def year(app, make):
    """A year whose comments were imported in set-up (its hot words computed there), and the office signed in."""
    departments = [make.department(name) for name in ("杭州市交通运输局", "杭州市城市管理局", "杭州市教育局")]
    record = evaluation.open_year(2026, "hangzhou", TESTER)
    import_responses(record, read_responses(io.BytesIO(survey_sheet(GOOD)), "s.xlsx"),
                     evaluation.scheme_of(record).survey, TESTER)
    office = make.user(Role.EVAL_OFFICE)
    client = WebClient(app)
    client.login(office)
    return record, office, client, departments




@pytest.fixture
def segmented(monkeypatch):
    """How many comments the segmenter was asked to read."""
    calls = []
    terms = Segmenter.terms
    monkeypatch.setattr(Segmenter, "terms", lambda self, text: calls.append(text) or terms(self, text))
    return calls


def new_comment(record, department, text="公交车太少，等车时间长"):
    """A comment written past every action that queues the job (no job follows it), raising the year's versions as
    every writer of the comments must: the stored analysis no longer matches."""
    db.session.add(SurveyResponse(year_id=record.id, respondent="R9", group="市民代表", department_id=department.id,
                                  answer="满意", comment=text))
    versions.bump(record.id)
    db.session.commit()


def hot_jobs() -> list[Job]:
    db.session.expire_all()
    return list(db.session.scalars(select(Job).where(Job.kind == hotword_job.KIND).order_by(Job.id)))


@SQLITE
def test_no_request_computes_the_hot_words_the_office_starts_the_job_and_the_page_follows_it(
        app, make, year, queued, segmented):
    record, office, client, departments = year
    assert "<strong>地铁</strong>" in client.text(HOT)  # computed when the set-up imported the comments
    new_comment(record, departments[0])
    unit = next(u for u in record.units if u.department_id == departments[0].id)
    # not stored for the present comments, no job queued: every page says so, and none segments a comment
    page = client.text(HOT)
    assert "十大热词尚未计算" in page and ">重新计算</button>" in page and "data-refresh" not in page
    for url in (f"{HOT}.xlsx", f"{HOT}/comments?word=地铁", "/evaluation/2026/feedback-report.docx"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].endswith(HOT), url
    assert "正在计算" in client.text(HOT)  # the redirect's message
    assert "跟踪督办" in client.text("/evaluation/2026/supervision")
    assert "本单位意见条数和热词正在计算" in client.text(f"/evaluation/units/{unit.id}")
    assert segmented == []
    # 「重新计算」: one job, in the office user's name; pressing it again while it waits queues no second one
    client.post(f"{HOT}/recompute", {})
    again = client.post(f"{HOT}/recompute", {}, follow_redirects=True).get_data(as_text=True)
    assert "十大热词已在计算中" in again
    [job] = hot_jobs()
    assert job.state is JobStatus.QUEUED and job.user_id == office.id and queued.pending_count() == 1
    page = client.text(HOT)
    assert "十大热词正在计算" in page and 'data-refresh="2"' in page and "<progress" in page
    assert "重新计算</button>" not in page and segmented == []
    # the worker runs it: progress in distinct comments segmented, the analysis stored, the page shows it
    queued.execute(queued.dequeue())
    [job] = hot_jobs()
    assert job.state is JobStatus.DONE and job.total == job.done > 0 and "十大热词已计算" in job.message
    assert segmented  # in the worker
    segmented.clear()
    page = client.text(HOT)
    assert "<strong>地铁</strong>" in page and "十大热词尚未计算" not in page and segmented == []
    assert 'data-confirm="重新计算将用新的结果替换' in page  # replacing a stored result asks first
    # audited with its actor: the user who pressed the button, naming the job
    line = db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "hotwords")
                             .order_by(AuditEvent.id.desc()).limit(1))
    assert line.username == office.username and line.user_id == office.id
    assert line.detail.startswith(f"计算十大热词（后台任务#{job.id}）：意见 4 条") and "地铁" in line.detail


@SQLITE
def test_the_office_confirming_comments_queues_the_job_in_its_name(app, year, queued, segmented):
    record, office, client, departments = year
    first = db.session.scalar(select(SurveyResponse).where(SurveyResponse.comment == "地铁太挤"))
    client.post("/evaluation/2026/feedback", {"id": str(first.id), "department": str(departments[1].id)})
    client.post("/evaluation/2026/feedback", {"step": "all"})
    [job] = hot_jobs()  # two changes while it waits: one job
    assert job.user_id == office.id and job.state is JobStatus.QUEUED and segmented == []
    assert "十大热词正在计算" in client.text(HOT)  # the re-routing changed what the stored analysis was of


def test_one_job_per_year_even_when_two_requests_look_at_once(app, make, year, queued, monkeypatch):
    """The look before the insert is no guard: the database's partial unique index is. A second request that
    looked before the first committed meets it and gets the first job."""
    record, office, _, _ = year
    first, started = hotword_job.start(record, office)
    assert started
    looks = []
    real = jobs._active
    monkeypatch.setattr(jobs, "_active", lambda single: real(single) if looks.append(single) or len(looks) > 1
                        else None)  # the first look sees nothing, as a request that looked a moment earlier
    second, started = hotword_job.start(record, make.user(Role.EVAL_OFFICE))
    assert not started and second.id == first.id and len(hot_jobs()) == 1
    # a finished job no longer holds the year: the next change queues a new one
    queued.execute(queued.dequeue())
    third, started = hotword_job.start(record, office)
    assert started and third.id != first.id and [j.id for j in hot_jobs()] == [first.id, third.id]
    # the index itself: a second queued row for the same year is refused by the database
    with pytest.raises(Exception):
        db.session.execute(insert(Job).values(kind=hotword_job.KIND, title="x", status="queued", params={},
                                              done=0, total=0, message="", back_url="", user_id=office.id,
                                              single=hotword_job.single(record)))
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Job).where(
        Job.single == hotword_job.single(record), Job.status.in_(["queued", "running"]))) == 1


@SQLITE
def test_a_failed_job_says_why_and_others_only_read(app, make, year, queued, monkeypatch):
    record, office, client, departments = year
    new_comment(record, departments[0])
    job, _ = hotword_job.start(record, office)
    monkeypatch.setattr(hotword_job, "compute", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("a bug")))
    queued.execute(queued.dequeue())
    page = client.text(HOT)
    assert "十大热词计算失败" in page and jobs.FAILED_MESSAGE in page and ">重新计算</button>" in page
    record.status = YearStatus.PUBLISHED.value  # finance may read a published year's hot words, never start their job
    db.session.commit()
    finance = WebClient(app)
    finance.login(make.user(Role.REVIEWER))
    page = finance.text(HOT)
    assert "十大热词计算失败" in page and "重新计算</button>" not in page
    assert finance.post(f"{HOT}/recompute", {}).status_code == 403


@SQLITE
def test_a_restore_computes_the_hot_words_on_the_command_line(app, year, tmp_path):
    """A backup leaves the derived figures out; `flask restore` computes every year's hot words itself."""
    from tests.conftest import _empty_tables
    from budget_eval.evaluation.hotwords import year_hot_words
    from budget_eval.evaluation.models import EvaluationYear

    runner = app.test_cli_runner()
    archive = tmp_path / "backup.tar.gz"
    assert runner.invoke(args=["backup", "-o", str(archive)]).exit_code == 0
    db.session.remove()
    _empty_tables()
    result = runner.invoke(args=["restore", str(archive)])
    assert result.exit_code == 0, result.output
    assert "已计算2026年度十大热词" in result.output
    record = db.session.scalar(select(EvaluationYear).where(EvaluationYear.year == 2026))
    assert "地铁" in [w.word for w in year_hot_words(record).city.criticism]
    line = db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "hotwords").order_by(AuditEvent.id.desc()))
    assert line.username.startswith("命令行 restore")
