"""each user's e-mail address: notifications are also e-mailed when SMTP is configured — issue 21

Revision ID: a5e1d7c3b9f4
Revises: b7a3e91f0c22
Create Date: 2026-12-03

"""
from alembic import op
import sqlalchemy as sa

revision = 'a5e1d7c3b9f4'
down_revision = 'b7a3e91f0c22'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account') as batch:
        batch.add_column(sa.Column('email', sa.String(length=254), nullable=True))


def downgrade():
    with op.batch_alter_table('user_account') as batch:
        batch.drop_column('email')
