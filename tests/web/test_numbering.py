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
