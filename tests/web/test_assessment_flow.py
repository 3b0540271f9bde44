"""The whole path from submission to meeting decision, through the web, and its boundaries."""
import re
import shutil
from decimal import Decimal

import pytest
from sqlalchemy import select

from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.meetings.models import Meeting
from budget_eval.assessment.models import PanelMember
from tests.web.factories import form_post
from tests.web.flow import KEYS, received, World


@pytest.fixture
def world(app, make):
    return World(app, make)


def test_submission_to_meeting_decision(world):
    proposal = world.submit()
    assert proposal.status == "submitted" and proposal.screening_outcome == "required"

    # finance accepts and checks the materials; review cannot start while a required item is missing
    finance = world.client(world.finance)
    finance.post(f"/proposals/{proposal.id}/act/accept")
    db.session.refresh(proposal)
    assert proposal.status == "materials" and len(proposal.materials) == 7
    world.designate(proposal, "department")  # the department assesses itself (art. 2)
    page = finance.get(f"/proposals/{proposal.id}/act/materials_complete", follow_redirects=True)
    assert page.status_code == 405
    finance.post(f"/proposals/{proposal.id}/act/materials_complete")
    db.session.refresh(proposal)
    assert proposal.status == "materials"
    assert "以下必备材料尚未收齐" in finance.text(f"/proposals/{proposal.id}")
    finance.post(f"/proposals/{proposal.id}/materials",
                 received(proposal, [m for m in proposal.materials if m.code != "budget_detail"]))
    missing = next(m for m in proposal.materials if m.code == "budget_detail")
    world.client(world.admin).post(f"/proposals/{proposal.id}/materials/{missing.id}/waive",
                                   {"reason": "预算明细已在申报书中列明"})
    finance.post(f"/proposals/{proposal.id}/act/materials_complete")
    db.session.refresh(proposal)
    assert proposal.status == "self_assessment"

    # the department self-assesses; its authority returns it once, then approves
    world.self_assess(proposal)
    db.session.refresh(proposal)
    assert proposal.status == "authority_review"
    authority = world.client(world.authority_staff)
    authority.post(f"/proposals/{proposal.id}/act/authority_return", {"reason": "问题分析不够具体"})
    db.session.refresh(proposal)
    assert proposal.status == "self_assessment"
    world.self_assess(proposal)
    authority.post(f"/proposals/{proposal.id}/act/authority_approve")
    db.session.refresh(proposal)
    assert proposal.status == "finance_review" and proposal.current_assessment.round == 1
    assert proposal.current_assessment.duplicates == []  # searched once, when the round opened

    # three reviewers score about 80: 调整完善后予以支持
    members = world.assign(proposal, [world.finance, *world.experts[:2]])
    for member, each in zip(members, ("8", "8.2", "7.9"), strict=True):
        assert world.declare_and_score(member, each).status_code == 302
    assert world.conclude(proposal).status_code == 302
    db.session.refresh(proposal)
    first = proposal.current_assessment
    assert (proposal.status, first.conclusion_label, first.total) == ("concluded", "调整完善后予以支持", Decimal("80.30"))  # sum of rounded indicator means, as the tables show

    # 调整完善: the department sees the opinions it must answer; with no change nothing is submitted
    staff = world.client(world.staff)
    staff.post(f"/proposals/{proposal.id}/act/start_revision")
    db.session.refresh(proposal)
    assert proposal.status == "revising"
    page = staff.text(f"/proposals/{proposal.id}/adjustment")
    assert "测算偏粗" in page and "细化预算" in page and "尚未修改申报内容" in page
    answers = {"change-0": "补充了分项测算表", "where-0": "预算测算依据", "change-1": "按定额细化",
               "where-1": "预算测算依据", "explanation": "按专家意见细化了预算测算"}
    refused = staff.post(f"/proposals/{proposal.id}/adjustment", answers)
    assert refused.status_code == 422 and "未作任何修改" in refused.get_data(as_text=True)
    db.session.refresh(proposal)
    assert proposal.status == "revising" and not proposal.adjustment_responses
    # it changes the proposal, then answers each opinion with its 修改说明 (a missing answer is refused)
    staff.post(f"/proposals/{proposal.id}/edit", form_post(budget_text="按定额测算，附分项测算表"))
    missing = staff.post(f"/proposals/{proposal.id}/adjustment", {**answers, "where-1": "", "explanation": ""})
    assert missing.status_code == 422 and "请填写修改说明" in missing.get_data(as_text=True)
    assert staff.post(f"/proposals/{proposal.id}/adjustment", answers).status_code == 302
    db.session.refresh(proposal)
    response = proposal.adjustment_responses[0]
    assert proposal.status == "adjusted" and len(proposal.versions) == 2 and response.changed == ["预算测算依据"]
    assert [p["opinion"] for p in response.points] == ["测算偏粗。", "细化预算。"]

    # finance confirms the adjustment without a new round: on to the two reviews of the report
    finance.post(f"/proposals/{proposal.id}/act/confirm_adjustment", {"reason": "已按意见调整"})
    db.session.refresh(proposal)
    assert proposal.status == "report_review" and len(proposal.assessments) == 1
    assert response.outcome == "confirmed" and response.decided_by_id == world.finance.id

    # the sector authority finds it waiting on its list, returns it once; the department corrects and resends
    authority = world.client(world.authority_staff)
    waiting = authority.text("/proposals/")
    assert "待我审核" in waiting and proposal.name in waiting and "行业主管部门审核通过" in waiting
    world.review(proposal, "sector_return", "绩效目标表未更新")
    db.session.refresh(proposal)
    assert proposal.status == "correcting"
    staff.post(f"/proposals/{proposal.id}/act/resend_review", {"reason": "已更新绩效目标表"})
    # finance passes, the sector authority passes: 审核通过; then finance returns once in a later cycle
    world.review(proposal, "finance_pass")
    db.session.refresh(proposal)
    assert proposal.status == "report_review"
    world.review(proposal, "finance_pass")  # twice: refused, recorded once
    world.review(proposal, "sector_return", "请补充风险分析")
    staff.post(f"/proposals/{proposal.id}/act/resend_review", {"reason": "已补充"})
    world.review(proposal, "finance_return", "金额口径不一致")
    staff.post(f"/proposals/{proposal.id}/act/resend_review", {"reason": "已统一口径"})
    world.review(proposal, "sector_pass")
    world.review(proposal, "finance_pass")
    db.session.refresh(proposal)
    assert proposal.status == "reviewed"
    assert [(r.cycle, r.reviewer, r.passed) for r in proposal.report_reviews] == [
        (1, "sector", False), (2, "finance", True), (2, "sector", False), (3, "finance", False),
        (4, "sector", True), (4, "finance", True)]
    page = staff.text(f"/proposals/{proposal.id}")
    assert "金额口径不一致" in page and world.authority_staff.display_name in page

    # the admin takes it to the meeting, which approves it with an amount
    admin = world.client(world.admin)
    admin.post("/meetings/", {"kind": "executive", "title": "2027年第3次市政府常务会议", "proposal_id": str(proposal.id),
                              "order": "score"})
    meeting = db.session.scalar(select(Meeting))
    assert [i.proposal_id for i in meeting.items] == [proposal.id]
    admin.post(f"/meetings/items/{meeting.items[0].id}/decide",
               {"decision": "approved", "approved-2027": "9,000", "approved-2028": "1.5亿元",
                "cut_reason": "2027年前期费用按评估意见压减", "note": "分两年安排"})
    db.session.refresh(proposal)
    assert proposal.status == "decided"

    # the department sees the outcome and the full history
    page = staff.text(f"/proposals/{proposal.id}")
    assert "2027年第3次市政府常务会议" in page and "通过" in page and "2.4亿元（24,000.00万元）" in page
    actions = [e.action for e in proposal.events]
    assert actions == [
        "提交", "受理，开始材料审查", "确定评估主体", "豁免材料", "材料齐全，转部门自评", "提交自评，报主管部门审核", "退回部门修改自评",
        "提交自评，报主管部门审核", "审核通过，报财政局评估", "出具评估结论", "开始调整完善", "提交调整完善情况",
        "确认调整到位，转入报告审核", "行业主管部门退回补正", "补正后重新报送审核", "财政局审核通过",
        "行业主管部门退回补正", "补正后重新报送审核", "财政局退回补正", "补正后重新报送审核", "行业主管部门审核通过",
        "财政局审核通过", "评估报告审核通过", "提交会议", "记录会议决策",
    ]
    assert all(e.user_id for e in proposal.events) and all(e.at for e in proposal.events)


