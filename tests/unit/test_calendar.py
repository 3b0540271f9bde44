"""Working days from rules/holidays.yaml: a deadline on a day off moves to the next working day (issue 23)."""
from datetime import date
from pathlib import Path

from budget_eval.platform.domain.calendar import HolidaysFile
from budget_eval.platform.domain.ruleset import read_model

CALENDAR = read_model(Path(__file__).resolve().parents[2] / "rules" / "holidays.yaml", HolidaysFile)[0]


def test_weekends_holidays_and_make_up_days():
    assert not CALENDAR.is_working_day(date(2025, 10, 4))  # 国庆 on a Saturday
    assert not CALENDAR.is_working_day(date(2025, 10, 6))  # 国庆 on a Monday
    assert CALENDAR.is_working_day(date(2025, 9, 28))  # 调休: a Sunday at work
    assert not CALENDAR.is_working_day(date(2026, 12, 5))  # an ordinary Saturday


def test_a_deadline_on_a_day_off_moves_to_the_next_working_day():
    assert CALENDAR.deadline(date(2025, 9, 26), 5) == date(2025, 10, 9)  # 10-01 … 10-08 off
    assert CALENDAR.deadline(date(2026, 11, 30), 5) == date(2026, 12, 7)  # Saturday → Monday
    assert CALENDAR.deadline(date(2026, 12, 1), 2) == date(2026, 12, 3)  # a working day stays
    assert CALENDAR.deadline(date(2027, 1, 4), 5) == date(2027, 1, 11)  # a year not listed: weekends only


def test_every_year_names_its_notice():
    for year in CALENDAR.years:
        assert "国务院办公厅" in year.source and f"{year.year}年" in year.source
