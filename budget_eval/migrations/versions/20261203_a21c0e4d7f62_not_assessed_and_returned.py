"""proposal states 无需评估 (not_assessed, final) and 申报退回补正 (returned); the attachment a material item was
received as (issue 21, point 5)

A submission screened 不需要 or 免于评估 used to stay 已提交 for ever; it now closes as 无需评估. Existing ones are
moved there, each with a history line saying so (written by the first admin, or the submitter where there is
none: proposal_event needs a user).

Revision ID: a21c0e4d7f62
Revises: f1a7c0de2b22
Create Date: 2026-12-03

"""
from alembic import op
import sqlalchemy as sa

revision = 'a21c0e4d7f62'
down_revision = 'f1a7c0de2b22'
branch_labels = None
depends_on = None

# the states as of this revision (frozen here: a migration is history, it does not read the enums)
BEFORE = ("draft", "submitted", "materials", "self_assessment", "authority_review", "finance_review", "concluded",
          "revising", "adjusted", "report_review", "correcting", "reviewed", "meeting", "decided")
AFTER = (*BEFORE, "returned", "not_assessed")
NOTE = "迁移：按已存的范围判定（不需要或免于评估）办结为“无需评估”"


def _replace_status_check(states):
    name = op.f("ck_proposal_status_known")
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.drop_constraint(name, type_="check")
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.create_check_constraint(name, f"status IN ({', '.join(repr(s) for s in states)})")


def upgrade():
    with op.batch_alter_table('material_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attachment_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_material_item_attachment_id_attachment'), 'attachment',
                                    ['attachment_id'], ['id'], ondelete='SET NULL')
    _replace_status_check(AFTER)
    bind = op.get_bind()
    closing = bind.execute(sa.text(
        "SELECT id, created_by_id FROM proposal WHERE status = 'submitted' "
        "AND screening_outcome IN ('not_required', 'exempt')")).all()
    admin = bind.execute(sa.text("SELECT min(id) FROM user_account WHERE role = 'admin'")).scalar()
    for proposal_id, created_by in closing:
        bind.execute(sa.text("UPDATE proposal SET status = 'not_assessed' WHERE id = :id"), {"id": proposal_id})
        bind.execute(sa.text(
            "INSERT INTO proposal_event (proposal_id, at, user_id, action, from_status, to_status, note) "
            "VALUES (:id, CURRENT_TIMESTAMP, :user, '判定无需评估，办结', 'submitted', 'not_assessed', :note)"),
            {"id": proposal_id, "user": admin or created_by, "note": NOTE})


def downgrade():
    op.execute("UPDATE proposal SET status = 'submitted' WHERE status = 'not_assessed'")
    op.execute("UPDATE proposal SET status = 'draft' WHERE status = 'returned'")
    _replace_status_check(BEFORE)
    with op.batch_alter_table('material_item', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_material_item_attachment_id_attachment'), type_='foreignkey')
        batch_op.drop_column('attachment_id')
