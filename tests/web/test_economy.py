"""投入经济性 on the web (issue 26): cost lines at intake, the reviewer's comparison and cost–benefit findings, the
report, and suspected splitting at screening."""
from decimal import Decimal

from sqlalchemy import select

from budget_eval.intake.models import Proposal
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from tests.web.client import WebClient
from tests.web.factories import form_post

def client_of(app, user) -> WebClient:
    client = WebClient(app)
    client.login(user)
    return client


COST_LINES = {
    "targets-0-name": "道路改造里程",
    "cost_lines-0-item": "道路改造", "cost_lines-0-quantity": "12", "cost_lines-0-unit": "公里",
    "cost_lines-0-unit_price": "15000000", "cost_lines-0-amount": "18000", "cost_lines-0-basis": "quota",
    "cost_lines-0-document": "《浙江省市政工程概算定额》", "cost_lines-0-target": "道路改造里程",
    "cost_lines-1-item": "业务培训", "cost_lines-1-quantity": "3,000", "cost_lines-1-unit": "人次",
    "cost_lines-1-unit_price": "1000元", "cost_lines-1-amount": "300", "cost_lines-1-basis": "quote",
    "cost_lines-1-document": "三家机构询价单",
    "cost_lines-2-item": "设备购置", "cost_lines-2-quantity": "100", "cost_lines-2-unit": "套",
    "cost_lines-2-unit_price": "67万元", "cost_lines-2-amount": "6700", "cost_lines-2-basis": "contract",
    "cost_lines-2-document": "2025年框架合同",
}


def test_department_enters_cost_lines_that_must_add_up(app, make):
    staff = make.user(Role.DEPARTMENT)
    client = client_of(app, staff)
    wrong = form_post(**(COST_LINES | {"cost_lines-2-amount": "6000", "cost_lines-2-unit_price": "60万元"}))
    page = client.post("/proposals/new", wrong)
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert "费用明细合计24,300.00万元，与申请本级财政资金合计25,000.00万元不一致" in text
    assert 'value="三家机构询价单"' in text and 'value="60万元"' in text  # everything typed is kept
    assert db.session.scalar(select(Proposal)) is None  # nothing half-saved
    bad_line = client.post("/proposals/new", form_post(**(COST_LINES | {"cost_lines-1-amount": "200"})))
    assert "数量×单价为300.00万元，与所填金额200.00万元不一致" in bad_line.get_data(as_text=True)
    done = client.post("/proposals/new", form_post(**COST_LINES))
    assert done.status_code == 302, done.get_data(as_text=True)[:3000]
    proposal = db.session.scalar(select(Proposal))
    assert [(c.item, c.quantity, c.unit_price_yuan, c.amount_wan, c.basis) for c in proposal.cost_lines] == [
        ("道路改造", Decimal("12.00"), Decimal("15000000.00"), Decimal("18000.00"), "quota"),
        ("业务培训", Decimal("3000.00"), Decimal("1000.00"), Decimal("300.00"), "quote"),
        ("设备购置", Decimal("100.00"), Decimal("670000.00"), Decimal("6700.00"), "contract")]
    detail = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "费用明细（预算测算表）" in detail and "15,000,000.00元" in detail and "市场询价" in detail
    assert proposal.versions[-1].snapshot["cost_lines"][0][:3] == ["道路改造", "12.00", "公里"]
