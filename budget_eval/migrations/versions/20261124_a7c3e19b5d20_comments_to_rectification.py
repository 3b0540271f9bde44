"""comments to rectification: 反馈确认, public commitments, 跟踪督办, hot-word issues, lifecycle history

Revision ID: a7c3e19b5d20
Revises: f7d2c2b051e7
Create Date: 2026-11-24 15:40:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'a7c3e19b5d20'
down_revision = 'a3c9e1f04b27'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('survey_response') as batch:
        batch.add_column(sa.Column('feedback_status', sa.String(length=20), nullable=False, server_default='pending'))
        batch.add_column(sa.Column('routed_department_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_survey_response_routed_department_id_department', 'department',
                                 ['routed_department_id'], ['id'])
        batch.create_foreign_key('fk_survey_response_merged_into_id_survey_response', 'survey_response',
                                 ['merged_into_id'], ['id'])
    with op.batch_alter_table('eval_rectification') as batch:
        batch.add_column(sa.Column('public', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE eval_rectification SET status = 'committed' WHERE status = 'open'")
    op.create_table('hot_word_issue',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('year_id', sa.Integer(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=True),
        sa.Column('word', sa.String(length=100), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('label', sa.Text(), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('confirmed', sa.Boolean(), nullable=False),
        sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
        sa.Column('confirmed_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['year_id'], ['evaluation_year.id'], name=op.f('fk_hot_word_issue_year_id_evaluation_year'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_hot_word_issue_department_id_department')),
        sa.ForeignKeyConstraint(['confirmed_by_id'], ['user_account.id'], name=op.f('fk_hot_word_issue_confirmed_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hot_word_issue')))
    op.create_index(op.f('ix_hot_word_issue_year_id'), 'hot_word_issue', ['year_id'])
    op.create_table('supervision_item',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('year_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('hot_word', sa.String(length=100), nullable=False),
        sa.Column('lead_id', sa.Integer(), nullable=False),
        sa.Column('check_date', sa.Date(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('progress', sa.Text(), nullable=False),
        sa.Column('result', sa.String(length=20), nullable=True),
        sa.Column('result_note', sa.Text(), nullable=False),
        sa.Column('checked_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['year_id'], ['evaluation_year.id'], name=op.f('fk_supervision_item_year_id_evaluation_year'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['lead_id'], ['department.id'], name=op.f('fk_supervision_item_lead_id_department')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_item')))
    op.create_index(op.f('ix_supervision_item_year_id'), 'supervision_item', ['year_id'])
    op.create_table('supervision_support',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['item_id'], ['supervision_item.id'], name=op.f('fk_supervision_support_item_id_supervision_item'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_supervision_support_department_id_department')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_support')))
    op.create_index(op.f('ix_supervision_support_item_id'), 'supervision_support', ['item_id'])
    op.create_table('lifecycle_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('entity_id', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=30), nullable=False),
        sa.Column('before', sa.String(length=20), nullable=False),
        sa.Column('after', sa.String(length=20), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('by_id', sa.Integer(), nullable=True),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['by_id'], ['user_account.id'], name=op.f('fk_lifecycle_event_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lifecycle_event')))
    op.create_index(op.f('ix_lifecycle_event_kind'), 'lifecycle_event', ['kind'])
    op.create_index(op.f('ix_lifecycle_event_entity_id'), 'lifecycle_event', ['entity_id'])


def downgrade():
    op.drop_table('lifecycle_event')
    op.drop_table('supervision_support')
    op.drop_table('supervision_item')
    op.drop_table('hot_word_issue')
    op.execute("UPDATE eval_rectification SET status = 'open' WHERE status = 'committed'")
    with op.batch_alter_table('eval_rectification') as batch:
        batch.drop_column('public')
    with op.batch_alter_table('survey_response') as batch:
        batch.drop_constraint('fk_survey_response_merged_into_id_survey_response', type_='foreignkey')
        batch.drop_constraint('fk_survey_response_routed_department_id_department', type_='foreignkey')
        batch.drop_column('merged_into_id')
        batch.drop_column('routed_department_id')
        batch.drop_column('feedback_status')
