"""Rule files seen by admins (sources, versions, a broken file kept out of requests); amounts in any unit
and the fiscal money that counts, through the proposal form."""
import re
import shutil
from decimal import Decimal

from sqlalchemy import select

from budget_eval.assessment.rules import assessment_rules, materials_checklist
from budget_eval.intake.models import Proposal
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.intake.rules import screening_rules
from budget_eval.platform.models.rule_file import RuleFileCopy
from budget_eval.platform.rules import broken_rules, forget_loaded
from tests.conftest import _test_config, new_app
from tests.web.client import WebClient
from tests.web.factories import form_post


def test_admin_page_lists_every_rule_file_with_sources_and_versions(client, make):
    client.login(make.user(Role.ADMIN))
    page = client.text("/admin/rules")
    for path in ("screening.yaml", "intake.yaml", "assessment.yaml", "schemes/hangzhou.yaml", "schemes/haidian.yaml"):
        assert path in page
    assert "《杭州市预算事前绩效评估管理办法》（杭财绩效〔2020〕9号，杭州市财政局，2020-05-25）第五条" in page
    assert "categories[0].threshold_wan" in page and "法定" in page and "本局自定" in page
    assert screening_rules().version in page
    assert "个数字无来源" not in page


def test_the_rule_files_page_is_for_admins_only(client, make):
    client.login(make.user(Role.DEPARTMENT))
    assert client.get("/admin/rules").status_code == 403


