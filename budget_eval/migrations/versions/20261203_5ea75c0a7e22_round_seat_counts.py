"""a round's seats by state stored on the round (assessment.seats_seated / seats_waiting / seats_submitted, recounted
by the state_changed receiver of assessment/seat_counts.py) and two partial indexes over the open rounds the 工作台
lists (nobody seated; every sheet in and one at least), so it reads only those rounds; a partial index over the
open rounds in deadline order for the pipeline's overdue reviews — issue 22

Revision ID: 5ea75c0a7e22
Revises: e7a41c9d2b60
Create Date: 2026-12-03

"""
from alembic import op
import sqlalchemy as sa

revision = '5ea75c0a7e22'
down_revision = 'e7a41c9d2b60'
branch_labels = None
depends_on = None

OPEN = "status = 'open'"
UNSEATED = "status = 'open' AND seats_seated = 0"
SHEETS_IN = "status = 'open' AND seats_waiting = 0 AND seats_submitted > 0"


def _seats(states: str) -> str:
    return f"(SELECT count(*) FROM panel_member WHERE panel_member.assessment_id = assessment.id AND status {states})"


def upgrade():
    for name in ('seats_seated', 'seats_waiting', 'seats_submitted'):
        op.add_column('assessment', sa.Column(name, sa.Integer(), server_default='0', nullable=False))
    # the backfill: every round's seats as they stand (declined and replaced seats are off the panel)
    submitted = _seats("= 'submitted'")
    seated, waiting = _seats("NOT IN ('declined', 'replaced')"), _seats("IN ('assigned', 'accepted')")
    op.execute(f"UPDATE assessment SET seats_seated = {seated}, seats_waiting = {waiting}, "
               f"seats_submitted = {submitted}")
    for name, where in (('ix_assessment_open_unseated', UNSEATED), ('ix_assessment_open_sheets_in', SHEETS_IN)):
        op.create_index(name, 'assessment', ['deadline', 'id'], sqlite_where=sa.text(where),
                        postgresql_where=sa.text(where))
    op.create_index('ix_assessment_open_deadline', 'assessment', ['deadline', 'id', 'proposal_id'],
                    sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))


def downgrade():
    op.drop_index('ix_assessment_open_deadline', table_name='assessment')
    op.drop_index('ix_assessment_open_sheets_in', table_name='assessment')
    op.drop_index('ix_assessment_open_unseated', table_name='assessment')
    with op.batch_alter_table('assessment') as batch:
        for name in ('seats_submitted', 'seats_waiting', 'seats_seated'):
            batch.drop_column(name)
