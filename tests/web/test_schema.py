"""The migrations build exactly the schema the models describe, on each backend."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from budget_eval.platform.extensions import db


def test_migrations_match_the_models(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_amounts_are_exact_decimals_on_this_backend(make):
    from decimal import Decimal

    from budget_eval.intake.domain.intake import FundYear
    from budget_eval.platform.domain.roles import Role

    staff = make.user(Role.DEPARTMENT)
    proposal = make.proposal(staff, fund_years=(FundYear(2027, Decimal("0.1")), FundYear(2028, Decimal("0.2"))),
                             sources={"general": Decimal("0.3")})
    db.session.expire_all()
    assert proposal.fiscal_total_wan == Decimal("0.30")  # never 0.30000000000000004
    assert [f.amount_wan for f in proposal.fund_years] == [Decimal("0.10"), Decimal("0.20")]
