"""notifications: in-app notifications written by the state_changed receivers (issue 21, point 1)

Revision ID: c4e8a2b6d913
Revises: d23e7a91c4b5
Create Date: 2026-12-03

"""
from alembic import op
import sqlalchemy as sa

revision = 'c4e8a2b6d913'
down_revision = 'd23e7a91c4b5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'notification',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.String(length=300), nullable=False),
        sa.Column('url', sa.String(length=300), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('read_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_notification_user_read', 'notification', ['user_id', 'read_at'], unique=False)


def downgrade():
    op.drop_index('ix_notification_user_read', table_name='notification')
    op.drop_table('notification')
