"""expert pool and draw: the 专家库 (expert), each random draw of a panel (panel_draw), and on a panel member the
signed 回避与保密承诺, the pool record, the draw, a manual addition's and a replacement's reason; the score sheet
gains the state 'replaced'

Revision ID: e7c4a1d9f350
Revises: c19a7e5d3b60
Create Date: 2026-12-02 23:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'e7c4a1d9f350'
down_revision = 'c19a7e5d3b60'
branch_labels = None
depends_on = None

# the states as of this revision (frozen here: a migration is history, it does not read the enums)
SHEET = ("assigned", "accepted", "declined", "submitted", "replaced")
SHEET_BEFORE = ("assigned", "accepted", "declined", "submitted")


def _condition(states: tuple[str, ...]) -> str:
    return f"status IN ({', '.join(repr(s) for s in states)})"


def upgrade():
    op.create_table('expert',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('organisation', sa.String(length=100), nullable=False),
        sa.Column('title', sa.String(length=50), nullable=False),
        sa.Column('specialties', sa.JSON(), nullable=False),
        sa.Column('phone', sa.String(length=40), nullable=False),
        sa.Column('email', sa.String(length=120), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('avoid_department_ids', sa.JSON(), nullable=False),
        sa.Column('avoid_organisations', sa.JSON(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_expert_user_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_expert')),
        sa.UniqueConstraint('user_id', name=op.f('uq_expert_user_id')))
    op.create_table('panel_draw',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('assessment_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('specialty', sa.String(length=40), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('seed', sa.String(length=40), nullable=False),
        sa.Column('eligible', sa.JSON(), nullable=False),
        sa.Column('excluded', sa.JSON(), nullable=False),
        sa.Column('chosen', sa.JSON(), nullable=False),
        sa.Column('load_limit', sa.Integer(), nullable=False),
        sa.Column('conflict_department_ids', sa.JSON(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('replaced_member_id', sa.Integer(), nullable=True),
        sa.Column('by_id', sa.Integer(), nullable=True),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_panel_draw_assessment_id_assessment'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['by_id'], ['user_account.id'], name=op.f('fk_panel_draw_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_panel_draw')))
    with op.batch_alter_table('panel_draw', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_panel_draw_assessment_id'), ['assessment_id'], unique=False)
    op.create_index('uq_panel_draw_one_per_round', 'panel_draw', ['assessment_id'], unique=True,
                    sqlite_where=sa.text("kind = 'draw'"), postgresql_where=sa.text("kind = 'draw'"))
    with op.batch_alter_table('panel_member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pledge_text', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('pledge_version', sa.String(length=80), server_default='', nullable=False))
        batch_op.add_column(sa.Column('expert_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('draw_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('added_reason', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('replace_reason', sa.Text(), server_default='', nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_panel_member_expert_id_expert'), 'expert', ['expert_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_panel_member_draw_id_panel_draw'), 'panel_draw', ['draw_id'], ['id'])
    _replace_sheet_check(SHEET)


def downgrade():
    _replace_sheet_check(SHEET_BEFORE)
    with op.batch_alter_table('panel_member', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_panel_member_draw_id_panel_draw'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_panel_member_expert_id_expert'), type_='foreignkey')
        for column in ('replace_reason', 'added_reason', 'draw_id', 'expert_id', 'pledge_version', 'pledge_text'):
            batch_op.drop_column(column)
    op.drop_index('uq_panel_draw_one_per_round', table_name='panel_draw')
    with op.batch_alter_table('panel_draw', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_panel_draw_assessment_id'))
    op.drop_table('panel_draw')
    op.drop_table('expert')


def _replace_sheet_check(states: tuple[str, ...]) -> None:
    name = op.f("ck_panel_member_status_known")
    with op.batch_alter_table("panel_member", schema=None) as batch_op:
        batch_op.drop_constraint(name, type_="check")
    with op.batch_alter_table("panel_member", schema=None) as batch_op:
        batch_op.create_check_constraint(name, _condition(states))
