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


def test_reviewer_compares_with_past_projects_records_findings_and_the_report_prints_them(app):
    """On the demo: expert1 sees the road project's cost lines against ≥3 past projects, records 比较法 and a
    cost–benefit result; the concluded report prints both with figures and sources; a report without findings
    prints neither."""
    import io
    import re

    from docx import Document

    from budget_eval.assessment.models import Assessment, PanelMember
    from budget_eval.demo import PASSWORD
    from budget_eval.demo.costs import CURRENT
    from budget_eval.platform.models.user import User
    from tests.web.flow import KEYS
    from tests.web.test_reports import download, text_of

    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    from budget_eval.assessment.economy import library_summary
    from budget_eval.demo.costs import SPLIT

    meaningful = [(t, u) for t, u, projects, imported in library_summary() if projects + imported >= 3]
    assert len(meaningful) >= 3, library_summary()  # 道路改造/公里, 培训/人次, 绿化/平方米
    split = db.session.scalar(select(Proposal).where(Proposal.name == SPLIT + "（二期）"))
    assert split.split_flags and split.split_flags[0].total_wan == Decimal("1200.00")
    proposal = db.session.scalar(select(Proposal).where(Proposal.name == CURRENT))
    round_ = proposal.current_assessment
    users = {m.user.username: m for m in round_.members}
    expert = WebClient(app)
    expert.login(users["expert1"].user, PASSWORD)
    seat = users["expert1"]
    expert.post(f"/reviews/{seat.id}", {"step": "declare", "agree": "yes"})
    page = expert.get(f"/reviews/{seat.id}").get_data(as_text=True)
    assert "投入经济性分析：单位成本比较与成本效益" in page
    assert "! 高于上四分位数" in page and "! 高于定额" in page  # the road line: 17,500,000元/公里
    assert "文三路道路综合整治" in page and "莫干山路道路改造提升" in page and "天目山路道路改造" in page
    road = next(c for c in __import__("budget_eval.assessment.economy", fromlist=["x"]).comparisons_for(proposal)
                if c.line.item == "道路改造").comparison
    assert road.stats.n >= 3
    assert expert.post(f"/reviews/{seat.id}/economy", {"step": "comparison", "method": "比较法"}).status_code == 302
    assert expert.post(f"/reviews/{seat.id}/economy", {"step": "cost_benefit", "costs": "21000, 300, 300",
                                                        "benefits": "0, 9000, 9000, 9000"}).status_code == 302
    bad = expert.post(f"/reviews/{seat.id}/economy", {"step": "cost_benefit", "costs": "很多", "benefits": "1"},
                      follow_redirects=True)
    assert "各年成本应为按年度排列的数字" in bad.get_data(as_text=True)
    db.session.expire_all()
    methods = {f.method: f for f in db.session.get(Assessment, round_.id).economy_findings}
    assert set(methods) == {"比较法", "成本效益分析法"}
    assert "中位数" in methods["比较法"].summary and "逐项列于附件“单位成本比较明细”" in methods["比较法"].sources
    assert "#" not in methods["比较法"].sources  # never the system's internal numbers
    assert methods["成本效益分析法"].figures["table"][0]["label"] == "基准情形"

    # both reviewers score, the admin concludes, the report prints the findings
    for username in ("reviewer1", "expert1", "expert2"):
        member = users[username]
        client = WebClient(app)
        client.login(member.user, PASSWORD)
        client.post(f"/reviews/{member.id}", {"step": "declare", "agree": "yes"})
        data = {f"score-{k}": "8" for k in KEYS} | {f"comment-{k}": "依据充分" for k in KEYS}
        assert client.post(f"/reviews/{member.id}", data | {"opinion": "同意", "step": "submit"}).status_code == 302
    admin = WebClient(app)
    admin.login(db.session.scalar(select(User).where(User.username == "admin")), PASSWORD)
    done = admin.post(f"/proposals/{proposal.id}/assessment/conclude",
                      {"opinion": "总体可行", "problems": "道路单价偏高", "suggestions": "按定额复核"}, follow_redirects=True)
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).status == "concluded", done.get_data(as_text=True)[-3000:]
    report = download(admin, f"/proposals/{proposal.id}/report.docx")
    text = text_of(Document(io.BytesIO(report)))
    assert "因素分析法：费用明细共3项，合计21,305.00万元。主要费用为：道路改造21,000.00万元（12公里×17,500,000.00元/公里）" in text
    assert "比较法：“道路改造”单价17,500,000.00元/公里" in text and "高于上四分位数" in text
    assert "成本效益分析法：分析期4年，折现率8%：净现值" in text and "效益推迟1年" in text
    assert re.search(r"数据来源：可比项目\d+个（[^）]+），逐项列于附件“单位成本比较明细”；价格折算：", text)
    assert "折现率8%：本局自定" in text and "项目申报#" not in text
    # the annex: every comparable with its year, price and price at this year's level, after the evidence list
    assert "单位成本比较明细" in text and "可比项目及来源" in text and "折算单价（元）" in text
    other = db.session.scalars(select(Proposal).where(Proposal.status == "concluded",
                                                      Proposal.id != proposal.id)).first()
    plain = text_of(Document(io.BytesIO(download(admin, f"/proposals/{other.id}/report.docx"))))
    assert "测算分析" not in plain and "比较法：" not in plain and "成本效益分析法：" not in plain


