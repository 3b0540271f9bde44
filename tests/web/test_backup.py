"""A backup of a populated database restores into an empty one with every record and attachment."""
import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from budget_eval.platform.extensions import db
from budget_eval.intake import attachments
from budget_eval.evaluation import operations as evaluation
from tests.conftest import _empty_tables
from tests.web.flow import World
from tests.web.factories import TESTER


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
    evaluation.open_year(2026, "hangzhou", TESTER)
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
    after = snapshot()
    restore_line = after["audit_event"].pop()  # the restore itself is audited, after every restored line
    assert "从备份“backup.tar.gz”恢复" in str(restore_line) and "命令行 restore" in str(restore_line)
    assert after == before
    restored = {p.relative_to(app.config["ATTACHMENT_DIR"]): p.read_bytes()
                for p in Path(app.config["ATTACHMENT_DIR"]).rglob("*") if p.is_file()}
    assert restored == stored and len(stored) == 1
    # new rows get fresh ids after a restore (sequences moved past the restored ones)
    assert make.department("恢复后新建的部门").id > max(r[0] for r in before["department"])


def _foreign_key_violations() -> list[str]:
    """Every row whose foreign key points at nothing, over the whole database."""
    problems = []
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            for fk in table.foreign_key_constraints:
                parent = fk.referred_table.alias("parent")
                local = [e.parent for e in fk.elements]
                remote = [parent.c[e.column.name] for e in fk.elements]
                orphans = conn.execute(
                    sa.select(sa.func.count()).select_from(table)
                    .where(*[c.isnot(None) for c in local])
                    .where(~sa.exists().where(*[r == c for r, c in zip(remote, local, strict=True)]))
                ).scalar()
                if orphans:
                    problems.append(f"{table.name}.{fk.name}: {orphans}")
    return problems


def test_backup_during_a_writer_loop_is_one_consistent_snapshot(app, make, tmp_path):
    """A writer keeps adding a department and then a user in it; the backup still restores cleanly."""
    import threading

    from budget_eval.platform.domain.roles import Role
    from budget_eval.platform.models.department import Department
    from budget_eval.platform.models.user import User

    stop, written, errors = threading.Event(), [0], []

    def writer():
        with app.app_context():
            try:
                n = 0
                while not stop.is_set() or n < 3:
                    n += 1
                    department = Department(name=f"并发新建部门{n}")
                    db.session.add(department)
                    db.session.commit()  # the department and its user in two transactions, as an admin would
                    user = User(username=f"writer{n}", display_name=f"并发用户{n}", role=Role.DEPARTMENT,
                                department_id=department.id, password_hash="x")
                    db.session.add(user)
                    db.session.commit()
                    written[0] = n
            except Exception as exc:  # noqa: BLE001  (reported below)
                errors.append(exc)
            finally:
                db.session.remove()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        archives = []
        for n in range(3):
            archive = tmp_path / f"during-{n}.tar.gz"
            result = app.test_cli_runner().invoke(args=["backup", "-o", str(archive)])
            assert result.exit_code == 0, result.output
            archives.append(archive)
    finally:
        stop.set()
        thread.join()
    assert not errors and written[0] >= 3
    import json
    import tarfile

    for archive in archives:
        with tarfile.open(archive) as tar:
            counts = json.loads(tar.extractfile("manifest.json").read())["tables"]
        db.session.remove()
        _empty_tables()
        result = app.test_cli_runner().invoke(args=["restore", str(archive)])
        assert result.exit_code == 0, result.output
        with db.engine.connect() as conn:
            restored = {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar()
                        for t in db.metadata.sorted_tables}
        assert restored == counts | {"audit_event": counts["audit_event"] + 1}  # and the restore's own line
        assert _foreign_key_violations() == []


def _archive(app, tmp_path) -> Path:
    make_some = tmp_path / "good.tar.gz"
    result = app.test_cli_runner().invoke(args=["backup", "-o", str(make_some)])
    assert result.exit_code == 0, result.output
    return make_some


def _rewrite(source: Path, target: Path, change) -> Path:
    """Copy an archive, passing each member's bytes through change(name, data) -> data or None (drop)."""
    import tarfile

    with tarfile.open(source) as old, tarfile.open(target, "w:gz") as new:
        for member in old.getmembers():
            data = old.extractfile(member).read() if member.isfile() else None
            data = change(member.name, data) if data is not None else None
            if data is None and member.isfile():
                continue
            info = tarfile.TarInfo(member.name)
            info.size = len(data or b"")
            new.addfile(info, io.BytesIO(data or b""))
    return target


def _orphan_user(name, data):
    if name == "data/user_account.jsonl":
        import json

        rows = [json.loads(line) for line in data.decode().splitlines()]
        rows[0]["department_id"] = 99999
        return "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode()
    return data


def _extra_column(name, data):
    if name == "data/department.jsonl":
        return data.replace(b'"active"', b'"colour": "red", "active"', 1)
    return data


def _text_for_number(name, data):
    if name == "data/department.jsonl":
        import re

        return re.sub(rb'"id": \d+', b'"id": "seven"', data, count=1)
    return data


@pytest.mark.parametrize(("damage", "message"), [
    ("truncated", "备份文件已损坏"),
    ("garbage", "备份文件已损坏或不完整，无法解压"),
    ("no manifest", "缺少 manifest.json"),
    ("no table", "缺少 data/department.jsonl"),
    ("orphan", "在备份中不存在"),
    ("extra column", "列与本系统不符"),
    ("wrong type", "类型不对"),
])
def test_a_broken_archive_is_refused_with_a_message(app, make, tmp_path, damage, message):
    from budget_eval.platform.domain.roles import Role

    make.user(Role.DEPARTMENT)
    make.user(Role.ADMIN)
    good = _archive(app, tmp_path)
    broken = tmp_path / "broken.tar.gz"
    if damage == "truncated":
        broken.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    elif damage == "garbage":
        broken.write_bytes(b"this is not a backup at all")
    elif damage == "no manifest":
        _rewrite(good, broken, lambda name, data: None if name == "manifest.json" else data)
    elif damage == "no table":
        _rewrite(good, broken, lambda name, data: None if name == "data/department.jsonl" else data)
    elif damage == "orphan":
        _rewrite(good, broken, _orphan_user)
    elif damage == "extra column":
        _rewrite(good, broken, _extra_column)
    else:
        _rewrite(good, broken, _text_for_number)
    db.session.remove()
    _empty_tables()
    result = app.test_cli_runner().invoke(args=["restore", str(broken)])
    assert result.exit_code != 0 and message in result.output, result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    with db.engine.connect() as conn:  # nothing half-restored
        assert all(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar() == 0
                   for t in db.metadata.sorted_tables if t.name != "alembic_version")
