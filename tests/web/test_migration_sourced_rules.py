"""The 2026-11-24 migration keeps every existing value and fills the new columns, on each backend."""
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from budget_eval.platform.extensions import db

BEFORE = "f7d2c2b051e7"


def test_existing_data_migrates_without_loss(app):
    downgrade(revision=BEFORE)
    try:
        with db.engine.begin() as conn:
            _old_rows(conn)
        upgrade()
        with db.engine.connect() as conn:
            proposals = conn.execute(sa.text(
                "SELECT name, is_new, nature, is_midyear, amount_estimated, estimate_basis, fiscal_total_wan "
                "FROM proposal ORDER BY id")).all()
            targets = conn.execute(sa.text(
                "SELECT level1, level2, name, comparator, value, unit, basis, year FROM performance_target "
                "ORDER BY position")).all()
            sources = conn.execute(sa.text("SELECT source, amount_wan FROM fund_source ORDER BY source")).all()
            record = conn.execute(sa.text("SELECT basis, amount_estimated FROM screening_record")).one()
    finally:
        upgrade()
    assert [tuple(p[:6]) for p in proposals] == [("旧项目", True, None, False, False, ""),
                                                  ("旧延续项目", False, "continuing", False, False, "")]
    assert int(proposals[0][6]) == 110000  # stored in 分: 1,100.00万元, untouched
    assert [tuple(t) for t in targets] == [
        ("产出指标", "数量指标", "新建道路里程", "=", "12.5", "公里", "", None),
        ("效益指标", "社会效益指标", "满意度", "≥", "90", "%", "", None),
        ("效益指标", "生态效益指标", "环境改善", "定性", "明显改善", "—", "", None),
        ("成本指标", "经济成本指标", "每公里造价", "≤", "2000", "万元/公里", "", None),
    ]
    assert [(s, int(a)) for s, a in sources] == [("general", 80000), ("self", 30000)]
    assert record == ("旧依据", False)


def _old_rows(conn) -> None:
    conn.execute(sa.text("INSERT INTO department (id, name, active, created_at) VALUES (1, '某局', true, CURRENT_TIMESTAMP)"))
    conn.execute(sa.text("INSERT INTO user_account (id, username, display_name, password_hash, role, active, "
                         "department_id, created_at) VALUES (1, 'u', '用户', 'x', 'department', true, 1, "
                         "CURRENT_TIMESTAMP)"))
    for id_, name, is_new in ((1, "旧项目", True), (2, "旧延续项目", False)):
        conn.execute(sa.text(
            "INSERT INTO proposal (id, name, department_id, is_new, is_emergency, emergency_reason, basis_text, "
            "plan_text, budget_text, fiscal_total_wan, status, created_by_id, created_at, updated_at) VALUES "
            "(:id, :name, 1, :new, false, '', '', '', '', 110000, 'submitted', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
            {"id": id_, "name": name, "new": is_new})
    for position, (l1, l2, name, value, unit) in enumerate((
            ("产出指标", "数量指标", "新建道路里程", "12.5", "公里"), ("效益指标", "社会效益指标", "满意度", "≥90", "%"),
            ("效益指标", "生态效益指标", "环境改善", "明显改善", "—"), ("产出指标", "成本指标", "每公里造价", "≤2000", "万元/公里"))):
        conn.execute(sa.text("INSERT INTO performance_target (proposal_id, position, level1, level2, name, value, unit) "
                             "VALUES (1, :p, :l1, :l2, :n, :v, :u)"),
                     {"p": position, "l1": l1, "l2": l2, "n": name, "v": value, "u": unit})
    conn.execute(sa.text("INSERT INTO fund_source (proposal_id, source, amount_wan) VALUES (1, 'general', 80000), "
                         "(1, 'self', 30000)"))
    conn.execute(sa.text("INSERT INTO screening_record (proposal_id, outcome, basis, fiscal_total_wan, rule_set, "
                         "rule_version, created_at, created_by_id) VALUES (1, 'required', '旧依据', 110000, 'r', 'v', "
                         "CURRENT_TIMESTAMP, 1)"))
