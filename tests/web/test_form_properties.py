"""The proposal form under arbitrary input: a clear error (422) or a correct save, never a 500 or half a record."""
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.intake.models import Proposal
from tests.web.factories import form_post

text = st.text(max_size=40)
amounts = st.one_of(text, st.integers(min_value=-10**20, max_value=10**20).map(str),
                    st.decimals(allow_nan=True, allow_infinity=True).map(str),
                    st.sampled_from(["", "NaN", "1e999999", "-0", "１２,３４５.６７", "10,000"]))
years = st.one_of(text, st.integers(min_value=-5, max_value=100000).map(str), st.sampled_from(["", "2027", "二〇二七"]))


@given(name=text, amount0=amounts, amount1=amounts, year0=years, source=amounts, unit=text,
       action=st.sampled_from(["draft", "submit"]))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_proposal_form(client, make, name, amount0, amount1, year0, source, unit, action):
    staff = make.user(Role.DEPARTMENT)
    client.login(staff)
    before = db.session.scalar(select(func.count()).select_from(Proposal))
    data = form_post(name=name, action=action, **{
        "fund_years-0-amount": amount0, "fund_years-1-amount": amount1, "fund_years-0-year": year0,
        "sources-general": source, "sources-bond": None, "targets-0-unit": unit})
    response = client.post("/proposals/new", data)
    assert response.status_code in (302, 422), response.status_code
    after = db.session.scalar(select(func.count()).select_from(Proposal))
    if response.status_code == 422:
        assert after == before  # nothing half-saved
        return
    assert after == before + 1
    proposal = db.session.scalar(select(Proposal).order_by(Proposal.id.desc()))
    assert proposal.fiscal_total_wan == sum((f.amount_wan for f in proposal.fund_years), Decimal(0))
    assert all(f.amount_wan >= 0 for f in proposal.fund_years)
    if action == "submit":
        assert proposal.screening_outcome is not None
    client.post("/logout")