def test_items_not_needing_assessment_end_at_submission(world):
    proposal = world.submit(category="other", **{"fund_years-0-amount": "300", "fund_years-1-amount": "300",
                                                  "sources-general": "600", "sources-bond": None})
    assert proposal.screening_outcome == "not_required"
    assert proposal.status == "not_assessed"  # closed as 无需评估: a final state, nothing more to take
    world.client(world.finance).post(f"/proposals/{proposal.id}/act/accept")
    db.session.refresh(proposal)
    assert proposal.status == "not_assessed"
    page = world.client(world.staff).text(f"/proposals/{proposal.id}")
    assert "当前阶段：无需评估" in page and "办结：" in page
    assert re.findall(r'<li class="(\w+)"[^>]*>(?:<span[^>]*>✓</span><span[^>]*>已完成：</span>)?([^<]+)</li>', page) == [
        ("done", "草稿"), ("done", "已提交"), ("current", "无需评估")]


def test_a_submission_is_returned_for_correction_with_reasons_and_submitted_again(world):
    """退回补正 (issue 21, point 5): the admin returns a submission with its reasons (audited, the department told),
    the department corrects and submits it again."""
    from budget_eval.platform.models.audit import AuditEvent
    from budget_eval.platform.models.notification import Notification

    proposal = world.submit()
    admin = world.client(world.admin)
    assert admin.post(f"/proposals/{proposal.id}/act/return_submission", {"reason": ""}).status_code == 302
    db.session.refresh(proposal)
    assert proposal.status == "submitted"  # a reason is required
    admin.post(f"/proposals/{proposal.id}/act/return_submission", {"reason": "缺少可行性研究报告"})
    db.session.refresh(proposal)
    assert proposal.status == "returned"
    assert proposal.events[-1].note.endswith("缺少可行性研究报告")
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.detail.contains("缺少可行性研究报告")))
    told = db.session.scalars(select(Notification).where(Notification.user_id == world.staff.id)).all()
    assert any("退回理由：缺少可行性研究报告" in n.text for n in told)
    staff = world.client(world.staff)
    assert "申报退回补正" in staff.text(f"/proposals/{proposal.id}")
    assert staff.post(f"/proposals/{proposal.id}/edit", form_post()).status_code == 302
    db.session.refresh(proposal)
    assert proposal.status == "submitted" and len(proposal.screenings) == 2


