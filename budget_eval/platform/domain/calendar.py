"""Working days: weekends and the State Council's yearly holidays off, its 调休 Saturdays and Sundays on.

rules/holidays.yaml (kind `holidays`) lists, per year, the holiday ranges and the make-up working days with the
notice they come from; a year it does not list counts Saturdays and Sundays as the only days off. A deadline
that falls on a day off moves to the next working day (as a notice's 期限 is read).
"""
from __future__ import annotations

from datetime import date, timedelta

from typing import Literal

from pydantic import Field, model_validator, StrictBool
from pydantic_core import PydanticCustomError

from budget_eval.platform.domain.rule_types import Head, Int, Policy, Strict, Text

BEIJING = timedelta(hours=8)  # China Standard Time: stored times are UTC; dates a reader sees are Beijing dates


class HolidayYear(Strict):
    year: Policy[Int]  # the year, wrapped with the notice it comes from
    source: Text  # the 国务院办公厅 notice: title, 文号 and date
    verified: StrictBool = False  # checked against the notice's text
    holidays: list[list[date]] = Field(default_factory=list)  # [first, last] day off of each holiday

    @model_validator(mode="after")
    def _ranges(self) -> HolidayYear:
        if any(len(r) != 2 or r[0] > r[1] for r in self.holidays):
            raise PydanticCustomError("range", "holidays 的每一项应为 [起始日, 结束日]")
        return self
    workdays: list[date] = Field(default_factory=list)  # 调休: weekend days that are working days


class HolidaysFile(Head):
    kind: Literal["holidays"]
    years: list[HolidayYear] = Field(default_factory=list)

    def known(self, year: int) -> HolidayYear | None:
        return next((y for y in self.years if y.year == year), None)

    def is_working_day(self, day: date) -> bool:
        listed = self.known(day.year)
        if listed is not None:
            if day in listed.workdays:
                return True
            if any(r[0] <= day <= r[1] for r in listed.holidays):
                return False
        return day.weekday() < 5

    def working_day_on_or_after(self, day: date) -> date:
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def deadline(self, start: date, days: int) -> date:
        """`days` calendar days after `start`, moved to the next working day when it falls on a day off."""
        return self.working_day_on_or_after(start + timedelta(days=days))
