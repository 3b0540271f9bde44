"""flat pages (issue 22, point 1): derived figures stored once their inputs change (derived_figure), indexes for
the 工作台 (a state's latest proposals, a round's seats by state), and
index-backed name search: pg_trgm GIN indexes on the proposal's name and the audit log's subject and detail
(PostgreSQL only; SQLite keeps its plain LIKE scan)

Revision ID: f1a7c0de2b22
Revises: c4e8a2b6d913
Create Date: 2026-12-03

"""
from alembic import op
import sqlalchemy as sa

# pg_trgm in its own schema `extensions` (never one a schema reset drops), its operator class named with it
TRGM_OPS = "extensions.gin_trgm_ops"
TRGM_DDL = ("CREATE SCHEMA IF NOT EXISTS extensions", "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA extensions",
            "ALTER EXTENSION pg_trgm SET SCHEMA extensions")

revision = 'f1a7c0de2b22'
down_revision = 'c4e8a2b6d913'
branch_labels = None
depends_on = None

TRIGRAM = [("ix_proposal_name_trgm", "proposal", "name"), ("ix_audit_event_subject_trgm", "audit_event", "subject"),
           ("ix_audit_event_detail_trgm", "audit_event", "detail")]


def upgrade():
    op.create_table(
        'derived_figure',
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('value', sa.LargeBinary(), nullable=False),
        sa.Column('computed_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('kind', 'key'),
    )
    # a state's most recently changed proposals (the 工作台's headings, the list filtered by state)
    op.create_index('ix_proposal_status_recent', 'proposal', ['status', 'updated_at', 'id'])
    # whether a round has anyone seated or a sheet still out (the 工作台), without reading every seat
    op.create_index('ix_panel_member_round_status', 'panel_member', ['assessment_id', 'status'])
    if op.get_bind().dialect.name == "postgresql":
        # pg_trgm is a trusted extension (PostgreSQL ≥ 13): the database's owner may create it
        for statement in TRGM_DDL:
            op.execute(statement)
        for name, table, column in TRIGRAM:
            op.execute(f'CREATE INDEX {name} ON "{table}" USING gin ("{column}" {TRGM_OPS})')
    else:  # the same names as the models declare; a plain index (SQLite's LIKE '%q%' scans anyway)
        for name, table, column in TRIGRAM:
            op.create_index(name, table, [column])


def downgrade():
    for name, table, _column in TRIGRAM:
        op.drop_index(name, table_name=table)
    op.drop_index('ix_panel_member_round_status', table_name='panel_member')
    op.drop_index('ix_proposal_status_recent', table_name='proposal')
    op.drop_table('derived_figure')
