"""A backup of a populated database restores into an empty one with every record and attachment."""
import io
from pathlib import Path

import sqlalchemy as sa

from budget_eval.platform.extensions import db
from budget_eval.intake import attachments
from budget_eval.evaluation import operations as evaluation
from tests.conftest import _empty_tables
from tests.web.flow import World


def snapshot() -> dict:
    with db.engine.connect() as conn:
        return {t.name: [tuple(r) for r in conn.execute(sa.select(t).order_by(*t.primary_key.columns))]
                for t in db.metadata.sorted_tables}


def test_backup_restore_round_trip(app, make, tmp_path):
    world = World(app, make)
    proposal = world.submit(basis_text="R&D <依据> 😀\n第二行")
    attachments.store(proposal, io.BytesIO(b"%PDF-1.4 \x00\x01 binary"), "可研报告.pdf", world.staff)
    world.to_finance_review(proposal)
    for member in world.assign(proposal, [world.finance, *world.experts[:2]]):
        world.declare_and_score(member, "8.75")
    world.conclude(proposal)
    evaluation.open_year(2026, "hangzhou")
    before = snapshot()
    stored = {p.relative_to(app.config["ATTACHMENT_DIR"]): p.read_bytes()
              for p in Path(app.config["ATTACHMENT_DIR"]).rglob("*") if p.is_file()}
    archive = tmp_path / "backup.tar.gz"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["backup", "-o", str(archive)])
    assert result.exit_code == 0, result.output

    refused = runner.invoke(args=["restore", str(archive)])  # not into a populated database
    assert refused.exit_code != 0 and "只能恢复到空数据库" in refused.output

    db.session.remove()
    _empty_tables()
    for path in Path(app.config["ATTACHMENT_DIR"]).rglob("*"):
        if path.is_file():
            path.unlink()
    result = runner.invoke(args=["restore", str(archive)])
    assert result.exit_code == 0, result.output
    assert snapshot() == before
    restored = {p.relative_to(app.config["ATTACHMENT_DIR"]): p.read_bytes()
                for p in Path(app.config["ATTACHMENT_DIR"]).rglob("*") if p.is_file()}
    assert restored == stored and len(stored) == 1
    # new rows get fresh ids after a restore (sequences moved past the restored ones)
    assert make.department("恢复后新建的部门").id > max(r[0] for r in before["department"])
