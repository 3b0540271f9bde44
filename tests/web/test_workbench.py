"""The 工作台: what waits for each user appears on their home page, leaves it once done and appears on the next
person's; nobody sees an item they may not open; the page runs a fixed number of queries."""
import re
from datetime import timedelta
from decimal import Decimal

import pytest

from budget_eval.platform.worklist import beijing_today
from budget_eval.evaluation import feedback, operations as evaluation, publication
from budget_eval.evaluation.models import EvaluationUnit
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from tests.web.factories import TESTER
from tests.web.flow import received, World
from tests.web.test_query_counts import queries


@pytest.fixture
def world(app, make):
    return World(app, make)


def waiting(world: World, user) -> dict[str, str]:
    """heading → the text of its section on the user's 工作台."""
    html = world.client(user).text("/")
    sections = re.finditer(r'<h2 id="wb-h-\d+">(.+?)（\d+项）</h2>(.*?)</section>', html, re.S)
    return {m.group(1): m.group(2) for m in sections}


def listed(world: World, user, heading: str, name: str) -> bool:
    return name in waiting(world, user).get(heading, "")


def test_a_proposal_moves_from_one_workbench_to_the_next(world, make):
    draft = make.proposal(world.staff, name="草稿中的项目")
    assert listed(world, world.staff, "草稿待提交", draft.name)
    proposal = world.submit(name="工作台测试项目")
    name = proposal.name
    assert not listed(world, world.staff, "草稿待提交", name)
    assert listed(world, world.finance, "待受理", name) and listed(world, world.admin, "待受理", name)
    world.client(world.finance).post(f"/proposals/{proposal.id}/act/accept")
    assert not listed(world, world.admin, "待受理", name) and listed(world, world.admin, "待材料审查", name)
    world.designate(proposal)
    db.session.refresh(proposal)
    world.client(world.finance).post(f"/proposals/{proposal.id}/materials",
                                     received(proposal))
    world.client(world.finance).post(f"/proposals/{proposal.id}/act/materials_complete")
    assert listed(world, world.staff, "待自评", name) and not listed(world, world.admin, "待材料审查", name)
    world.self_assess(proposal)
    assert not listed(world, world.staff, "待自评", name)
    assert listed(world, world.authority_staff, "待审核（主管部门审核自评）", name)
    outsider = make.user(Role.DEPARTMENT)  # oversees nothing: may not open it, so never sees it
    assert name not in world.client(outsider).text("/")
    world.client(world.authority_staff).post(f"/proposals/{proposal.id}/act/authority_approve")
    assert listed(world, world.admin, "待组建评审组", name)
    assert name not in world.client(world.experts[0]).text("/")  # not on its panel
    members = world.assign(proposal, [world.finance, *world.experts[:2]])
    assert not listed(world, world.admin, "待组建评审组", name)
    expert = members[1]
    assert listed(world, expert.user, "待签承诺", name)
    assert name not in world.client(world.experts[2]).text("/")
    world.client(expert.user).post(f"/reviews/{expert.id}", {"step": "declare", "agree": "yes"})
    assert listed(world, expert.user, "待评分", name) and not listed(world, expert.user, "待签承诺", name)
    for member in members:
        if member.id == expert.id:
            world.score(member, "8")
        else:
            world.declare_and_score(member, "8")
    assert not waiting(world, expert.user)  # scored: nothing waits for the expert any more
    assert listed(world, world.admin, "待出结论", name)
    world.conclude(proposal)
    assert not listed(world, world.admin, "待出结论", name)
    assert listed(world, world.staff, "已出结论待办理", name)


def test_the_report_review_waits_for_each_reviewer_still_to_record_it(world):
    proposal = world.submit(name="报告审核项目")
    world.to_finance_review(proposal)
    for member in world.assign(proposal, [world.finance, *world.experts[:2]]):
        world.declare_and_score(member, "9")
    world.conclude(proposal)
    world.client(world.staff).post(f"/proposals/{proposal.id}/act/send_review")
    assert listed(world, world.authority_staff, "待审核评估报告", proposal.name)
    assert listed(world, world.finance, "待审核评估报告", proposal.name)
    world.review(proposal, "sector_pass")
    assert not listed(world, world.authority_staff, "待审核评估报告", proposal.name)
    world.review(proposal, "finance_pass")
    assert not listed(world, world.finance, "待审核评估报告", proposal.name)
    assert listed(world, world.admin, "待上会", proposal.name)


def test_a_revision_waits_for_the_department(world):
    from budget_eval.intake.models import Proposal

    proposal = world.submit(name="调整完善项目")
    world.to_finance_review(proposal)
    for member in world.assign(proposal, [world.finance, *world.experts[:2]]):
        world.declare_and_score(member, "7")
    world.conclude(proposal)
    world.client(world.staff).post(f"/proposals/{proposal.id}/act/start_revision")
    assert db.session.get(Proposal, proposal.id).status == "revising"  # 7 of 10 on each: 调整完善后予以支持
    assert listed(world, world.staff, "调整完善待回应", proposal.name)


