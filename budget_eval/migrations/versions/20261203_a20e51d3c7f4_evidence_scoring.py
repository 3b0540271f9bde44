"""scoring on evidence (issue 20): a reviewer's 审核要点 ratings with citations and per-dimension analyses; the
methods used and the procedure steps a round records

Revision ID: a20e51d3c7f4
Revises: a7f3c21e9b84
Create Date: 2026-12-03

"""
from alembic import op
import sqlalchemy as sa

revision = 'a20e51d3c7f4'
down_revision = 'a7f3c21e9b84'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('panel_member') as batch:
        batch.add_column(sa.Column('ratings', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('analyses', sa.JSON(), nullable=True))
    with op.batch_alter_table('assessment') as batch:
        batch.add_column(sa.Column('methods_used', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('procedure_steps', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('assessment') as batch:
        batch.drop_column('procedure_steps')
        batch.drop_column('methods_used')
    with op.batch_alter_table('panel_member') as batch:
        batch.drop_column('analyses')
        batch.drop_column('ratings')
