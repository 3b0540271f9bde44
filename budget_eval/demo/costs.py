"""Demo data for 投入经济性 (issue 26): past projects with quantities and unit prices for three output types (道路改造
per 公里, 培训 per 人次, 绿化 per 平方米), imported 定额 and contract prices (five training contracts with approved and
actual amounts, so an optimism-bias uplift shows), and a road project in finance review whose cost lines a reviewer
compares (its road price above the upper quartile and the 定额). Two 600万 items of one purpose from 城市管理局
within a year are flagged 疑似拆分 when the second is submitted."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from sqlalchemy import update

from budget_eval.assessment import panels as assessment
from budget_eval.assessment.economy_models import UnitCostRecord
from budget_eval.demo.data import T
from budget_eval.intake import operations as proposals
from budget_eval.intake.domain.cost_lines import CostLine, line_amount_wan
from budget_eval.intake.domain.intake import FundYear, ProposalDraft
from budget_eval.intake.models import Proposal
from budget_eval.intake.rules import screening_rules
from budget_eval.platform.extensions import db
from budget_eval.platform.models.user import User

D = Decimal
TEXTS = dict(basis_text="列入部门年度工作计划，与部门职责直接相关。", plan_text="年内分批实施，按季度检查进度。")
# (department user, name, year, [(item, quantity, unit, unit price 元, basis, document)])
PAST = [
    ("jiaotong", "文三路道路综合整治", 2023, [("道路改造", "4", "公里", "13200000", "contract", "杭交建〔2023〕8号合同")]),
    ("jiaotong", "莫干山路道路改造提升", 2024, [("道路改造", "6", "公里", "14100000", "contract", "杭交建〔2024〕3号合同")]),
    ("chengguan", "城北片区支路道路改造", 2025, [("道路改造", "3", "公里", "14800000", "quota", "《浙江省市政工程概算定额》")]),
    ("jiaotong", "天目山路道路改造", 2026, [("道路改造", "5", "公里", "15300000", "quote", "三家单位询价")]),
    ("chengguan", "背街小巷道路改造", 2026, [("道路改造", "2", "公里", "12600000", "quota", "《浙江省市政工程概算定额》")]),
    ("weijian", "基层医务人员能力培训", 2024, [("业务培训", "2000", "人次", "900", "quote", "培训机构询价单")]),
    ("jiaoyu", "中小学教师信息化培训", 2025, [("教师培训", "5000", "人次", "850", "contract", "杭教〔2025〕培训合同")]),
    ("minzheng", "养老护理员职业培训", 2025, [("护理员培训", "1500", "人次", "1100", "quote", "培训机构询价单")]),
    ("yingji", "应急救援队伍轮训", 2026, [("救援轮训", "1200", "人次", "1000", "contract", "2026年轮训合同")]),
    ("chengguan", "运河沿岸绿化提升", 2023, [("绿化提升", "30000", "平方米", "320", "contract", "杭城管〔2023〕绿化合同")]),
    ("shengtai", "湿地公园生态修复绿化", 2024, [("景观绿化", "50000", "平方米", "280", "quote", "苗木市场询价")]),
    ("chengguan", "城市绿道沿线绿化", 2025, [("绿道绿化", "20000", "平方米", "350", "contract", "杭城管〔2025〕绿化合同")]),
    ("chengguan", "口袋公园绿化建设", 2026, [("公园绿化", "15000", "平方米", "300", "quota", "《浙江省园林绿化工程预算定额》")]),
]
# imported rows: (kind, output type, item, unit, year, price 元, document, approved 万元, actual 万元)
IMPORTED = [
    ("quota", "road", "城市道路改造（沥青路面）", "公里", 2025, "14500000", "《浙江省市政工程概算定额》（演示）", None, None),
    ("quota", "greening", "园林绿化（乔灌草结合）", "平方米", 2025, "330", "《浙江省园林绿化工程预算定额》（演示）", None, None),
] + [("contract", "training", f"{year}年专业技术人员培训合同", "人次", year, price, f"演示合同{year}-{n}", approved, actual)
     for n, (year, price, approved, actual) in enumerate([(2022, "800", "160", "168"), (2023, "820", "120", "131"),
                                                         (2024, "880", "200", "214"), (2024, "900", "90", "90"),
                                                         (2025, "950", "150", "171")], 1)]
CURRENT = "城东片区道路提升改造"
SPLIT = "西湖区五常街道背街小巷改造"


def _lines(rows) -> tuple[CostLine, ...]:
    return tuple(CostLine(item, D(q), unit, D(price), line_amount_wan(D(q), D(price)), basis, document, "")
                 for item, q, unit, price, basis, document in rows)


def _submit(user: User, name: str, year: int, rows, targets=(), category: str = "other", on: datetime | None = None,
            **fields) -> Proposal:
    lines = _lines(rows)
    total = sum((c.amount_wan or D(0) for c in lines), D(0))
    draft = ProposalDraft(
        year=year, name=name, category=category, is_new=True, start_year=year, end_year=year,
        fund_years=(FundYear(year, total),), sources={"general": total}, cost_lines=lines,
        targets=targets or (T("产出指标", "数量指标", f"{rows[0][0]}数量", rows[0][1], rows[0][2]),),
        budget_text="各项费用按数量×单价测算，详见费用明细。", **(TEXTS | fields))
    proposal = Proposal(department_id=user.department_id)
    if on is not None:  # a past project: dated when it was submitted (so today's lists show today's work first)
        proposal.created_at = on
    proposals.submit(proposal, draft, user, screening_rules())
    if on is not None:
        db.session.execute(update(Proposal).where(Proposal.id == proposal.id).values(
            created_at=on, submitted_at=on, updated_at=on))
        db.session.commit()
    return proposal


def seed(users: dict[str, User], to_finance_review: Callable[[Proposal, User, User], Proposal]) -> None:
    for username, name, year, rows in PAST:
        _submit(users[username], name, year, rows, on=datetime(year - 1, 9, 1, 2))
    for row, (kind, otype, item, unit, year, price, document, approved, actual) in enumerate(IMPORTED, 2):
        db.session.add(UnitCostRecord(
            kind=kind, output_type=otype, item=item, unit=unit, year=year, unit_price_yuan=D(price),
            document=document, approved_wan=D(approved) if approved else None,
            actual_wan=D(actual) if actual else None, source_file="演示单价库.xlsx", source_row=row,
            imported_by_id=users["admin"].id))
    db.session.commit()
    staff, finance = users["jiaotong"], users["reviewer1"]
    current = _submit(staff, CURRENT, 2027, [
        ("道路改造", "12", "公里", "17500000", "quota", "《浙江省市政工程概算定额》"),
        ("施工人员安全培训", "600", "人次", "950", "quote", "培训机构询价单"),
        ("沿线绿化恢复", "8000", "平方米", "310", "contract", "杭交建〔2026〕绿化合同")],
        targets=(T("产出指标", "数量指标", "道路改造里程", "12", "公里"),
                 T("产出指标", "数量指标", "安全培训", "600", "人次"),
                 T("效益指标", "社会效益指标", "高峰通行时间缩短", "≥15", "%")), category="infra")
    to_finance_review(current, staff, finance)
    assessment.assign(current.current_assessment, current, [finance, users["expert1"], users["expert2"]], None, users["admin"],
                      reason="演示数据：投入经济性分析（单位成本比较、成本效益分析）")
    db.session.commit()
    city = users["chengguan"]
    for part, on in (("（一期）", datetime(2026, 6, 10, 2)), ("（二期）", None)):  # the second today: on the lists
        _submit(city, SPLIT + part, 2027, [("道路改造", "0.4", "公里", "15000000", "quote", "三家单位询价")], on=on,
                basis_text="改善五常街道背街小巷通行和居住环境。", plan_text="对五常街道背街小巷路面、排水和照明进行改造。")
