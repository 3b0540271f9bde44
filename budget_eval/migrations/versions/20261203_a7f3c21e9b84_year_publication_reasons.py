"""year publication: the office's recorded reason for each unit's missing component data (issue 21, point 3)

Publishing a year checks that every unit has every component's data; where it has not, the office records why
(evaluation_unit.missing_reasons: component code → reason). Withdrawal and correction are steps of the year's
lifecycle (history in state_event), so they need no column.

Revision ID: a7f3c21e9b84
Revises: a21c0e4d7f62
Create Date: 2026-12-03

"""
from alembic import op
import sqlalchemy as sa

revision = 'a7f3c21e9b84'
down_revision = 'a21c0e4d7f62'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('evaluation_unit') as batch:
        batch.add_column(sa.Column('missing_reasons', sa.JSON(), nullable=False, server_default='{}'))


def downgrade():
    with op.batch_alter_table('evaluation_unit') as batch:
        batch.drop_column('missing_reasons')
