"""The issue-26 migration turns each existing free-text 预算测算依据 into a single cost line, on each backend."""
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from budget_eval.platform.extensions import db

BEFORE = "c4e8a2b6d913"


def test_free_text_basis_becomes_one_cost_line(app):
    downgrade(revision=BEFORE)
    try:
        with db.engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO department (id, name, active, created_at) VALUES (1, '某局', true, "
                                 "CURRENT_TIMESTAMP)"))
            conn.execute(sa.text("INSERT INTO user_account (id, username, username_key, display_name, password_hash, role, active, "
                                 "department_id, created_at) VALUES (1, 'u', 'u', '用户', 'x', 'department', true, 1, "
                                 "CURRENT_TIMESTAMP)"))
            for id_, text in ((1, "按定额测算"), (2, "")):
                conn.execute(sa.text(
                    "INSERT INTO proposal (id, name, department_id, is_new, is_emergency, is_midyear, amount_estimated, "
                    "estimate_basis, emergency_reason, basis_text, "
                    "plan_text, budget_text, fiscal_total_wan, status, created_by_id, created_at, updated_at) VALUES "
                    "(:id, '旧项目', 1, true, false, false, false, '', '', '', '', :t, 110000, 'submitted', 1, CURRENT_TIMESTAMP, "
                    "CURRENT_TIMESTAMP)"), {"id": id_, "t": text})
        upgrade()
        with db.engine.connect() as conn:
            lines = conn.execute(sa.text("SELECT proposal_id, item, quantity, unit, unit_price_yuan, amount_wan, basis, "
                                         "document FROM cost_line ORDER BY id")).all()
    finally:
        upgrade()
    # 1,100.00万元 = 11,000,000.00元, quantity 1.00, all stored in hundredths
    assert [tuple(line) for line in lines] == [(1, "按原预算测算依据", 100, "项", 1100000000, 110000, "other", "按定额测算")]
