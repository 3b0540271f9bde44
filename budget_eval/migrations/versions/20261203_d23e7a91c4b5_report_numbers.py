"""report numbers: the assessment round keeps the 报告编号 its report was first given (per-year counter)

Revision ID: d23e7a91c4b5
Revises: e19b7d3c5a40
Create Date: 2026-12-03

"""
from alembic import op
import sqlalchemy as sa

revision = 'd23e7a91c4b5'
down_revision = 'e19b7d3c5a40'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('report_number', sa.String(length=60), nullable=True))


def downgrade():
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_column('report_number')
