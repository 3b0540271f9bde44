"""cost lines, unit-cost library, economy findings, split flags (issue 26: 投入经济性 computed)

Existing proposals with a free-text 预算测算依据 get one cost line carrying it: item 按原预算测算依据, quantity 1,
unit 项, unit price = amount = the fiscal funds requested, basis other (其他), the text as its document.

Revision ID: e26c0571ae26
Revises: a20e51d3c7f4
Create Date: 2026-12-03

"""
from alembic import op
import sqlalchemy as sa

revision = 'e26c0571ae26'
down_revision = 'a20e51d3c7f4'
branch_labels = None
depends_on = None

MIGRATED_ITEM = "按原预算测算依据"
MIGRATED_UNIT = "项"
MIGRATED_BASIS = "other"


def upgrade():
    op.create_table(
        'cost_line',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('proposal_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('item', sa.String(length=200), nullable=False),
        sa.Column('quantity', sa.BigInteger(), nullable=True),
        sa.Column('unit', sa.String(length=30), nullable=False),
        sa.Column('unit_price_yuan', sa.BigInteger(), nullable=True),
        sa.Column('amount_wan', sa.BigInteger(), nullable=True),
        sa.Column('basis', sa.String(length=20), nullable=False),
        sa.Column('document', sa.Text(), nullable=False),
        sa.Column('target', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_cost_line_proposal_id'), 'cost_line', ['proposal_id'], unique=False)
    op.create_table(
        'unit_cost_record',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('output_type', sa.String(length=20), nullable=False),
        sa.Column('item', sa.String(length=200), nullable=False),
        sa.Column('unit', sa.String(length=30), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('unit_price_yuan', sa.BigInteger(), nullable=False),
        sa.Column('category', sa.String(length=20), nullable=False),
        sa.Column('department', sa.String(length=100), nullable=False),
        sa.Column('document', sa.Text(), nullable=False),
        sa.Column('approved_wan', sa.BigInteger(), nullable=True),
        sa.Column('actual_wan', sa.BigInteger(), nullable=True),
        sa.Column('source_file', sa.String(length=255), nullable=False),
        sa.Column('source_row', sa.Integer(), nullable=False),
        sa.Column('imported_at', sa.DateTime(), nullable=False),
        sa.Column('imported_by_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['imported_by_id'], ['user_account.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_unit_cost_record_output_type'), 'unit_cost_record', ['output_type'], unique=False)
    op.create_table(
        'economy_finding',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('assessment_id', sa.Integer(), nullable=False),
        sa.Column('method', sa.String(length=20), nullable=False),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.Column('figures', sa.JSON(), nullable=False),
        sa.Column('sources', sa.Text(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('assessment_id', 'method', name=op.f('uq_economy_finding_assessment_id')),
    )
    op.create_index(op.f('ix_economy_finding_assessment_id'), 'economy_finding', ['assessment_id'], unique=False)
    op.create_table(
        'split_flag',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('proposal_id', sa.Integer(), nullable=False),
        sa.Column('stage', sa.String(length=20), nullable=False),
        sa.Column('group_ids', sa.JSON(), nullable=False),
        sa.Column('total_wan', sa.BigInteger(), nullable=False),
        sa.Column('threshold_wan', sa.BigInteger(), nullable=False),
        sa.Column('evidence', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('decision', sa.String(length=20), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id']),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('proposal_id', 'stage', name=op.f('uq_split_flag_proposal_id')),
    )
    op.create_index(op.f('ix_split_flag_proposal_id'), 'split_flag', ['proposal_id'], unique=False)
    # the free-text 预算测算依据 of every existing proposal becomes its single cost line (amounts in hundredths)
    op.execute(sa.text(
        "INSERT INTO cost_line (proposal_id, position, item, quantity, unit, unit_price_yuan, amount_wan, basis,"
        " document, target) SELECT id, 0, :item, 100, :unit, fiscal_total_wan * 10000, fiscal_total_wan, :basis,"
        " budget_text, '' FROM proposal WHERE budget_text IS NOT NULL AND budget_text <> ''"
    ).bindparams(item=MIGRATED_ITEM, unit=MIGRATED_UNIT, basis=MIGRATED_BASIS))


def downgrade():
    op.drop_index(op.f('ix_split_flag_proposal_id'), table_name='split_flag')
    op.drop_table('split_flag')
    op.drop_index(op.f('ix_economy_finding_assessment_id'), table_name='economy_finding')
    op.drop_table('economy_finding')
    op.drop_index(op.f('ix_unit_cost_record_output_type'), table_name='unit_cost_record')
    op.drop_table('unit_cost_record')
    op.drop_index(op.f('ix_cost_line_proposal_id'), table_name='cost_line')
    op.drop_table('cost_line')
