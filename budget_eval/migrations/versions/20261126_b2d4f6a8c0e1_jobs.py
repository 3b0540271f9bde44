"""jobs: the background job record (platform/models/job.py), its status CHECK from the JOB lifecycle

Revision ID: b2d4f6a8c0e1
Revises: 9f6a110303bf
Create Date: 2026-11-26 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b2d4f6a8c0e1'
down_revision = '9f6a110303bf'
branch_labels = None
depends_on = None

# the states as of this revision (frozen here: a migration is history, it does not read the enums)
STATES = ("queued", "running", "done", "failed")


def upgrade():
    op.create_table('job',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('done', sa.Integer(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('message', sa.Text(), nullable=False),
        sa.Column('back_url', sa.String(length=200), nullable=False),
        sa.Column('result_key', sa.String(length=32), nullable=True),
        sa.Column('result_name', sa.String(length=200), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint(f"status IN ({', '.join(repr(s) for s in STATES)})", name=op.f('ck_job_status_known')),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_job_user_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_job')))
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_user_id'))
    op.drop_table('job')
