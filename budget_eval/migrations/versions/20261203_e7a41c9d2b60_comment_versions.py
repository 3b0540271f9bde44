"""versions of a year's comments on evaluation_year (comments_version, feedback_version): the stored hot words are
keyed by them instead of an aggregate over every survey row on each view; the hot words stored under the old keys
are deleted (no key matches them any more) — issue 22

Revision ID: e7a41c9d2b60
Revises: b3e8d1f05a27
Create Date: 2026-12-03

"""
import sqlalchemy as sa
from alembic import op

revision = 'e7a41c9d2b60'
down_revision = 'b3e8d1f05a27'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('evaluation_year') as batch:
        batch.add_column(sa.Column('comments_version', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('feedback_version', sa.Integer(), nullable=False, server_default='0'))
    # stored under keys made of the old aggregate: orphans now (the hot-word job stores them again, see the README)
    op.execute("DELETE FROM derived_figure WHERE kind = 'hotwords'")


def downgrade():
    op.execute("DELETE FROM derived_figure WHERE kind = 'hotwords'")
    with op.batch_alter_table('evaluation_year') as batch:
        batch.drop_column('feedback_version')
        batch.drop_column('comments_version')
