"""assessment route (art. 5 and art. 2): sector authority, assessor of record, the report's two reviews, the
adjustment's answer; the proposal's new states

- department.sector_authority_id (行业主管部门, set by admins): existing departments start with their parent unit
  (主管部门), the only authority the product knew; admins change it where the two differ.
- proposal.assessor_kind/agency/contract/staff (the assessor of record): a proposal already past the materials
  check was assessed on the only route there was (the finance bureau organised the panel), so it is recorded as
  'finance'; a proposal still at 已提交 or 材料审查 gets its assessor chosen by finance.
- report_review (the two reviews of the report) and adjustment_response (the answer to 调整完善), new tables.
- proposal.status gains adjusted, report_review, correcting, reviewed. Existing states keep their meaning on the
  new route: authority_review (the parent unit reviews the self-assessment) and finance_review stay; a concluded
  proposal whose conclusion is 予以支持 is now sent by its department for the reviews before any meeting; one in
  revising answers the opinions with its 修改说明; meeting and decided are unchanged.

Revision ID: c19a7e5d3b60
Revises: e25a0d17c0de
Create Date: 2026-12-02 23:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c19a7e5d3b60'
down_revision = 'e25a0d17c0de'
branch_labels = None
depends_on = None

# the states as of this revision (frozen here: a migration is history, it does not read the enums)
BEFORE = ("draft", "submitted", "materials", "self_assessment", "authority_review", "finance_review", "concluded",
          "revising", "meeting", "decided")
AFTER = ("draft", "submitted", "materials", "self_assessment", "authority_review", "finance_review", "concluded",
         "revising", "adjusted", "report_review", "correcting", "reviewed", "meeting", "decided")


def _condition(states):
    return f"status IN ({', '.join(repr(s) for s in states)})"


def _replace_status_check(states):
    name = op.f("ck_proposal_status_known")
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.drop_constraint(name, type_="check")
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.create_check_constraint(name, _condition(states))


def upgrade():
    with op.batch_alter_table('department', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sector_authority_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_department_sector_authority_id_department'), 'department',
                                    ['sector_authority_id'], ['id'])
    op.execute("UPDATE department SET sector_authority_id = authority_id")
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assessor_kind', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('assessor_agency', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('assessor_contract', sa.String(length=60), server_default='', nullable=False))
        batch_op.add_column(sa.Column('assessor_staff', sa.JSON(), server_default='[]', nullable=False))
    op.execute("UPDATE proposal SET assessor_kind = 'finance' "
               "WHERE status NOT IN ('draft', 'submitted', 'materials')")
    _replace_status_check(AFTER)
    op.create_table('report_review',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('proposal_id', sa.Integer(), nullable=False),
        sa.Column('cycle', sa.Integer(), nullable=False),
        sa.Column('reviewer', sa.String(length=20), nullable=False),
        sa.Column('passed', sa.Boolean(), nullable=False),
        sa.Column('opinion', sa.Text(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_report_review_department_id_department')),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_report_review_proposal_id_proposal'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_report_review_user_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_review')),
        sa.UniqueConstraint('proposal_id', 'cycle', 'reviewer', name=op.f('uq_report_review_proposal_id')))
    with op.batch_alter_table('report_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_review_proposal_id'), ['proposal_id'], unique=False)
    op.create_table('adjustment_response',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('proposal_id', sa.Integer(), nullable=False),
        sa.Column('assessment_id', sa.Integer(), nullable=False),
        sa.Column('points', sa.JSON(), nullable=False),
        sa.Column('explanation', sa.Text(), nullable=False),
        sa.Column('changed', sa.JSON(), nullable=False),
        sa.Column('submitted_by_id', sa.Integer(), nullable=False),
        sa.Column('submitted_at', sa.DateTime(), nullable=False),
        sa.Column('outcome', sa.String(length=20), nullable=True),
        sa.Column('outcome_note', sa.Text(), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_adjustment_response_assessment_id_assessment'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_adjustment_response_decided_by_id_user_account')),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_adjustment_response_proposal_id_proposal'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['submitted_by_id'], ['user_account.id'], name=op.f('fk_adjustment_response_submitted_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_adjustment_response')))
    with op.batch_alter_table('adjustment_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_adjustment_response_assessment_id'), ['assessment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_adjustment_response_proposal_id'), ['proposal_id'], unique=False)


def downgrade():
    # the new states have no place on the old route: a proposal in one goes back to where the old route had it
    op.execute("UPDATE proposal SET status = 'concluded' WHERE status IN ('report_review', 'correcting', 'reviewed')")
    op.execute("UPDATE proposal SET status = 'revising' WHERE status = 'adjusted'")
    with op.batch_alter_table('adjustment_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_adjustment_response_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_adjustment_response_assessment_id'))
    op.drop_table('adjustment_response')
    with op.batch_alter_table('report_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_review_proposal_id'))
    op.drop_table('report_review')
    _replace_status_check(BEFORE)
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_column('assessor_staff')
        batch_op.drop_column('assessor_contract')
        batch_op.drop_column('assessor_agency')
        batch_op.drop_column('assessor_kind')
    with op.batch_alter_table('department', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_department_sector_authority_id_department'), type_='foreignkey')
        batch_op.drop_column('sector_authority_id')