def test_department_cannot_take_finance_actions(world):
    proposal = world.submit()
    staff = world.client(world.staff)
    assert staff.post(f"/proposals/{proposal.id}/act/accept").status_code == 403
    db.session.refresh(proposal)
    assert proposal.status == "submitted"


def test_authority_of_another_department_cannot_approve(world, make):
    proposal = world.submit()
    world.to_self_assessment(proposal)
    world.self_assess(proposal)
    stranger = make.user(Role.DEPARTMENT)
    response = world.client(stranger).post(f"/proposals/{proposal.id}/act/authority_approve")
    assert response.status_code == 404
    db.session.refresh(proposal)
    assert proposal.status == "authority_review"


def test_department_without_authority_goes_straight_to_finance(world, make):
    world.department.authority_id = None
    db.session.commit()
    proposal = world.submit()
    world.to_self_assessment(proposal)
    world.self_assess(proposal)
    db.session.refresh(proposal)
    assert proposal.status == "finance_review"


def test_incomplete_self_assessment_is_refused(world):
    proposal = world.submit()
    world.to_self_assessment(proposal)
    staff = world.client(world.staff)
    response = staff.post(f"/proposals/{proposal.id}/self-assessment",
                          {f"score-{KEYS[0]}": "12", "action": "submit"})
    assert "得分应为0至10之间的数字" in response.get_data(as_text=True)
    staff.post(f"/proposals/{proposal.id}/self-assessment", {f"score-{KEYS[0]}": "9", "action": "submit"})
    db.session.refresh(proposal)
    assert proposal.status == "self_assessment"
    assert proposal.self_assessment.scores[KEYS[0]] == "9.00"  # saved, not submitted