def six_hundred(**fields) -> dict:
    from budget_eval.intake.domain.intake import FundYear, Target

    return dict(category="other", start_year=2027, end_year=2027, fund_years=(FundYear(2027, Decimal("600")),),
                sources={"general": Decimal("600")}, plan_text="对五常街道背街小巷路面、排水和照明进行改造",
                targets=(Target("产出指标", "数量指标", "背街小巷改造长度", "0.4", "公里", "≥", "实施方案"),)) | fields


def split_pair(make, staff) -> Proposal:
    """Two 600万 items of one purpose from one department; returns the second (flagged)."""
    make.proposal(staff, submit=True, name="五常街道背街小巷改造（一期）", **six_hundred())
    return make.proposal(staff, submit=True, name="五常街道背街小巷改造（二期）", **six_hundred())


def library_sheet() -> bytes:
    import io

    import pandas as pd

    rows = [("历史合同", "道路改造", "文三路改造合同", "公里", 2024, 14500000, "合同2024-1", "", 4350, 4600),
            ("定额", "绿化", "园林绿化定额", "平方米", 2025, 330, "《浙江省园林绿化工程预算定额》", "", "", ""),
            ("询价", "道路改造", "某询价", "公里", 2024, 1, "x", "", "", ""),
            ("历史合同", "培训", "培训合同", "公里", 2024, 900, "合同", "", "", "")]
    out = io.BytesIO()
    pd.DataFrame(rows, columns=["依据类型", "产出类型", "项目或合同名称", "计量单位", "年度", "单价(元)", "依据文件", "部门",
                                "批复金额(万元)", "实际金额(万元)"]).to_excel(out, index=False)
    return out.getvalue()


def test_library_import_keeps_good_rows_and_says_why_others_are_refused(app, make):
    from budget_eval.assessment.economy_models import UnitCostRecord

    finance = client_of(app, make.user(Role.REVIEWER))
    import io

    page = finance.post("/economy/library", {"file": (io.BytesIO(library_sheet()), "单价.xlsx")},
                        content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert "已导入 2 行" in page and "第4行 依据类型应为“历史合同”或“定额”" in page
    assert "第5行 计量单位“公里”不是培训的计量单位（人次）" in page
    rows = db.session.scalars(select(UnitCostRecord).order_by(UnitCostRecord.id)).all()
    assert [(r.kind, r.output_type, r.unit_price_yuan, r.actual_wan) for r in rows] == [
        ("contract", "road", Decimal("14500000.00"), Decimal("4600.00")), ("quota", "greening", Decimal("330.00"), None)]
    assert "道路改造" in page and "本局自定" in page  # the summary and the index with its source
    template = finance.get("/economy/library/template.xlsx")
    assert template.status_code == 200 and template.data[:2] == b"PK"


def test_two_600_items_of_one_purpose_are_flagged_and_an_admin_decides(app, make):
    from budget_eval.intake.domain.intake import Target
    from budget_eval.intake.models import SplitFlag
    from budget_eval.platform.models.audit import AuditEvent

    staff = make.user(Role.DEPARTMENT)
    six = six_hundred()
    first = make.proposal(staff, submit=True, name="五常街道背街小巷改造（一期）", **six)
    assert not first.split_flags
    unrelated = make.proposal(staff, submit=True, **(six | dict(
        name="基层医疗机构设备购置", plan_text="更新乡镇卫生院检验设备",
        targets=(Target("产出指标", "数量指标", "购置设备", "20", "台", "≥", "设备清单"),))))
    assert not unrelated.split_flags  # one department, 600 + 600, but nothing alike
    second = make.proposal(staff, submit=True, name="五常街道背街小巷改造（二期）", **six)
    flag = second.split_flags[0]
    assert (flag.stage, flag.group_ids, flag.total_wan) == ("screening", [first.id, second.id], Decimal("1200.00"))
    assert "名称相近" in flag.evidence[0] and "产出指标相同：背街小巷改造长度" in flag.evidence[0]
    other_department = make.proposal(make.user(Role.DEPARTMENT), submit=True, name="五常街道背街小巷改造（三期）", **six)
    assert not other_department.split_flags

    finance, admin = make.user(Role.REVIEWER), make.user(Role.ADMIN)
    page = client_of(app, finance).get(f"/proposals/{second.id}").get_data(as_text=True)
    assert "疑似拆分" in page and "合计1,200.00万元" in page and "待财政管理员处理" in page
    assert "疑似拆分" not in client_of(app, staff).get(f"/proposals/{second.id}").get_data(as_text=True)
    boss = client_of(app, admin)
    refused = boss.post(f"/proposals/{second.id}/split/{flag.id}", {"decision": "apart"}, follow_redirects=True)
    assert "选择不合并评估时，请写明理由" in refused.get_data(as_text=True)
    boss.post(f"/proposals/{second.id}/split/{flag.id}", {"decision": "together"})
    again = boss.post(f"/proposals/{second.id}/split/{flag.id}", {"decision": "apart", "reason": "x"},
                      follow_redirects=True)
    assert "已由他人处理" in again.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(SplitFlag, flag.id).decision == "together"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "split")).detail.endswith("合并评估")
