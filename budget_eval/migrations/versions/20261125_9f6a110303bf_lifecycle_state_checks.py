"""lifecycle state checks: 反馈确认 and 跟踪督办 states get their CHECK; the rectification CHECK loses 'open'

Every lifecycle's column now has a CHECK made from its enum (platform/models/constraints.state_check). Two had
none: survey_response.feedback_status (FEEDBACK) and supervision_item.status (SUPERVISION). The rectification
item's CHECK (a1c0de5ea7e1) still allowed 'open', a state a7c3e19b5d20 renamed to 'committed'.

Revision ID: 9f6a110303bf
Revises: a7c3e19b5d20
Create Date: 2026-11-25 10:00:00

"""
from alembic import op


revision = '9f6a110303bf'
down_revision = 'a7c3e19b5d20'
branch_labels = None
depends_on = None

# the states as of this revision (frozen here: a migration is history, it does not read the enums)
NEW = {
    ("survey_response", "feedback_status"): ("pending", "confirmed", "merged"),
    ("supervision_item", "status"): ("tracking", "checked"),
}
RECTIFICATION = ("committed", "done", "verified")
RECTIFICATION_BEFORE = ("open", "committed", "done", "verified")


def _condition(column: str, states: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(s) for s in states)})"


def upgrade():
    for (table, column), states in NEW.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_check_constraint(op.f(f"ck_{table}_{column}_known"), _condition(column, states))
    _replace_rectification_check(RECTIFICATION)


def downgrade():
    _replace_rectification_check(RECTIFICATION_BEFORE)
    for (table, column), _ in NEW.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_{column}_known"), type_="check")


def _replace_rectification_check(states: tuple[str, ...]) -> None:
    name = op.f("ck_eval_rectification_status_known")
    with op.batch_alter_table("eval_rectification", schema=None) as batch_op:
        batch_op.drop_constraint(name, type_="check")
    with op.batch_alter_table("eval_rectification", schema=None) as batch_op:
        batch_op.create_check_constraint(name, _condition("status", states))
