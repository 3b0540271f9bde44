"""The versions of a year's comments (evaluation/versions.py, issue 22): every writer of the comments raises them in
its own transaction, the stored hot words are keyed by them, and the job never stores what it read under a version
newer than what it read."""
import pytest
from sqlalchemy import func, select

from budget_eval.evaluation import hotword_job, versions
from budget_eval.evaluation.hotwords import HOTWORDS, year_hot_words
from budget_eval.evaluation.models import SurveyResponse
from budget_eval.platform.extensions import db
from budget_eval.platform.models.derived import DerivedFigure
from tests.web.factories import TESTER
from tests.web.test_hotword_job import HOT, year  # noqa: F401 (fixture)

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def comment(text: str) -> SurveyResponse:
    return db.session.scalar(select(SurveyResponse).where(SurveyResponse.comment == text))


def now(record) -> tuple[int, int]:
    db.session.expire_all()
    return tuple(versions.current(record.id))


def test_every_writer_of_the_comments_raises_the_versions(app, year):
    record, office, client, departments = year
    assert now(record) == (1, 1)  # the set-up's import
    first, second, third = comment("地铁太挤"), comment("垃圾分类要加强"), comment("拥堵严重，地铁换乘不便")
    city = year_hot_words(record)
    client.post("/evaluation/2026/feedback", {"id": str(first.id)})  # 确认: only the 反馈确认 state
    assert now(record) == (1, 2)
    assert year_hot_words(record) == city  # the city's words read no 反馈确认 state: still stored
    client.post("/evaluation/2026/feedback", {"id": str(second.id), "department": str(departments[0].id)})  # 改派
    assert now(record) == (2, 3)
    client.post("/evaluation/2026/feedback", {"id": str(third.id), "step": "merge", "target": str(first.id)})
    assert now(record) == (3, 4)
    client.post("/evaluation/2026/feedback", {"step": "all"})  # 确认全部 (no pending left: still a write)
    assert now(record) == (3, 5)
    # a refused step raises nothing (it rolls back with everything else)
    client.post("/evaluation/2026/feedback", {"id": str(third.id), "step": "merge", "target": str(first.id)})
    assert now(record) == (3, 5)


def test_the_unit_page_reads_its_count_and_words_from_the_store(app, year):
    record, office, client, departments = year
    transport, _, education = (next(u for u in record.units if u.department_id == d.id) for d in departments)
    page = client.text(f"/evaluation/units/{transport.id}")
    assert "社会评价意见（2条）" in page and "正在计算" not in page
    page = client.text(f"/evaluation/units/{education.id}")  # no comment: an empty result stored, never waiting
    assert "社会评价意见（0条）" in page and "正在计算" not in page and "暂无意见建议" in page


def test_a_change_committed_while_the_job_reads_is_read_again(app, year, monkeypatch):
    """The version is read first, the comments after: a comment added (and the version raised) while the job reads
    makes it read again; what it read the first time is stored only under the older version's key, which no page
    asks for any more, and is forgotten."""
    record, office, client, departments = year
    real, reads = hotword_job.year_comments, []

    def reading(year_record):
        found = real(year_record)
        reads.append(len(found))
        if len(reads) == 1:  # another request commits a new comment meanwhile
            db.session.add(SurveyResponse(year_id=record.id, respondent="R8", group="市民代表",
                                          department_id=departments[0].id, answer="满意", comment="公交车太少"))
            versions.bump(record.id)
            db.session.commit()
        return found

    monkeypatch.setattr(hotword_job, "year_comments", reading)
    before = now(record)
    analysis = hotword_job.compute(record, TESTER)
    db.session.commit()
    assert reads == [3, 4] and analysis.comments == 4 and now(record) == (before[0] + 1, before[1] + 1)
    assert year_hot_words(record).comments == 4
    keys = db.session.scalars(select(DerivedFigure.key).where(DerivedFigure.kind == HOTWORDS)).all()
    assert len(keys) == 2 + 2 * len(record.units)  # the older version's figures forgotten (the analysis, its ids)
    assert all(f":c{before[0]}:" not in k and f":f{before[1]}:" not in k for k in keys)


def test_a_year_without_comments_waits_for_nothing(app, make):
    from budget_eval.evaluation import operations as evaluation

    make.department("杭州市交通运输局")
    record = evaluation.open_year(2026, "hangzhou", TESTER)
    analysis = year_hot_words(record)
    assert analysis is not None and analysis.comments == 0
    assert db.session.scalar(select(func.count()).select_from(DerivedFigure)) == 0
