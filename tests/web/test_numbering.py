"""文号 from the per-year counter: given once per notice, in sequence per issuing year, and a notice numbered
by a concurrent request keeps that number (no gap, no duplicate)."""
from sqlalchemy import select, text

from budget_eval.platform.extensions import db
from budget_eval.platform.models.numbering import DocumentCounter
from budget_eval.evaluation.models import EvaluationYear
from budget_eval.evaluation.numbering import notice_number

FORMAT = "杭考评办〔{year}〕{seq}号"


def _year(value: int) -> EvaluationYear:
    record = EvaluationYear(year=value, scheme_code="hangzhou", scheme_snapshot={}, scheme_version="t",
                            status="published")
    db.session.add(record)
    db.session.commit()
    return record


def test_numbers_run_per_issuing_year_and_stay_with_their_notice(app):
    first, second, later = _year(2024), _year(2025), _year(2026)
    assert notice_number(first, 2026, FORMAT) == "杭考评办〔2026〕1号"
    assert notice_number(second, 2026, FORMAT) == "杭考评办〔2026〕2号"
    assert notice_number(first, 2026, FORMAT) == "杭考评办〔2026〕1号"  # downloaded again: same number
    assert notice_number(later, 2027, FORMAT) == "杭考评办〔2027〕1号"  # a new year starts at 1
    counters = {(c.year, c.last_number) for c in db.session.scalars(select(DocumentCounter))}
    assert counters == {(2026, 2), (2027, 1)}


def test_a_notice_numbered_by_another_request_keeps_that_number(app):
    record = _year(2025)
    notice_number(_year(2024), 2026, FORMAT)  # the counter stands at 1
    with db.engine.begin() as other:  # a concurrent request numbered this notice after we loaded it
        other.execute(text("UPDATE evaluation_year SET notice_number = :n WHERE id = :id"),
                      {"n": "杭考评办〔2026〕2号", "id": record.id})
        other.execute(text("UPDATE document_counter SET last_number = 2"))
    assert record.notice_number is None  # our copy is stale
    assert notice_number(record, 2026, FORMAT) == "杭考评办〔2026〕2号"
    assert db.session.scalar(select(DocumentCounter.last_number)) == 2  # our increment was rolled back


def test_report_numbers_run_per_year_of_issue_without_leading_zeros(app):
    """报告编号: the year the report is issued (its conclusion's Beijing date), not the budget year; 1, 2, …; kept."""
    from datetime import datetime

    from budget_eval.assessment.documents.build import report_number
    from budget_eval.assessment.domain.states import RoundStatus
    from budget_eval.assessment.models import Assessment
    from budget_eval.platform.rules import report_settings

    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    rounds = db.session.scalars(select(Assessment).where(Assessment.status == RoundStatus.CONCLUDED)
                                .order_by(Assessment.id)).all()[:3]
    assert len(rounds) == 3
    db.session.execute(text("UPDATE assessment SET report_number = NULL"))
    db.session.execute(text("DELETE FROM document_counter WHERE kind = 'assessment_report'"))
    rounds[0].concluded_at = datetime(2026, 12, 31, 15, 59)  # 2026-12-31 23:59 in Beijing
    rounds[1].concluded_at = datetime(2026, 12, 31, 16, 1)  # 2027-01-01 00:01 in Beijing
    rounds[2].concluded_at = datetime(2026, 6, 1)
    db.session.commit()
    settings = report_settings()
    numbers = [report_number(r, settings) for r in rounds]
    assert numbers == ["杭财绩评〔2026〕1号", "杭财绩评〔2027〕1号", "杭财绩评〔2026〕2号"]
    assert report_number(rounds[0], settings) == "杭财绩评〔2026〕1号"  # made again: the same number
    assert db.session.scalar(select(Assessment.report_number).where(Assessment.id == rounds[1].id)) == numbers[1]


def test_a_report_numbered_by_another_request_keeps_that_number(app):
    from budget_eval.assessment.documents.build import report_number
    from budget_eval.assessment.domain.states import RoundStatus
    from budget_eval.assessment.models import Assessment
    from budget_eval.platform.rules import report_settings

    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    round_ = db.session.scalars(select(Assessment).where(Assessment.status == RoundStatus.CONCLUDED)).first()
    db.session.execute(text("UPDATE assessment SET report_number = NULL"))
    db.session.commit()
    round_ = db.session.get(Assessment, round_.id)
    with db.engine.begin() as other:  # a concurrent download numbered this report after we loaded it
        other.execute(text("UPDATE assessment SET report_number = '杭财绩评〔2026〕9号' WHERE id = :id"),
                      {"id": round_.id})
    assert round_.report_number is None  # our copy is stale
    assert report_number(round_, report_settings()) == "杭财绩评〔2026〕9号"
