"""The audit log records logins, state changes, score changes and rule-set changes; admins filter and export."""
import io
import shutil

from openpyxl import load_workbook
from sqlalchemy import select

from budget_eval.platform.extensions import db
from budget_eval.platform.models.audit import AuditEvent
from budget_eval.intake.rules import screening_rules
from tests.web.client import WebClient
from tests.web.flow import World


def kinds() -> list[str]:
    return [e.kind for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_audit_log_records_and_filters(app, make, tmp_path):
    world = World(app, make)
    WebClient(app).post("/login", {"username": world.staff.username, "password": "wrong"})
    WebClient(app).login(world.staff, through_form=True)  # a sign-in through the form, audited
    proposal = world.submit()
    world.to_finance_review(proposal)
    members = world.assign(proposal, [world.finance, *world.experts[:2]])
    world.declare_and_score(members[0], "8")
    world.client(world.admin).post(f"/proposals/reviews/{members[0].id}/reopen", {"reason": "录入错误"})
    events = db.session.scalars(select(AuditEvent)).all()
    details = [(e.kind, e.username, e.detail) for e in events]
    assert ("login", f"未登录（127.0.0.1，{world.staff.username}）", "登录失败（127.0.0.1）") in details
    assert all(u for _, u, _ in details)  # every line names its actor
    assert any(k == "login" and u == world.staff.username and d.startswith("登录成功") for k, u, d in details)
    assert any(k == "state" and "已提交" in d for k, _, d in details)
    assert any(k == "score" and "总分80.00" in d for k, _, d in details)
    assert any(k == "score" and "重新打开" in d and "录入错误" in d for k, _, d in details)

    # a rule-set change is logged the first time its new version is used
    rules_dir = tmp_path / "rules"
    shutil.copytree(app.config["RULES_DIR"], rules_dir)
    path = rules_dir / "screening.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('threshold_wan: {value: 1000,', 'threshold_wan: {value: 800,', 1),
                    encoding="utf-8")
    app.config["RULES_DIR"] = rules_dir
    version = screening_rules().version
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "rules", AuditEvent.detail == version))

    admin = world.client(world.admin)
    page = admin.text("/admin/audit?kind=score")
    assert "评分变更" in page and "重新打开" in page and "登录失败" not in page
    assert "登录失败" in admin.text(f"/admin/audit?kind=login&q={world.staff.username}") or \
        "登录失败" in admin.text("/admin/audit?kind=login")
    with admin.get("/admin/audit.xlsx?kind=state") as response:
        sheet = load_workbook(io.BytesIO(response.data)).active
    assert [c.value for c in sheet[1]] == ["时间", "用户", "类别", "对象", "内容"]
    assert sheet.max_row > 1 and {sheet.cell(r, 3).value for r in range(2, sheet.max_row + 1)} == {"流程变更"}
