"""accounts and one of a kind: user names compared after NFKC + case folding (user_account.username_key,
unique); one 跟踪督办 item per year and title, one leader score per leader and unit, one stored issue list per
hot word (unique constraints the race guards of the models name)

Rows that already break a new rule are settled first, so the upgrade never fails on old data:
- user names that fold to the same key keep it on the oldest account; a later one gets "<key>#<id>" (its user
  name itself is unchanged, so it still signs in under its exact name);
- duplicate 督办 items (same year and title) keep the oldest title; a later one becomes "<title>（重复#<id>）";
- duplicate leader scores (same unit and leader) keep the latest, the earlier rows are deleted (the import
  always meant "replace");
- duplicate stored issues of a hot word keep the oldest row of each position.

Revision ID: e25a0d17c0de
Revises: b2d4f6a8c0e1
Create Date: 2026-12-02 23:00:00

"""
import unicodedata

from alembic import op
import sqlalchemy as sa


revision = 'e25a0d17c0de'
down_revision = 'b2d4f6a8c0e1'
branch_labels = None
depends_on = None


def _key(name):  # frozen copy of platform.models.user.username_key (a migration does not import the models)
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name.strip()).casefold())


def upgrade():
    conn = op.get_bind()
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('username_key', sa.String(length=64), nullable=True))
    users = sa.table('user_account', sa.column('id', sa.Integer), sa.column('username', sa.String),
                     sa.column('username_key', sa.String))
    seen = set()
    for id_, name in conn.execute(sa.select(users.c.id, users.c.username).order_by(users.c.id)).all():
        key = _key(name)[:64]
        if key in seen:
            key = f"{key[:50]}#{id_}"
        seen.add(key)
        conn.execute(users.update().where(users.c.id == id_).values(username_key=key))
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('username_key', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_user_account_username_key'), ['username_key'])

    items = sa.table('supervision_item', sa.column('id', sa.Integer), sa.column('year_id', sa.Integer),
                     sa.column('title', sa.String))
    seen = set()
    for id_, year_id, title in conn.execute(sa.select(items.c.id, items.c.year_id, items.c.title)
                                            .order_by(items.c.id)).all():
        if (year_id, title) in seen:
            conn.execute(items.update().where(items.c.id == id_).values(title=f"{title[:180]}（重复#{id_}）"))
        seen.add((year_id, title))
    with op.batch_alter_table('supervision_item', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_supervision_item_year_id'), ['year_id', 'title'])

    scores = sa.table('eval_leader_score', sa.column('id', sa.Integer), sa.column('unit_id', sa.Integer),
                      sa.column('leader', sa.String))
    seen = set()
    for id_, unit_id, leader in conn.execute(sa.select(scores.c.id, scores.c.unit_id, scores.c.leader)
                                             .order_by(scores.c.id.desc())).all():
        if (unit_id, leader) in seen:
            conn.execute(scores.delete().where(scores.c.id == id_))
        seen.add((unit_id, leader))
    with op.batch_alter_table('eval_leader_score', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_eval_leader_score_unit_id'), ['unit_id', 'leader'])

    issues = sa.table('hot_word_issue', sa.column('id', sa.Integer), sa.column('year_id', sa.Integer),
                      sa.column('department_id', sa.Integer), sa.column('word', sa.String),
                      sa.column('position', sa.Integer))
    seen = set()
    for row in conn.execute(sa.select(issues.c.id, issues.c.year_id, issues.c.department_id, issues.c.word,
                                      issues.c.position).order_by(issues.c.id)).all():
        if tuple(row[1:]) in seen:
            conn.execute(issues.delete().where(issues.c.id == row[0]))
        seen.add(tuple(row[1:]))
    with op.batch_alter_table('hot_word_issue', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_hot_word_issue_year_id'),
                                          ['year_id', 'department_id', 'word', 'position'])
        batch_op.create_index('uq_hot_word_issue_city', ['year_id', 'word', 'position'], unique=True,
                              sqlite_where=sa.text('department_id IS NULL'),
                              postgresql_where=sa.text('department_id IS NULL'))


def downgrade():
    with op.batch_alter_table('hot_word_issue', schema=None) as batch_op:
        batch_op.drop_index('uq_hot_word_issue_city')
        batch_op.drop_constraint(batch_op.f('uq_hot_word_issue_year_id'), type_='unique')
    with op.batch_alter_table('eval_leader_score', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_eval_leader_score_unit_id'), type_='unique')
    with op.batch_alter_table('supervision_item', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_supervision_item_year_id'), type_='unique')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_user_account_username_key'), type_='unique')
        batch_op.drop_column('username_key')