def test_a_broken_rule_file_never_reaches_a_request(app, client, make, tmp_path):
    rules_dir = tmp_path / "rules"
    shutil.copytree(app.config["RULES_DIR"], rules_dir)
    app.config["RULES_DIR"] = rules_dir
    good = screening_rules()  # the current version, loaded once
    path = rules_dir / "screening.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("threshold_wan: {value: 1000,", "threshold_wan: {value: 一千,", 1),
                    encoding="utf-8")
    staff = make.user(Role.DEPARTMENT)
    client.login(staff)
    response = client.post("/proposals/new", form_post())
    assert response.status_code == 302  # screened with the last good version
    proposal = db.session.scalar(select(Proposal))
    assert proposal.latest_screening.rule_version == good.version
    assert "规则文件有误" not in client.text(f"/proposals/{proposal.id}")  # departments are not alarmed
    client.post("/logout")
    client.login(make.user(Role.ADMIN))
    page = client.text("/admin/rules")
    assert "规则文件有误，系统正在使用上一个有效版本" in page
    assert "categories[1].threshold_wan.value 的值 &#39;一千&#39; 有误：应为数字（不加引号）" in page
    assert "规则文件有误，系统正在使用上一个有效版本" in client.text("/admin/users")  # on every admin page


def test_a_worker_started_while_a_rule_file_is_broken_uses_its_last_good_version(app, make, database_url, tmp_path):
    """Cold start (issue 22, point 5): the last good version of each rule file is kept in the database, so a new
    worker process (create_app, nothing loaded yet) that starts while screening.yaml is broken screens a
    submission on it, and the admins see the error."""
    rules_dir = tmp_path / "rules"
    shutil.copytree(app.config["RULES_DIR"], rules_dir)
    app.config["RULES_DIR"] = rules_dir
    forget_loaded()  # as a fresh process
    good = screening_rules()  # loads, and keeps the file in the database
    assert db.session.scalar(select(RuleFileCopy.name).where(RuleFileCopy.name == "screening.yaml"))
    path = rules_dir / "screening.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("threshold_wan: {value: 1000,", "threshold_wan: {value: 一千,", 1),
                    encoding="utf-8")
    staff, admin = make.user(Role.DEPARTMENT), make.user(Role.ADMIN)
    db.session.commit()
    forget_loaded()  # the worker that starts now has never seen the good file
    worker = new_app({**_test_config(database_url, tmp_path / "worker"), "RULES_DIR": rules_dir})
    with worker.app_context():
        client = WebClient(worker)
        client.login(staff)
        response = client.post("/proposals/new", form_post())
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        proposal = db.session.scalar(select(Proposal))
        assert proposal.latest_screening.rule_version == good.version
        client.post("/logout")
        client.login(admin)
        page = client.text("/admin/rules")
        assert "规则文件有误，系统正在使用上一个有效版本" in page and "数据库中保存的上一个有效版本" in page
        assert "categories[1].threshold_wan.value 的值 &#39;一千&#39; 有误" in page
        db.session.remove()
        db.engine.dispose()  # the worker app's own connections
    forget_loaded()


def test_a_broken_assessment_file_keeps_its_last_good_version(app, tmp_path):
    """Assessment's loaders (assessment/rules.py) go through the same last-good-version machinery."""
    rules_dir = tmp_path / "rules"
    shutil.copytree(app.config["RULES_DIR"], rules_dir)
    app.config["RULES_DIR"] = rules_dir
    good, checklist = assessment_rules("infra"), materials_checklist("infra")
    for name, old, new in (("assessment.yaml", "min_reviewers: {value: 3,", "min_reviewers: {value: 三,"),
                           ("materials.yaml", 'version: "2026-1"', "version: [2026]")):
        path = rules_dir / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    assert assessment_rules("infra") is good and materials_checklist("infra") is checklist
    warnings = broken_rules()
    assert any("assessment.yaml" in w for w in warnings) and any("materials.yaml" in w for w in warnings)


def test_amounts_with_units_in_form_fields(client, make):
    client.login(make.user(Role.DEPARTMENT))
    response = client.post("/proposals/new", form_post(**{
        "fund_years-0-amount": "1亿元", "fund_years-1-amount": "150000000元",
        "sources-general": "１．５亿元", "sources-bond": "10,000万"}))
    assert response.status_code == 302
    proposal = db.session.scalar(select(Proposal))
    assert [f.amount_wan for f in proposal.fund_years] == [Decimal("10000.00"), Decimal("15000.00")]
    assert proposal.fiscal_total_wan == Decimal("25000.00")


def test_a_probable_yuan_figure_asks_for_confirmation(client, make):
    client.login(make.user(Role.DEPARTMENT))
    typed = {"fund_years-0-amount": "12000000", "action": "draft"}
    response = client.post("/proposals/new", form_post(**typed))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "12,000,000.00万元（1,200亿元）数额很大，可能是按元填写" in page and "12000000元" in page
    assert db.session.scalar(select(Proposal)) is None
    response = client.post("/proposals/new", form_post(**typed, confirm_amounts="y"))
    assert response.status_code == 302  # confirmed: taken as 万元
    assert db.session.scalar(select(Proposal)).fund_years[0].amount_wan == Decimal("12000000.00")


def test_self_raised_money_does_not_bring_a_project_into_scope(client, make):
    client.login(make.user(Role.DEPARTMENT))
    response = client.post("/proposals/new", form_post(**{
        "category": "other", "start_year": "2027", "end_year": "2027",
        "fund_years-0-amount": "800", "fund_years-1-year": None, "fund_years-1-amount": None,
        "sources-general": "800", "sources-bond": None, "sources-self": "300"}))
    assert response.status_code == 302
    proposal = db.session.scalar(select(Proposal))
    assert proposal.screening_outcome == "not_required"
    basis = proposal.latest_screening.basis
    assert "计入第五条金额的财政预算资金：一般公共预算800.00万元；不计入：单位自筹300.00万元" in basis
    assert proposal.latest_screening.fiscal_total_wan == Decimal("800.00")


def test_an_estimated_policy_amount_is_marked(client, make):
    client.login(make.user(Role.DEPARTMENT))
    response = client.post("/proposals/new", form_post(**{
        "category": "policy", "amount_estimated": "y", "estimate_basis": "约1万名老人×每月20餐×5元"}))
    assert response.status_code == 302
    record = db.session.scalar(select(Proposal)).latest_screening
    assert record.amount_estimated and "按估算金额判定（测算依据：约1万名老人×每月20餐×5元）" in record.basis


def test_continuing_kinds_and_midyear_come_from_the_rules(client, make):
    client.login(make.user(Role.DEPARTMENT))
    page = client.text("/proposals/new")
    for label in ("新出台", "延续", "到期延续", "延续（内容实质性调整）", "在年中预算调整中新增"):
        assert label in page
    response = client.post("/proposals/new", form_post(is_new="expiring"))
    assert response.status_code == 302
    proposal = db.session.scalar(select(Proposal))
    assert (proposal.is_new, proposal.nature, proposal.screening_outcome) == (False, "expiring", "not_required")
    assert "【本局自定】" in proposal.latest_screening.basis
    client.post("/proposals/new", form_post(name="草稿", is_new="changed", is_midyear="y", action="draft"))
    draft = db.session.scalar(select(Proposal).where(Proposal.name == "草稿"))
    assert (draft.nature, draft.is_midyear) == ("changed", True)
    page = client.text(f"/proposals/{draft.id}/edit")
    assert re.search(r'<input checked[^>]*value="changed"', page) and re.search(r'<input checked[^>]*name="is_midyear"', page)
