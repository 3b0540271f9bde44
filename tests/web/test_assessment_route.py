"""The route of art. 5 and art. 2: who finds what waiting, the assessor of record (a third-party agency
included), finance alone where no sector authority is named, an adjustment finance sends to a new round."""
import io
from decimal import Decimal

import pytest
from docx import Document
from sqlalchemy import select

from budget_eval.intake.models import Proposal
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from tests.web.factories import form_post
from tests.web.flow import received, World
from tests.web.test_reports import download, text_of


@pytest.fixture
def world(app, make):
    return World(app, make)


def concluded(world: World, score: str, kind: str = "finance", **third_party) -> Proposal:
    proposal = world.submit()
    world.client(world.finance).post(f"/proposals/{proposal.id}/act/accept")
    world.designate(proposal, kind, **third_party)
    db.session.refresh(proposal)
    world.client(world.finance).post(f"/proposals/{proposal.id}/materials",
                                     received(proposal))
    world.client(world.finance).post(f"/proposals/{proposal.id}/act/materials_complete")
    world.self_assess(proposal)
    world.client(world.authority_staff).post(f"/proposals/{proposal.id}/act/authority_approve")
    for member in world.assign(proposal, [world.finance, *world.experts[:2]]):
        world.declare_and_score(member, score)
    world.conclude(proposal)
    db.session.refresh(proposal)
    assert proposal.status == "concluded"
    return proposal


def test_the_parent_authority_finds_the_subordinate_units_proposal(world):
    """The reported bug: 卫健委's staff could not find 第一人民医院's proposal waiting in 主管部门审核."""
    proposal = world.submit()
    world.to_self_assessment(proposal)
    world.self_assess(proposal)
    authority = world.client(world.authority_staff)
    listed = authority.text("/proposals/?status=authority_review")
    assert proposal.name in listed and "没有符合条件的项目" not in listed
    home = authority.text("/proposals/")
    assert "待我审核" in home and "审核通过，报财政局评估" in home
    page = authority.text(f"/proposals/{proposal.id}")
    assert "审核通过，报财政局评估" in page and "退回部门修改自评" in page
    # a department that oversees nothing has nothing waiting, and does not see the proposal
    assert "待我审核" not in world.client(world.make.user(Role.DEPARTMENT)).text("/proposals/")


def test_a_sector_authority_other_than_the_parent_unit_reviews_the_report(world, make):
    sector = make.department("杭州市医疗保障局")
    sector_staff = make.user(Role.DEPARTMENT, sector)
    world.department.sector_authority = sector
    db.session.commit()
    proposal = concluded(world, "9.5")
    staff = world.client(world.staff)
    assert "报送行业主管部门和财政局审核" in staff.text(f"/proposals/{proposal.id}")
    staff.post(f"/proposals/{proposal.id}/act/send_review")
    # the parent unit may not take the sector authority's step; the sector authority finds it on its home page
    world.client(world.authority_staff).post(f"/proposals/{proposal.id}/act/sector_pass", {"reason": "同意"})
    db.session.refresh(proposal)
    assert proposal.report_reviews == []
    home = world.client(sector_staff).text("/proposals/")
    assert "待我审核" in home and proposal.name in home
    world.client(sector_staff).post(f"/proposals/{proposal.id}/act/sector_pass", {"reason": "符合行业规划"})
    world.review(proposal, "finance_pass")
    db.session.refresh(proposal)
    assert proposal.status == "reviewed"
    assert [(r.reviewer, r.department_id) for r in proposal.report_reviews] == [("sector", sector.id),
                                                                               ("finance", world.finance.department_id)]


def test_a_bureau_with_no_sector_authority_is_reviewed_by_finance_alone(world):
    world.department.sector_authority_id = None
    db.session.commit()
    proposal = concluded(world, "9.5")
    staff = world.client(world.staff)
    page = staff.text(f"/proposals/{proposal.id}")
    assert "报送财政局审核" in page and "报送行业主管部门和财政局审核" not in page and "行业主管部门审核" not in page
    assert staff.post(f"/proposals/{proposal.id}/act/send_review").status_code == 302  # refused: no sector authority
    db.session.refresh(proposal)
    assert proposal.status == "concluded"
    staff.post(f"/proposals/{proposal.id}/act/send_review_finance")
    page = world.client(world.finance).text(f"/proposals/{proposal.id}")
    assert "未设行业主管部门" in page and "行业主管部门审核通过" not in page
    world.review(proposal, "finance_pass")
    db.session.refresh(proposal)
    assert proposal.status == "reviewed"


def test_a_conclusion_to_revise_offers_no_meeting_and_no_review(world):
    proposal = concluded(world, "8")
    page = world.client(world.staff).text(f"/proposals/{proposal.id}")
    assert "开始调整完善" in page and "act/send_review" not in page
    assert "没有可提交会议的项目" in world.client(world.admin).text("/meetings/")