def test_the_evaluation_office_and_the_department(app, make):
    department = make.department("杭州市测试局")
    staff, office = make.user(Role.DEPARTMENT, department), make.user(Role.EVAL_OFFICE)
    world = World(app, make)
    year = evaluation.open_year(2026, "hangzhou", TESTER)
    assert listed(world, office, "待导入", "2026年度社会评价问卷")
    publication.publish(year, TESTER, {publication.ALL_MISSING: "测试：数据未录入"})
    unit = db.session.query(EvaluationUnit).filter_by(department_id=department.id).one()
    assert listed(world, staff, "申诉期内", "2026年度考评结果")
    assert "已逾期" not in waiting(world, staff)["申诉期内"]
    appeal = evaluation.file_appeal(unit, "目标考核得分有误", staff)
    assert not listed(world, staff, "申诉期内", "2026年度考评结果")
    assert listed(world, office, "待处理申诉", "2026年度考评申诉")
    assert department.name not in world.client(make.user(Role.DEPARTMENT)).text("/")  # another unit sees nothing
    evaluation.decide_appeal(appeal, False, Decimal("0"), "经核实，得分无误", TESTER)
    assert "待处理申诉" not in waiting(world, office)
    # three days before the page's today, a Beijing date (the UTC date is a day behind from 16:00 UTC)
    feedback.commit_target(unit, "地铁拥挤", "已回应", "增开班次", beijing_today() - timedelta(days=3), False, staff)
    db.session.commit()
    assert "已逾期3天" in waiting(world, office)["逾期整改"] and listed(world, staff, "整改进行中", "地铁拥挤")


def stored_counts_agree(proposal) -> tuple[int, int, int]:
    """The round's stored seat counts (what the 工作台 finds rounds by), checked against its seats recounted."""
    from budget_eval.assessment.domain.states import seat_counts
    from budget_eval.assessment.models import Assessment

    db.session.expire_all()
    round_ = db.session.get(Assessment, proposal.current_assessment.id)
    by_status: dict[str, int] = {}
    for member in round_.members:
        by_status[member.status] = by_status.get(member.status, 0) + 1
    stored = {k: getattr(round_, k) for k in ("seats_seated", "seats_waiting", "seats_submitted")}
    assert stored == seat_counts(by_status)
    return round_.seats_seated, round_.seats_waiting, round_.seats_submitted


def test_waiting_for_a_conclusion_exactly_when_every_sheet_is_in_and_enough(world):
    """待出结论 appears exactly when no sheet is out and at least the rules' minimum (3) are in; the round's stored
    seat counts follow every step of the seats (created, declared, declined, submitted, reopened, a new round)."""
    proposal = world.submit(name="待出结论计数项目")
    world.to_finance_review(proposal)
    assert stored_counts_agree(proposal) == (0, 0, 0) and listed(world, world.admin, "待组建评审组", proposal.name)
    members = world.assign(proposal, [world.finance, *world.experts[:3]])
    assert stored_counts_agree(proposal) == (4, 4, 0)
    for member in members[:3]:
        world.declare_and_score(member, "8")
    assert stored_counts_agree(proposal) == (4, 1, 3)
    assert not listed(world, world.admin, "待出结论", proposal.name)  # one sheet still out
    world.client(members[3].user).post(f"/reviews/{members[3].id}", {"step": "decline", "reason": "回避"})
    assert stored_counts_agree(proposal) == (3, 0, 3) and listed(world, world.admin, "待出结论", proposal.name)
    world.client(world.admin).post(f"/proposals/reviews/{members[0].id}/reopen", {"reason": "评分录入有误"})
    assert stored_counts_agree(proposal) == (3, 1, 2) and not listed(world, world.admin, "待出结论", proposal.name)
    world.score(members[0], "8")
    assert stored_counts_agree(proposal) == (3, 0, 3) and listed(world, world.admin, "待出结论", proposal.name)


def test_too_few_sheets_are_not_waiting_for_a_conclusion(world):
    proposal = world.submit(name="评审人不足项目")
    world.to_finance_review(proposal)
    members = world.assign(proposal, world.experts[:2])
    for member in members:
        world.declare_and_score(member, "8")
    assert stored_counts_agree(proposal) == (2, 0, 2)  # every sheet in, but fewer than the rules' minimum of 3
    assert not listed(world, world.admin, "待出结论", proposal.name)
    assert not listed(world, world.admin, "待组建评审组", proposal.name)


def test_nothing_waiting_says_so(world):
    assert "目前没有等待您办理的事项" in world.client(world.experts[0]).text("/")


def test_the_workbench_runs_a_fixed_number_of_queries(world, make):
    clients = {role: world.client(getattr(world, role)) for role in ("admin", "staff", "authority_staff")}
    world.submit(name="计数项目0")
    few = {role: queries(client, "/") for role, client in clients.items()}
    for n in range(1, 5):
        proposal = world.submit(name=f"计数项目{n}")
        if n % 2:
            world.to_self_assessment(proposal)
            world.self_assess(proposal)
    make.proposal(world.staff, name="计数草稿")
    assert {role: queries(client, "/") for role, client in clients.items()} == few


def test_notifications_come_from_the_state_writer_and_are_read_once(world):
    """Each step tells whom it now waits for (the state_changed receiver writes it); the header counts the unread."""
    from budget_eval.platform.models.notification import Notification

    proposal = world.submit(name="通知测试项目")
    admin = world.client(world.admin)
    assert "未读通知 1 条" in admin.text("/") and "“通知测试项目”进入“已提交”阶段" in admin.text("/")
    assert "未读通知" not in world.client(world.staff).text("/")  # the actor is not told of their own step
    world.to_self_assessment(proposal)
    assert "“通知测试项目”进入“部门自评”阶段" in world.client(world.staff).text("/")
    world.self_assess(proposal)
    assert "进入“主管部门审核”阶段" in world.client(world.authority_staff).text("/")
    world.client(world.authority_staff).post(f"/proposals/{proposal.id}/act/authority_approve")
    member = world.assign(proposal, [world.experts[0]])[0]
    assert "您被指定为“通知测试项目”第1轮评审人" in world.client(member.user).text("/")
    assert admin.post("/notifications/read").status_code == 302
    assert "未读通知" not in admin.text("/")
    assert db.session.query(Notification).filter_by(user_id=world.staff.id, read_at=None).count() >= 1
