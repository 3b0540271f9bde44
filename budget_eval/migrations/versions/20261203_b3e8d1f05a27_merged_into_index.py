"""an index on survey_response.merged_into_id: a comment's merged comments are found by it, and PostgreSQL checks the
self-referencing foreign key through it when rows are deleted (without it each deleted row scans the whole table:
minutes for a large survey) — issue 22

Revision ID: b3e8d1f05a27
Revises: c4d9e2f7a1b8
Create Date: 2026-12-03

"""
from alembic import op

revision = 'b3e8d1f05a27'
down_revision = 'c4d9e2f7a1b8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_survey_response_merged_into_id', 'survey_response', ['merged_into_id'])


def downgrade():
    op.drop_index('ix_survey_response_merged_into_id', table_name='survey_response')
