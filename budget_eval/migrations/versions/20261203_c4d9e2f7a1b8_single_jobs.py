"""one background job at a time per kind of work (the hot words of a year): job.single and a partial unique index
over the queued and running jobs — issue 22

Revision ID: c4d9e2f7a1b8
Revises: a5e1d7c3b9f4
Create Date: 2026-12-03

"""
from alembic import op
import sqlalchemy as sa

revision = 'c4d9e2f7a1b8'
down_revision = 'a5e1d7c3b9f4'
branch_labels = None
depends_on = None

WHERE = "single IS NOT NULL AND status IN ('queued', 'running')"


def upgrade():
    with op.batch_alter_table('job') as batch:
        batch.add_column(sa.Column('single', sa.String(length=80), nullable=True))
    op.create_index('uq_job_single_active', 'job', ['single'], unique=True, sqlite_where=sa.text(WHERE),
                    postgresql_where=sa.text(WHERE))


def downgrade():
    op.drop_index('uq_job_single_active', table_name='job')
    with op.batch_alter_table('job') as batch:
        batch.drop_column('single')
