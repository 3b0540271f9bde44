"""Input PostgreSQL would refuse (found by the form fuzzer) is answered calmly on both databases."""
from sqlalchemy import select

from budget_eval.evaluation.models import EvaluationYear
from budget_eval.intake.models import Proposal
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from tests.web.factories import form_post
from tests.web.flow import World

HUGE = "9" * 40


def test_an_id_beyond_any_column_is_not_found(client, make):
    client.login(make.user(Role.REVIEWER))
    assert client.get(f"/proposals/{HUGE}").status_code == 404
    assert client.get(f"/proposals/{2**31}").status_code == 404


def test_list_filters_and_page_numbers_of_any_size_show_the_list(client, make):
    client.login(make.user(Role.REVIEWER))
    for query in (f"page={HUGE}", f"year={HUGE}", f"department={HUGE}", "page=-3", "year=²", "q=a%00b"):
        assert client.get(f"/proposals/?{query}").status_code == 200, query


def test_nul_characters_are_dropped_from_typed_text(client, make):
    client.login(make.user(Role.DEPARTMENT, make.department("杭州市交通运输局")))
    response = client.post("/proposals/new", form_post(name="地下\x00通道工程", basis_text="依据\x00规划"))
    assert response.status_code == 302
    proposal = db.session.scalar(select(Proposal))
    assert (proposal.name, proposal.basis_text) == ("地下通道工程", "依据规划")


def test_panel_assignment_ignores_ids_that_cannot_exist(app, make):
    world = World(app, make)
    proposal = world.submit()
    world.to_finance_review(proposal)
    admin = world.client(world.admin)
    response = admin.post(f"/proposals/{proposal.id}/assessment/panel",
                          {"user_id": [HUGE, "²", "-1", str(world.experts[0].id)], "reason": "指定"})
    assert response.status_code == 302
    db.session.refresh(proposal)
    assert [m.user_id for m in proposal.current_assessment.members] == [world.experts[0].id]


def test_an_evaluation_year_must_be_four_digits(client, make):
    client.login(make.user(Role.EVAL_OFFICE))
    response = client.post("/evaluation/", {"year": HUGE, "scheme": "hangzhou"})
    assert response.status_code == 200 and "年度应为四位数字" in response.get_data(as_text=True)
    assert db.session.scalar(select(EvaluationYear)) is None
