"""Issue 25: the database refuses duplicates of every "one of a kind", and a second one lost to a race is a
lost race (the Chinese "已由他人处理", never a 500): 跟踪督办 items per year and title, leader scores per unit and
leader, a hot word's stored issues, user names after NFKC and case folding. The parallel posts themselves are in
tests/concurrency (supervision_add, leader_score, rectification_commit)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError

from budget_eval.evaluation import operations as evaluation
from budget_eval.evaluation.feedback_models import HotWordIssue, SupervisionItem
from budget_eval.evaluation.models import LeaderScore
from budget_eval.platform.db_errors import is_lost_race
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.platform.models.user import User
from tests.web.client import WebClient
from tests.web.factories import TESTER


def refused_as_a_lost_race(*rows) -> None:
    db.session.add_all(rows)
    with pytest.raises(IntegrityError) as caught:
        db.session.commit()
    db.session.rollback()
    assert is_lost_race(caught.value, db.metadata)


def test_each_one_of_a_kind_is_refused_by_the_database_as_a_lost_race(app, make):
    department = make.department("杭州市交通运输局")
    year = evaluation.open_year(2026, "hangzhou", TESTER)
    unit = year.units[0]
    item = dict(year_id=year.id, title="早高峰拥堵治理", lead_id=department.id, check_date=date(2026, 11, 30))
    refused_as_a_lost_race(SupervisionItem(**item), SupervisionItem(**item))
    refused_as_a_lost_race(LeaderScore(unit_id=unit.id, leader="市长", score=Decimal(90)),
                           LeaderScore(unit_id=unit.id, leader="市长", score=Decimal(80)))
    for department_id in (None, department.id):  # the city's list and a unit's
        issue = dict(year_id=year.id, department_id=department_id, word="拥堵", position=0, label="拥堵")
        refused_as_a_lost_race(HotWordIssue(**issue), HotWordIssue(**issue))
    make.user(Role.ADMIN, username="admin")
    refused_as_a_lost_race(User(username="Admin", display_name="x", role="admin", password_hash="x"))


def test_a_second_supervision_item_of_the_same_title_is_refused_in_chinese(app, make):
    department = make.department("杭州市交通运输局")
    evaluation.open_year(2026, "hangzhou", TESTER)
    office = WebClient(app)
    office.login(make.user(Role.EVAL_OFFICE))
    form = {"title": "早高峰拥堵治理", "lead": str(department.id), "check_date": "2026-11-30"}
    office.post("/evaluation/2026/supervision", form)
    again = office.post("/evaluation/2026/supervision", form, follow_redirects=True)
    assert again.status_code == 200 and "已有督办事项“早高峰拥堵治理”" in again.get_data(as_text=True)
    assert db.session.query(SupervisionItem).count() == 1
