"""lifecycle invariants: state history table, one open round / undecided item / pending appeal, state checks

Revision ID: a1c0de5ea7e1
Revises: a11e5c0f2b71
Create Date: 2026-11-24 15:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a1c0de5ea7e1'
down_revision = 'a11e5c0f2b71'
branch_labels = None
depends_on = None

# the states each lifecycle declares (budget_eval/*/domain/states.py and intake/domain/workflow.py), as of now
STATES = {
    ("proposal", "status"): ("draft", "submitted", "materials", "self_assessment", "authority_review",
                             "finance_review", "concluded", "revising", "meeting", "decided"),
    ("assessment", "status"): ("open", "concluded"),
    ("panel_member", "status"): ("assigned", "accepted", "declined", "submitted"),
    ("material_item", "status"): ("pending", "received", "missing", "invalid"),
    ("self_assessment", "status"): ("draft", "submitted", "approved", "returned"),
    ("meeting_item", "decision"): ("approved", "rejected", "deferred"),
    ("evaluation_year", "status"): ("open", "published"),
    ("eval_innovation", "status"): ("declared", "verified", "rejected"),
    ("eval_appeal", "status"): ("filed", "upheld", "dismissed"),
    ("eval_rectification", "status"): ("open", "committed", "done", "verified"),  # 'open' until a7c3e19b5d20
}
RULES = {
    "assessment": [("ck_assessment_concluded_has_conclusion", "status <> 'concluded' OR conclusion IS NOT NULL")],
    "meeting_item": [("ck_meeting_item_amount_only_if_approved", "approved_wan IS NULL OR decision = 'approved'")],
    "eval_innovation": [("ck_eval_innovation_points_only_if_verified", "verified IS NULL OR status = 'verified'")],
    "eval_appeal": [("ck_eval_appeal_decided_has_time", "status = 'filed' OR decided_at IS NOT NULL")],
}
PARTIAL_UNIQUE = [
    ("uq_assessment_one_open_round", "assessment", "proposal_id", "status = 'open'"),
    ("uq_meeting_item_one_undecided", "meeting_item", "proposal_id", "decision IS NULL"),
    ("uq_eval_appeal_one_pending", "eval_appeal", "unit_id", "status = 'filed'"),
]


def checks():
    tables = {}
    for (table, column), states in STATES.items():
        allowed = ", ".join(f"'{s}'" for s in states)
        tables.setdefault(table, []).append((f"ck_{table}_{column}_known", f"{column} IN ({allowed})"))
    for table, rules in RULES.items():
        tables.setdefault(table, []).extend(rules)
    return tables


def upgrade():
    op.create_table(
        'state_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('lifecycle', sa.String(length=40), nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=40), nullable=False),
        sa.Column('from_state', sa.String(length=20), nullable=True),
        sa.Column('to_state', sa.String(length=20), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_state_event_user_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_state_event')),
    )
    op.create_index('ix_state_event_record', 'state_event', ['lifecycle', 'record_id'], unique=False)
    for table, rules in checks().items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, condition in rules:
                batch_op.create_check_constraint(op.f(name), condition)
    for name, table, column, where in PARTIAL_UNIQUE:
        op.create_index(name, table, [column], unique=True, sqlite_where=sa.text(where),
                        postgresql_where=sa.text(where))


def downgrade():
    for name, table, _, _ in PARTIAL_UNIQUE:
        op.drop_index(name, table_name=table)
    for table, rules in checks().items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _ in rules:
                batch_op.drop_constraint(op.f(name), type_="check")
    op.drop_index('ix_state_event_record', table_name='state_event')
    op.drop_table('state_event')
