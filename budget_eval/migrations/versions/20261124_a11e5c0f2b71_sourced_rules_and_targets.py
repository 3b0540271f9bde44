"""Screening by the money that counts, 绩效目标 per 财预〔2021〕101号, 专项晋优 nominations

Adds: proposal.nature / is_midyear / amount_estimated / estimate_basis; performance_target.comparator /
basis / year; screening_record.amount_estimated; evaluation_unit.special_promotion.
Data: existing rows keep every value. A target filed as 产出指标 › 成本指标 (the pre-2021 tree) moves to
the first-level 成本指标 › 经济成本指标; each target's comparator is read from its value (a leading ≥ ≤ =,
else a number means "=", else 定性); continuing proposals get nature "continuing". Stored assessment rule
snapshots gain the values that moved from Python into rules/assessment.yaml (levels 优良中差, similarity
weights 0.7/0.3, trimming floor 3), with which they were made.

Revision ID: a11e5c0f2b71
Revises: f7d2c2b051e7
Create Date: 2026-11-24 15:10:00
"""
import re

from alembic import op
import sqlalchemy as sa


revision = 'a11e5c0f2b71'
down_revision = 'f7d2c2b051e7'
branch_labels = None
depends_on = None

# the values the code used before they moved to rules/assessment.yaml (version 2026-2)
OLD_SCORING = {"levels": ["优", "良", "中", "差"], "trim_floor_reviewers": 3,
               "duplicate_weights": {"name_weight": 0.7, "text_weight": 0.3}}
LEADING = re.compile(r"^\s*(≥|≤|=|>=|<=)\s*")
NUMBER = re.compile(r"^\s*[-+]?[\d,，.]+\s*$")


def upgrade():
    with op.batch_alter_table('proposal') as batch_op:
        batch_op.add_column(sa.Column('nature', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('is_midyear', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('amount_estimated', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('estimate_basis', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('performance_target') as batch_op:
        batch_op.add_column(sa.Column('comparator', sa.String(length=10), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('basis', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('year', sa.Integer(), nullable=True))
    with op.batch_alter_table('screening_record') as batch_op:
        batch_op.add_column(sa.Column('amount_estimated', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('evaluation_unit') as batch_op:
        batch_op.add_column(sa.Column('special_promotion', sa.Boolean(), nullable=False, server_default=sa.false()))
    _migrate_data(op.get_bind())
    for table, columns in (('proposal', ('is_midyear', 'amount_estimated', 'estimate_basis')),
                           ('performance_target', ('comparator', 'basis')),
                           ('screening_record', ('amount_estimated',)), ('evaluation_unit', ('special_promotion',))):
        with op.batch_alter_table(table) as batch_op:
            for column in columns:
                batch_op.alter_column(column, server_default=None)


def _migrate_data(conn):
    target = sa.table('performance_target', sa.column('id', sa.Integer), sa.column('level1', sa.String),
                      sa.column('level2', sa.String), sa.column('value', sa.String), sa.column('comparator', sa.String))
    for id_, level1, level2, value in conn.execute(sa.select(target.c.id, target.c.level1, target.c.level2,
                                                             target.c.value)).all():
        changes = {"comparator": _comparator(value or "")}
        match = LEADING.match(value or "")
        if match:
            changes["value"] = (value or "")[match.end():]
        if level1 == "产出指标" and level2 == "成本指标":
            changes |= {"level1": "成本指标", "level2": "经济成本指标"}
        conn.execute(target.update().where(target.c.id == id_).values(**changes))
    proposal = sa.table('proposal', sa.column('is_new', sa.Boolean), sa.column('nature', sa.String))
    conn.execute(proposal.update().where(proposal.c.is_new == sa.false()).values(nature="continuing"))
    for name in ('assessment', 'self_assessment'):
        table = sa.table(name, sa.column('id', sa.Integer), sa.column('rules_snapshot', sa.JSON))
        for id_, snapshot in conn.execute(sa.select(table.c.id, table.c.rules_snapshot)).all():
            scoring = (snapshot or {}).get("scoring")
            if isinstance(scoring, dict) and "levels" not in scoring:
                snapshot = {**snapshot, "scoring": {**scoring, **OLD_SCORING}}
                conn.execute(table.update().where(table.c.id == id_).values(rules_snapshot=snapshot))


def _comparator(value: str) -> str:
    match = LEADING.match(value)
    if match:
        return {">=": "≥", "<=": "≤"}.get(match.group(1), match.group(1))
    return "=" if NUMBER.match(value) else "定性"


def downgrade():
    with op.batch_alter_table('evaluation_unit') as batch_op:
        batch_op.drop_column('special_promotion')
    with op.batch_alter_table('screening_record') as batch_op:
        batch_op.drop_column('amount_estimated')
    with op.batch_alter_table('performance_target') as batch_op:
        batch_op.drop_column('year')
        batch_op.drop_column('basis')
        batch_op.drop_column('comparator')
    with op.batch_alter_table('proposal') as batch_op:
        batch_op.drop_column('estimate_basis')
        batch_op.drop_column('amount_estimated')
        batch_op.drop_column('is_midyear')
        batch_op.drop_column('nature')
