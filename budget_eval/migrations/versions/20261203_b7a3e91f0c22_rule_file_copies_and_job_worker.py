"""rule file copies (the last good version of each rule file, for a process that starts while one is broken) and
each job's worker and heartbeat (a job whose worker was killed is failed with a message) — issue 22

Revision ID: b7a3e91f0c22
Revises: e26c0571ae26
Create Date: 2026-12-03

"""
from alembic import op
import sqlalchemy as sa

revision = 'b7a3e91f0c22'
down_revision = 'e26c0571ae26'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'rule_file_copy',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('content', sa.Text(), nullable=False),
        sa.Column('stored_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_rule_file_copy')),
        sa.UniqueConstraint('name', 'sha256', name=op.f('uq_rule_file_copy_name')),
    )
    op.create_index('ix_rule_file_copy_name_id', 'rule_file_copy', ['name', 'id'], unique=False)
    with op.batch_alter_table('job') as batch:
        batch.add_column(sa.Column('worker', sa.String(length=120), nullable=True))
        batch.add_column(sa.Column('heartbeat_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('job') as batch:
        batch.drop_column('heartbeat_at')
        batch.drop_column('worker')
    op.drop_index('ix_rule_file_copy_name_id', table_name='rule_file_copy')
    op.drop_table('rule_file_copy')
