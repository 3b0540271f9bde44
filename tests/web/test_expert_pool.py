"""The expert pool and the draw through the web (issue 19, point 5): the admin keeps the pool, draws a panel at
random (every kind of conflict left out, the draw stored and replayed), replaces or adds a reviewer only with a
reason on record; a reviewer signs the 回避与保密承诺 before any material, file or scoring form opens, and the
signed text and time print on their opinion form, a finance reviewer labelled as one."""
from __future__ import annotations

import io
import shutil

import pytest
from docx import Document
from sqlalchemy import select

from budget_eval.assessment import draws
from budget_eval.assessment.domain.draw import Exclusion
from budget_eval.assessment.models import Expert, PanelDraw, PanelMember
from budget_eval.intake import attachments
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.platform.models.audit import AuditEvent
from tests.web.flow import World
from tests.web.test_reports import text_of


@pytest.fixture
def world(app, make):
    return World(app, make)


def pool_expert(world: World, name: str, *, specialties=("health",), organisation: str = "", department=None,
                avoid_departments=(), avoid_organisations=(), active: bool = True) -> Expert:
    user = world.make.user(Role.EXPERT, department)
    expert = Expert(user_id=user.id, name=name, organisation=organisation or f"{name}所在大学", title="教授",
                    specialties=list(specialties), avoid_department_ids=[d.id for d in avoid_departments],
                    avoid_organisations=list(avoid_organisations), active=active)
    db.session.add(expert)
    db.session.commit()
    return expert


def clean_pool(world: World, n: int = 3) -> list[Expert]:
    return [pool_expert(world, f"专家{i}") for i in range(n)]


def in_review(world: World):
    proposal = world.submit()
    world.to_finance_review(proposal)
    db.session.refresh(proposal)
    return proposal


def draw(world: World, proposal, specialty: str = "health", size: int = 3, follow: bool = False):
    return world.client(world.admin).post(f"/proposals/{proposal.id}/assessment/draw",
                                          {"specialty": specialty, "size": str(size)}, follow_redirects=follow)


def the_draw(proposal) -> PanelDraw:
    db.session.expire_all()
    return db.session.scalar(select(PanelDraw).where(PanelDraw.assessment_id == proposal.current_assessment.id,
                                                     PanelDraw.kind == "draw"))


def conflicted(world: World, kind: str, proposal) -> Expert:
    """An expert of the specialty with exactly one kind of conflict with this proposal."""
    department, authority = world.department, world.department.authority
    if kind == "department":
        return pool_expert(world, "本单位专家", department=department)
    if kind == "authority":
        return pool_expert(world, "主管部门专家", department=authority)
    if kind == "sector_authority":  # the 行业主管部门 that reviews the report (art. 5), not the parent unit
        sector = world.make.department("杭州市医疗保障局")
        department.sector_authority = sector
        db.session.commit()
        return pool_expert(world, "行业主管部门专家", department=sector)
    if kind == "organisation":
        return pool_expert(world, "同单位专家", organisation=authority.name)
    if kind == "declared_department":
        return pool_expert(world, "申报回避部门", avoid_departments=[department])
    if kind == "declared_organisation":
        return pool_expert(world, "申报回避单位", avoid_organisations=[department.name])
    if kind == "earlier_panel":
        expert = pool_expert(world, "已在评审组")
        world.client(world.admin).post(f"/proposals/{proposal.id}/assessment/panel",
                                       {"user_id": [str(expert.user_id)], "reason": "专家库上线前指定"})
        return expert
    if kind == "inactive":
        return pool_expert(world, "已停用专家", active=False)
    raise AssertionError(kind)


