"""meeting kinds stored per meeting, per-year approved amounts, 核减理由 and 纳入项目库 (issue 19, points 4 and 6)

Revision ID: e19b7d3c5a40
Revises: e7c4a1d9f350
Create Date: 2026-12-02 23:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'e19b7d3c5a40'
down_revision = 'e7c4a1d9f350'
branch_labels = None
depends_on = None

# as of this revision (frozen here: a migration is history, it does not read rules/ or the enums)
LIBRARY_STATES = ("included",)
KIND_LABELS = {"executive": "市政府常务会议", "mayor": "市长办公会议"}
ART5 = "审核通过后提交市政府常务会议或市长办公会议决策。"
ART5_SOURCE = "《杭州市预算事前绩效评估管理办法》（杭财绩效〔2020〕9号，杭州市财政局，2020年5月25日）第五条"


def upgrade():
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind_label', sa.String(length=40), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('kind_quote', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('kind_source', sa.Text(), nullable=False, server_default=''))
    meeting = sa.table('meeting', sa.column('kind', sa.String), sa.column('kind_label', sa.String),
                       sa.column('kind_quote', sa.Text), sa.column('kind_source', sa.Text))
    for code, label in KIND_LABELS.items():  # meetings created before: the kind they were given, as it was named
        op.execute(meeting.update().where(meeting.c.kind == code)
                   .values(kind_label=label, kind_quote=ART5, kind_source=ART5_SOURCE))
    with op.batch_alter_table('meeting_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cut_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('library', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('library_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('library_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_meeting_item_library_by_id_user_account'), 'user_account',
                                    ['library_by_id'], ['id'])
        batch_op.create_check_constraint(
            batch_op.f('ck_meeting_item_library_known'),
            sa.text(f"library IN ({', '.join(repr(s) for s in LIBRARY_STATES)})"))
    op.create_table('meeting_item_year',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('requested_wan', sa.BigInteger(), nullable=False),
        sa.Column('approved_wan', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['item_id'], ['meeting_item.id'],
                                name=op.f('fk_meeting_item_year_item_id_meeting_item'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_item_year')),
        sa.UniqueConstraint('item_id', 'year', name=op.f('uq_meeting_item_year_item_id')))
    with op.batch_alter_table('meeting_item_year', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_item_year_item_id'), ['item_id'], unique=False)


def downgrade():
    with op.batch_alter_table('meeting_item_year', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_item_year_item_id'))
    op.drop_table('meeting_item_year')
    with op.batch_alter_table('meeting_item', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_meeting_item_library_known'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_meeting_item_library_by_id_user_account'), type_='foreignkey')
        batch_op.drop_column('library_by_id')
        batch_op.drop_column('library_date')
        batch_op.drop_column('library')
        batch_op.drop_column('cut_reason')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_column('kind_source')
        batch_op.drop_column('kind_quote')
        batch_op.drop_column('kind_label')
