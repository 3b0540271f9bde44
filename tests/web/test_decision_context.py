"""Issue 21, points 4 and 5, on the seeded demo: the context where decisions are made and a visible end for every
item (the reviewers' overall opinions on the conclusion page, 建议安排资金 where amounts are decided, the 考评
pages' own footer, a new year 尚无数据, the open-year form's defaults)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from budget_eval.demo import PASSWORD
from budget_eval.intake.models import Proposal
from budget_eval.platform.extensions import db
from budget_eval.platform.models.user import User
from tests.web.client import WebClient

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def demo(app):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    return app


def client_of(app, username: str) -> WebClient:
    client = WebClient(app)
    client.login(db.session.scalar(select(User).where(User.username == username)), PASSWORD)
    return client


def proposal(name: str) -> Proposal:
    return db.session.scalar(select(Proposal).where(Proposal.name == name))


def test_decisions_are_taken_with_their_context_and_a_new_evaluation_year_shows_no_ranking(demo):
    admin = client_of(demo, "admin")
    # the conclusion page: each reviewer who has scored, with their overall opinion
    policy = proposal("学前教育普惠性民办园补助政策")
    page = admin.text(f"/proposals/{policy.id}/assessment")
    assert "评审人员总体意见" in page and "政策必要，补助标准与周边城市相当。" in page
    # the proposal page: 建议安排资金 beside the request
    hub = proposal("城西综合交通枢纽配套道路工程")
    assert "建议安排资金 <strong>2.38亿元（23,800.00万元）</strong>" in admin.text(f"/proposals/{hub.id}")
    # the meeting's candidates: 建议安排资金 beside 申请资金
    assert '<th scope="col" class="num">建议安排资金</th>' in admin.text("/meetings/")
    # an item screened out ends visibly: 无需评估, its road 草稿 → 已提交 → 无需评估
    closed = proposal("城市道路养护（延续）")
    page = client_of(demo, "chengguan").text(f"/proposals/{closed.id}")
    assert closed.status == "not_assessed" and "当前阶段：无需评估" in page and "材料审查</li>" not in page

    # 考评 (on the same seeded demo: seeding costs most of this test): its own footer, a new year 尚无数据
    office = client_of(demo, "kpb")
    index = office.text("/evaluation/")
    assert "事前绩效评估管理办法" not in index.split("<footer")[1] and "部门综合考评" in index.split("<footer")[1]
    assert 'name="year" value="2027"' in index  # the next year not yet opened (2025 and 2026 are)
    assert re.search(r'<option value="hangzhou" selected>', index)  # the scheme the bureau used last
    response = office.post("/evaluation/", {"year": "2027", "scheme": "hangzhou"})
    assert response.status_code == 302
    page = office.text("/evaluation/2027/")
    assert "尚无数据" in page and "不达标" not in page and 'class="bar"' not in page
    assert "事前绩效评估管理办法" not in page.split("<footer")[1]