EXPECTED = {"department": Exclusion.DEPARTMENT, "authority": Exclusion.DEPARTMENT,
            "sector_authority": Exclusion.DEPARTMENT,
            "organisation": Exclusion.ORGANISATION, "declared_department": Exclusion.DECLARED,
            "declared_organisation": Exclusion.DECLARED, "earlier_panel": Exclusion.EARLIER_PANEL,
            "inactive": Exclusion.INACTIVE}


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_a_draw_leaves_out_each_kind_of_conflict(world, kind):
    proposal = in_review(world)
    bad = conflicted(world, kind, proposal)
    clean = clean_pool(world)
    draw(world, proposal)
    record = the_draw(proposal)
    assert sorted(record.chosen) == sorted(e.id for e in clean)
    assert record.excluded == {str(bad.id): EXPECTED[kind].value}
    seated = {m.user_id for m in proposal.current_assessment.members if m.draw_id == record.id}
    assert bad.user_id not in seated and seated == {e.user_id for e in clean}


def test_a_draw_leaves_out_an_expert_over_the_yearly_load(world, app, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(app.config["RULES_DIR"], rules)
    path = rules / "experts.yaml"
    path.write_text(path.read_text("utf-8").replace("yearly_load_limit: {value: 12", "yearly_load_limit: {value: 1"),
                    "utf-8")
    app.config["RULES_DIR"] = str(rules)
    busy = pool_expert(world, "本年已评专家")
    other = in_review(world)  # a panel on another proposal this year: one seat, the limit
    world.client(world.admin).post(f"/proposals/{other.id}/assessment/panel",
                                   {"user_id": [str(busy.user_id)], "reason": "指定"})
    proposal = in_review(world)
    clean = clean_pool(world)
    draw(world, proposal)
    record = the_draw(proposal)
    assert record.excluded == {str(busy.id): Exclusion.LOAD.value} and record.load_limit == 1
    assert sorted(record.chosen) == sorted(e.id for e in clean)


def test_the_stored_draw_replays_to_the_same_panel(world):
    proposal = in_review(world)
    pool = clean_pool(world, 7)
    pool_expert(world, "法律专家", specialties=("law",))
    page = draw(world, proposal, size=4, follow=True).get_data(as_text=True)
    record = the_draw(proposal)
    assert "已随机抽取4名评审专家" in page and record.seed in page
    assert record.eligible == sorted(e.id for e in pool) and len(record.chosen) == 4
    assert draws.replayed(record) == tuple(record.chosen) and draws.replays(record)
    admin = world.client(world.admin)
    assert "✓ 一致" in admin.text(f"/proposals/{proposal.id}/assessment")
    record.chosen = list(reversed(record.chosen))  # a tampered record no longer replays
    db.session.commit()
    assert "✗ 不一致" in admin.text(f"/proposals/{proposal.id}/assessment")
    # a second draw on the same round is refused: changes go through replacement
    assert "本轮已抽取评审组" in draw(world, proposal, follow=True).get_data(as_text=True)


def test_too_few_experts_is_said_in_chinese_and_nothing_is_seated(world):
    proposal = in_review(world)
    clean_pool(world, 2)
    assert "不足3名" in draw(world, proposal, follow=True).get_data(as_text=True)
    db.session.refresh(proposal)
    assert proposal.current_assessment.members == [] and the_draw(proposal) is None


def test_a_replacement_needs_a_reason_draws_afresh_and_is_audited(world):
    proposal = in_review(world)
    clean_pool(world, 5)
    draw(world, proposal)
    member = proposal.current_assessment.members[0]
    admin = world.client(world.admin)
    page = admin.post(f"/proposals/reviews/{member.id}/replace", {"reason": " "}, follow_redirects=True)
    assert "更换评审人须填写理由" in page.get_data(as_text=True)
    admin.post(f"/proposals/reviews/{member.id}/replace", {"reason": "出差无法参加"})
    db.session.expire_all()
    assert member.is_replaced and member.replace_reason == "出差无法参加"
    replacement = db.session.scalar(select(PanelDraw).where(PanelDraw.kind == "replace"))
    assert replacement.reason == "出差无法参加" and replacement.replaced_member_id == member.id
    assert str(member.expert_id) in replacement.excluded  # the replaced one is never drawn back
    active = [m for m in proposal.current_assessment.members if not m.is_replaced]
    assert len(active) == 3 and len({m.user_id for m in active}) == 3
    assert draws.replays(replacement)
    lines = [e.detail for e in db.session.scalars(select(AuditEvent))]
    assert any("更换评审人" in line and "出差无法参加" in line for line in lines)
    # the replaced reviewer opens nothing of the proposal any more
    assert world.client(member.user).get(f"/proposals/{proposal.id}").status_code == 404


def test_a_panel_added_by_hand_is_not_replaced_at_random(world):
    proposal = in_review(world)
    clean_pool(world, 3)
    world.client(world.admin).post(f"/proposals/{proposal.id}/assessment/panel",
                                   {"user_id": [str(world.experts[0].id)], "reason": "专家库上线前指定"})
    db.session.refresh(proposal)
    (member,) = proposal.current_assessment.members
    page = world.client(world.admin).post(f"/proposals/reviews/{member.id}/replace", {"reason": "出差"},
                                          follow_redirects=True)
    assert "未经随机抽取" in page.get_data(as_text=True)
    db.session.expire_all()
    assert member.is_assigned and db.session.scalar(select(PanelDraw)) is None


def test_a_manual_addition_needs_a_reason_on_record(world):
    proposal = in_review(world)
    admin = world.client(world.admin)
    page = admin.post(f"/proposals/{proposal.id}/assessment/panel", {"user_id": [str(world.finance.id)]},
                      follow_redirects=True)
    assert "手工添加评审人须填写理由" in page.get_data(as_text=True)
    admin.post(f"/proposals/{proposal.id}/assessment/panel",
               {"user_id": [str(world.finance.id)], "reason": "财政评审人员参加评审"})
    db.session.refresh(proposal)
    (member,) = proposal.current_assessment.members
    assert member.added_reason == "财政评审人员参加评审" and member.draw_id is None
    page = admin.text(f"/proposals/{proposal.id}/assessment")
    assert "手工添加：财政评审人员参加评审" in page and "财政评审人员" in page
    lines = [e.detail for e in db.session.scalars(select(AuditEvent))]
    assert any("手工添加评审人" in line and "财政评审人员参加评审" in line for line in lines)


def refuses(response) -> bool:
    """Refused: not found, forbidden, or sent elsewhere without the content."""
    return response.status_code in (403, 404) or (response.status_code == 302 and "/reviews/" not in
                                                   response.headers.get("Location", "x/reviews/"))


@pytest.mark.parametrize("who", ["expert", "finance_reviewer"])
def test_no_material_file_or_scoring_form_opens_before_the_pledge_is_signed(world, who):
    from tests.web.flow import KEYS

    proposal = in_review(world)
    attachment = attachments.store(proposal, io.BytesIO(b"%PDF-1.4 test"), "可研.pdf", world.staff)
    db.session.commit()
    if who == "expert":
        clean_pool(world, 3)
        draw(world, proposal)
        member = proposal.current_assessment.members[0]
    else:
        world.client(world.admin).post(f"/proposals/{proposal.id}/assessment/panel",
                                       {"user_id": [str(world.finance.id)], "reason": "财政评审人员参加评审"})
        db.session.refresh(proposal)
        (member,) = proposal.current_assessment.members
    reviewer = world.client(member.user)
    urls = [f"/proposals/{proposal.id}", f"/proposals/{proposal.id}/materials",
            f"/proposals/attachments/{attachment.id}", f"/proposals/{proposal.id}/report.docx",
            f"/reviews/{member.id}/opinion.docx"]
    for url in urls:
        with reviewer.get(url) as response:
            assert refuses(response), url
    task = reviewer.text(f"/reviews/{member.id}")
    assert "回避与保密承诺" in task and "本人承诺" in task
    assert 'name="score-' not in task and "查看项目申报内容" not in task
    sheet = {f"score-{k}": "8" for k in KEYS} | {f"comment-{k}": "理由" for k in KEYS}
    reviewer.post(f"/reviews/{member.id}", sheet | {"opinion": "意见", "step": "save"})
    reviewer.post(f"/reviews/{member.id}", sheet | {"opinion": "意见", "step": "submit"})
    db.session.expire_all()
    assert member.scores == [] and member.is_assigned
    # signing needs the box ticked; then the text and the time are stored and the materials open
    reviewer.post(f"/reviews/{member.id}", {"step": "declare"})
    db.session.expire_all()
    assert member.is_assigned
    reviewer.post(f"/reviews/{member.id}", {"step": "declare", "agree": "yes"})
    db.session.expire_all()
    assert member.is_cleared and member.declared_at is not None and member.pledge_text.startswith("本人承诺")
    assert reviewer.get(f"/proposals/{proposal.id}").status_code == 200
    with reviewer.get(f"/proposals/attachments/{attachment.id}") as response:
        assert response.status_code == 200
    assert 'name="score-' in reviewer.text(f"/reviews/{member.id}")


def test_the_opinion_form_prints_the_signed_pledge_and_names_a_finance_reviewer_as_one(world):
    proposal = in_review(world)
    clean_pool(world, 2)
    draw(world, proposal, size=2)
    world.client(world.admin).post(f"/proposals/{proposal.id}/assessment/panel",
                                   {"user_id": [str(world.finance.id)], "reason": "财政评审人员参加评审"})
    db.session.refresh(proposal)
    members = list(proposal.current_assessment.members)
    for member in members:
        world.declare_and_score(member, "9.5")
    db.session.expire_all()
    admin = world.client(world.admin)
    for member in members:
        with admin.get(f"/reviews/{member.id}/opinion.docx") as response:
            assert response.status_code == 200
            text = text_of(Document(io.BytesIO(response.data)))
        assert member.pledge_text in text and "在系统中签署上述承诺" in text
        if member.user.role == Role.REVIEWER.value:
            assert "财政评审人员评审意见表" in text and "财政评审人员姓名" in text
            assert not any(label in text for label in ("专家评审意见表", "专家姓名", "专家评审意见", "专家（签字）"))
        else:
            assert "专家评审意见表" in text and "专家姓名" in text
    world.conclude(proposal)
    db.session.refresh(proposal)
    assert proposal.current_assessment.is_concluded
    department = world.client(world.staff)  # the department's copy names nobody: 专家1, 专家2, 财政评审人员1
    with department.get(f"/proposals/{proposal.id}/report.docx") as response:
        text = text_of(Document(io.BytesIO(response.data)))
    assert "财政评审人员1" in text and "专家3" not in text and "专家2" in text


def test_admin_keeps_the_pool_on_its_pages(world):
    admin = world.client(world.admin)
    account = world.make.user(Role.EXPERT)
    assert "专家库还没有专家" in admin.text("/admin/experts/")
    page = admin.post("/admin/experts/new", {"user_id": str(account.id), "name": "", "organisation": "浙江大学",
                                              "title": "教授", "phone": "abc"})
    text = page.get_data(as_text=True)
    assert "请填写姓名" in text and "请至少选择一个专业领域" in text and "联系电话只能包含" in text
    assert 'value="浙江大学"' in text  # what was typed is kept
    assert db.session.scalar(select(Expert)) is None
    admin.post("/admin/experts/new", {"user_id": str(account.id), "name": "钱伟", "organisation": "浙江大学",
                                       "title": "教授", "specialties": ["health", "finance"],
                                       "avoid_department_ids": [str(world.department.id)],
                                       "avoid_organisations": "杭州市某医院\n杭州市某医院、某公司", "active": "y"})
    expert = db.session.scalar(select(Expert))
    assert expert.specialties == ["health", "finance"] and expert.avoid_department_ids == [world.department.id]
    assert expert.avoid_organisations == ["杭州市某医院", "某公司"] and expert.active
    listing = admin.text("/admin/experts/")
    assert "钱伟" in listing and "医疗卫生、财务与预算管理" in listing and world.department.name in listing
    assert "新增专家库记录" in " ".join(e.detail for e in db.session.scalars(select(AuditEvent)))
    form = admin.text(f"/admin/experts/{expert.id}/edit")
    assert '<label for="specialties-0">' in form and "杭州市某医院\n某公司" in form
