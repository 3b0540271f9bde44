"""documents: expert organisation and title, meeting kind and session, notice numbers per year

Revision ID: a3c9e1f04b27
Revises: f7d2c2b051e7
Create Date: 2026-11-24 14:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a3c9e1f04b27'
down_revision = 'a3c5e9d1f204'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('professional_title', sa.String(length=50), nullable=False, server_default=''))
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('session_no', sa.Integer(), nullable=True))
    with op.batch_alter_table('evaluation_year', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notice_number', sa.String(length=60), nullable=True))
    op.create_table(
        'document_counter',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('last_number', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_document_counter')),
        sa.UniqueConstraint('kind', 'year', name=op.f('uq_document_counter_kind')),
    )


def downgrade():
    op.drop_table('document_counter')
    with op.batch_alter_table('evaluation_year', schema=None) as batch_op:
        batch_op.drop_column('notice_number')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_column('session_no')
        batch_op.drop_column('kind')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('professional_title')
        batch_op.drop_column('organisation')