def test_finance_may_order_a_new_round_for_a_substantial_change(world):
    proposal = concluded(world, "8")
    staff = world.client(world.staff)
    staff.post(f"/proposals/{proposal.id}/act/start_revision")
    staff.post(f"/proposals/{proposal.id}/edit", form_post(plan_text="改为四阶段实施，增加地下通道"))
    staff.post(f"/proposals/{proposal.id}/adjustment", {
        "change-0": "重做测算", "where-0": "预算测算依据", "change-1": "细化", "where-1": "实施方案",
        "explanation": "方案调整较大"})
    db.session.refresh(proposal)
    assert proposal.status == "adjusted"
    # a reviewer (not an admin) may confirm or return, not order a new round
    world.client(world.finance).post(f"/proposals/{proposal.id}/act/adjustment_new_round", {"reason": "变化大"})
    db.session.refresh(proposal)
    assert proposal.status == "adjusted"
    world.client(world.admin).post(f"/proposals/{proposal.id}/act/adjustment_new_round", {"reason": "实施方案变化较大"})
    db.session.refresh(proposal)
    assert proposal.status == "finance_review" and proposal.current_assessment.round == 2
    assert proposal.adjustment_responses[0].outcome == "new_round"


def test_a_commissioned_third_party_assesses_and_the_report_names_it(world, make):
    agency_user = make.user(Role.THIRD_PARTY, username="zixun1")
    agency_user.organisation = "浙江某某工程咨询有限公司"
    db.session.commit()
    proposal = world.submit()
    finance = world.client(world.finance)
    finance.post(f"/proposals/{proposal.id}/act/accept")
    # the agency's name, contract and staff are required
    refused = finance.post(f"/proposals/{proposal.id}/assessor", {"kind": "third_party", "agency": " "})
    assert refused.status_code == 422 and "请填写委托合同编号" in refused.get_data(as_text=True)
    world.designate(proposal, "third_party", agency="浙江某某工程咨询有限公司", contract="HZCZ-2027-018",
                    staff=str(agency_user.id))
    db.session.refresh(proposal)
    finance.post(f"/proposals/{proposal.id}/materials", received(proposal))
    finance.post(f"/proposals/{proposal.id}/act/materials_complete")
    # the agency's staff find it on their list, fill in the assessment, upload their report and submit
    agency = world.client(agency_user)
    assert proposal.name in agency.text("/proposals/")
    assert "浙江某某工程咨询有限公司" in agency.text(f"/proposals/{proposal.id}")
    upload = agency.post(f"/proposals/{proposal.id}/attachments",
                         {"file": (io.BytesIO(b"%PDF-1.4 report"), "评估报告.pdf")},
                         content_type="multipart/form-data")
    assert upload.status_code == 302
    data = {"action": "submit"}
    from tests.web.flow import KEYS, TEMPLATE
    data |= {f"score-{k}": "9.5" for k in KEYS}
    for d in TEMPLATE.dimensions:
        data |= {f"facts-{d.code}": "情况", f"problems-{d.code}": "问题", f"judgement-{d.code}": "结论"}
    agency.post(f"/proposals/{proposal.id}/self-assessment", data)
    db.session.refresh(proposal)
    assert proposal.status == "authority_review"  # reviewed like the department's own
    assert [a.filename for a in proposal.attachments] == ["申报材料.pdf", "评估报告.pdf"]  # the materials, the report
    # another agency user sees nothing of it
    other = make.user(Role.THIRD_PARTY, username="zixun2")
    assert world.client(other).get(f"/proposals/{proposal.id}").status_code == 404
    world.client(world.authority_staff).post(f"/proposals/{proposal.id}/act/authority_approve")
    for member in world.assign(proposal, [world.finance, *world.experts[:2]]):
        world.declare_and_score(member, "9.5")
    world.conclude(proposal)
    text = text_of(Document(io.BytesIO(download(world.client(world.admin), f"/proposals/{proposal.id}/report.docx"))))
    assert "评估机构（盖章）：浙江某某工程咨询有限公司（受杭州市第一人民医院委托）" in text
    assert "浙江某某工程咨询有限公司提交部门自评" in text


def test_the_department_assessing_itself_is_named_on_its_report(world):
    proposal = concluded(world, "9.5", kind="department")
    text = text_of(Document(io.BytesIO(download(world.client(world.admin), f"/proposals/{proposal.id}/report.docx"))))
    assert "评估机构（盖章）：杭州市第一人民医院" in text
    assert "id=\"assessor\">申报部门自行评估<" in world.client(world.staff).text(f"/proposals/{proposal.id}")


def test_the_assessor_is_required_before_the_self_assessment(world):
    proposal = world.submit()
    finance = world.client(world.finance)
    finance.post(f"/proposals/{proposal.id}/act/accept")
    db.session.refresh(proposal)
    finance.post(f"/proposals/{proposal.id}/materials", received(proposal))
    page = finance.post(f"/proposals/{proposal.id}/act/materials_complete", follow_redirects=True)
    assert "请先在材料审查页确定评估主体" in page.get_data(as_text=True)
    db.session.refresh(proposal)
    assert proposal.status == "materials"
    assert Decimal(proposal.fiscal_total_wan) > 0
    assert db.session.scalar(select(Proposal.assessor_kind).where(Proposal.id == proposal.id)) is None