@pytest.fixture
def in_review(world):
    proposal = world.submit()
    world.to_finance_review(proposal)
    members = world.assign(proposal, [world.finance, *world.experts])
    return proposal, members


def test_conflicted_reviewer_cannot_be_assigned(world, make):
    proposal = world.submit()
    world.to_finance_review(proposal)
    insider = make.user(Role.EXPERT, world.department)
    authority_expert = make.user(Role.EXPERT, world.department.authority)
    admin = world.client(world.admin)
    page = admin.post(f"/proposals/{proposal.id}/assessment/panel",
                      {"user_id": [str(insider.id), str(authority_expert.id)], "reason": "专家库无合适人选"},
                      follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "所在单位为申报单位或其主管部门，应当回避" in text
    db.session.refresh(proposal)
    assert proposal.current_assessment.members == []


def test_reviewer_sees_nothing_before_declaring(world, in_review):
    proposal, members = in_review
    expert = world.client(members[1].user)
    assert expert.get(f"/proposals/{proposal.id}").status_code == 404  # materials hidden until declared
    page = expert.text(f"/reviews/{members[1].id}")
    assert "回避与保密承诺" in page and "得分" not in page.split("回避与保密承诺")[1][:200]
    expert.post(f"/reviews/{members[1].id}", {"step": "declare", "agree": "yes"})
    assert expert.get(f"/proposals/{proposal.id}").status_code == 200


def test_blind_scoring(world, in_review):
    proposal, members = in_review
    first, second = members[1], members[2]
    world.declare_and_score(first, "7.77")
    world.client(second.user).post(f"/reviews/{second.id}", {"step": "declare", "agree": "yes"})
    page = world.client(second.user).text(f"/reviews/{second.id}")
    assert "7.77" not in page  # not before submitting their own
    world.score(second, "8.5")
    page = world.client(second.user).text(f"/reviews/{second.id}")
    assert "7.77" in page
    assert world.client(second.user).get(f"/reviews/{first.id}").status_code == 404  # never another's task
    assert world.client(second.user).get(f"/proposals/{proposal.id}/assessment").status_code == 403


def test_submitted_scores_are_read_only_until_an_admin_reopens(world, in_review):
    proposal, members = in_review
    member = members[1]
    world.declare_and_score(member, "8")
    response = world.score(member, "9.5")
    assert "提交，不能修改" in world.client(member.user).text(f"/reviews/{member.id}")
    db.session.refresh(member)
    assert {s.score for s in member.scores} == {Decimal("8")}
    assert response.status_code == 302
    # the admin reopens with a reason; the earlier version stays in the history
    world.client(world.admin).post(f"/proposals/reviews/{member.id}/reopen", {"reason": "评分录入有误"})
    db.session.refresh(member)
    assert member.status == "accepted" and len(member.revisions) == 1
    assert member.revisions[0].snapshot["scores"][KEYS[0]] == "8.00" and member.revisions[0].reason == "评分录入有误"
    world.score(member, "9")
    db.session.refresh(member)
    assert {s.score for s in member.scores} == {Decimal("9")}


def test_reviewers_cannot_reopen(world, in_review):
    _, members = in_review
    world.declare_and_score(members[1], "8")
    response = world.client(world.finance).post(f"/proposals/reviews/{members[1].id}/reopen", {"reason": "x"})
    assert response.status_code == 403
    assert world.client(world.finance).post(f"/proposals/{members[1].assessment.proposal_id}/act/conclude").status_code \
        == 404  # conclude is taken on its own page, never through the generic action


def test_comment_required_below_good_and_at_full_marks(world, in_review):
    _, members = in_review
    member = members[1]
    world.client(member.user).post(f"/reviews/{member.id}", {"step": "declare", "agree": "yes"})
    data = {f"score-{k}": "8" for k in KEYS} | {f"score-{KEYS[0]}": "10", f"score-{KEYS[1]}": "5",
                                                 "opinion": "意见", "step": "submit"}
    page = world.client(member.user).post(f"/reviews/{member.id}", data).get_data(as_text=True)
    assert "得分满分，请填写评语说明理由" in page and "得分低于“良”，请填写评语说明理由" in page
    assert 'value="5"' in page  # nothing typed is lost
    db.session.refresh(member)
    assert member.status == "accepted"


def test_outlier_must_justify_before_conclusion(world, in_review):
    proposal, members = in_review
    for member, each in zip(members, ("8", "8", "8", "5.5"), strict=True):
        world.declare_and_score(member, each)
    page = world.conclude(proposal, follow_redirects=True).get_data(as_text=True)
    assert "总分偏离专家组中位数较大、尚未说明理由：" + members[3].user.display_name in page
    db.session.refresh(proposal)
    assert proposal.status == "finance_review"
    outlier = members[3]
    world.client(outlier.user).post(f"/reviews/{outlier.id}", {"step": "justify", "justification": "预算测算依据不足"})
    world.conclude(proposal)
    db.session.refresh(proposal)
    assert proposal.status == "concluded"
    assert proposal.current_assessment.result["outliers"] == [outlier.user_id]


def test_outlier_justification_is_audited_and_frozen_with_the_conclusion(world, in_review):
    from budget_eval.platform.models.audit import AuditEvent

    proposal, members = in_review
    for member, each in zip(members, ("8", "8", "8", "5.5"), strict=True):
        world.declare_and_score(member, each)
    outlier = members[3]
    reviewer = world.client(outlier.user)
    reviewer.post(f"/reviews/{outlier.id}", {"step": "justify", "justification": "预算测算依据不足"})
    reviewer.post(f"/reviews/{outlier.id}", {"step": "justify", "justification": "预算测算依据不足，单价偏高"})
    world.conclude(proposal)
    db.session.refresh(proposal)
    assert proposal.status == "concluded"
    page = reviewer.post(f"/reviews/{outlier.id}", {"step": "justify", "justification": "改写：其实没问题"},
                         follow_redirects=True).get_data(as_text=True)
    assert "不能再修改" in page
    db.session.refresh(outlier)
    assert outlier.justification == "预算测算依据不足，单价偏高"
    trail = [e.detail for e in db.session.scalars(select(AuditEvent).where(AuditEvent.detail.like("%偏离说明%"))
                                                   .order_by(AuditEvent.id))]
    assert len(trail) == 2 and "填写偏离说明" in trail[0] and "（原为：预算测算依据不足）" in trail[1]


def test_a_gate_failure_rejects_whatever_the_total(world, in_review):
    proposal, members = in_review
    for member in members[:3]:
        world.client(member.user).post(f"/reviews/{member.id}", {"step": "declare", "agree": "yes"})
        world.score(member, "9.5", **{"score-funding.lawful_sources": "3"})
    world.client(members[3].user).post(f"/reviews/{members[3].id}", {"step": "decline", "reason": "出差"})
    world.conclude(proposal)
    db.session.refresh(proposal)
    round_ = proposal.current_assessment
    assert round_.total == Decimal("88.50") and round_.conclusion_label == "不予支持"
    assert round_.result["gate_failures"] == ["funding.lawful_sources"]


def test_changing_a_cut_off_changes_new_conclusions_only(world, app, tmp_path):
    concluded = world.submit(name="早先结论的项目")
    world.to_finance_review(concluded)
    for member in world.assign(concluded, [world.finance, *world.experts[:2]]):
        world.declare_and_score(member, "8.5")
    world.conclude(concluded)
    db.session.refresh(concluded)
    assert concluded.current_assessment.conclusion_label == "调整完善后予以支持"

    rules_dir = tmp_path / "rules"
    shutil.copytree(app.config["RULES_DIR"], rules_dir)
    path = rules_dir / "assessment.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('min_total: {value: 90,', 'min_total: {value: 85,'), encoding="utf-8")
    app.config["RULES_DIR"] = rules_dir

    later = world.submit(name="规则调整后的项目")
    world.to_finance_review(later)
    for member in world.assign(later, [world.finance, *world.experts[:2]]):
        world.declare_and_score(member, "8.5")
    world.conclude(later)
    db.session.refresh(later)
    db.session.refresh(concluded)
    assert later.current_assessment.conclusion_label == "予以支持"
    assert concluded.current_assessment.conclusion_label == "调整完善后予以支持"
    assert concluded.current_assessment.rules_version != later.current_assessment.rules_version
    assert "调整完善后予以支持" in world.client(world.admin).text(f"/proposals/{concluded.id}")


def test_only_supported_projects_reach_the_meeting(world, in_review):
    proposal, members = in_review
    for member in members[:3]:
        world.declare_and_score(member, "8")
    world.client(members[3].user).post(f"/reviews/{members[3].id}", {"step": "decline", "reason": "回避"})
    world.conclude(proposal)
    admin = world.client(world.admin)
    admin.post("/meetings/", {"title": "会议", "proposal_id": str(proposal.id)})
    assert db.session.scalar(select(Meeting)) is None
    db.session.refresh(proposal)
    assert proposal.status == "concluded"


def test_pipeline_page(world, in_review):
    proposal, _ = in_review
    page = world.client(world.admin).text("/pipeline/")
    assert "财政评估" in page and "评审人工作量" in page and world.experts[0].display_name in page
    assert world.client(world.finance).get("/pipeline/").status_code == 403


def test_panel_member_list_is_everyones_own(world, in_review):
    _, members = in_review
    page = world.client(members[1].user).text("/reviews/")
    assert page.count("/reviews/") >= 1
    assert db.session.scalar(select(PanelMember).where(PanelMember.user_id == members[1].user_id)) is not None


def test_reviewer_who_moved_into_the_department_cannot_declare(world, in_review):
    proposal, members = in_review
    member = members[1]
    member.user.department_id = proposal.department_id  # moved after being assigned
    db.session.commit()
    world.client(member.user).post(f"/reviews/{member.id}", {"step": "declare", "agree": "yes"})
    db.session.refresh(member)
    assert member.status == "assigned"
    assert world.client(member.user).get(f"/proposals/{proposal.id}").status_code == 404


def test_duplicates_are_found_when_a_round_opens(world):
    earlier = world.submit(name="城西综合交通枢纽配套道路工程")
    later = world.submit(name="城西综合交通枢纽配套道路建设工程")
    world.to_finance_review(later)
    found = later.current_assessment.duplicates
    assert [d["id"] for d in found] == [earlier.id] and float(found[0]["similarity"]) > 0.8
    member = world.assign(later, [world.experts[0]])[0]
    world.client(member.user).post(f"/reviews/{member.id}", {"step": "declare", "agree": "yes"})
    assert "城西综合交通枢纽配套道路工程（杭州市第一人民医院" in world.client(member.user).text(f"/reviews/{member.id}")
