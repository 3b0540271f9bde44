"""Every change is audited with its actor (issue 25).

Every POST route of the app (read from app.url_map) and every command (read from app.cli) is either performed
here, with the audit lines it must leave, or listed with the reason it writes nothing to audit. A new POST route
or command without an entry fails `test_every_post_route_and_command_has_an_entry`; every action of the unit page
(evaluation/unit_actions.ACTIONS) is performed too, so a new step without an audit line fails.
"""
from __future__ import annotations

import io
import click
import pandas as pd
import pytest
from sqlalchemy import func, select

from budget_eval.evaluation import unit_actions
from budget_eval.evaluation.feedback_models import HotWordIssue, SupervisionItem
from budget_eval.evaluation.models import Appeal, EvaluationUnit, EvaluationYear, Innovation, Rectification, SurveyResponse
from budget_eval.intake.models import Attachment
from budget_eval.meetings.models import Meeting
from budget_eval.platform import audit as audit_module
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.platform.models.audit import AuditEvent
from budget_eval.platform.models.user import User
from tests.web.client import WebClient
from tests.web.factories import PASSWORD
from tests.web.flow import received, World
from tests.web.test_evaluation import survey_sheet

# POST routes that write nothing that needs an audit line, each with its reason (none at present: every POST
# route changes something). A new route must be added to PERFORMED below or here.
EXEMPT_ROUTES: dict[str, str] = {
    "home.read_notifications": "marks the user's own notifications read (notification.read_at is the record); "
                               "no record of the bureau's work changes",
}

# commands that change nothing in the database (they read it, or write only a file on the operator's disk)
EXEMPT_COMMANDS = {
    "backup": "reads every table in one snapshot and writes an archive file; changes nothing",
    "report": "writes a .docx of a concluded project; reads only",
    "meeting-pack": "writes the meeting pack files; reads only",
    "hotwords": "writes an .xlsx of hot words; reads only",
    "template": "writes an import template; reads nothing",
    "rules check": "validates the YAML files; writes nothing",
}
# Alembic's commands change the schema, not the records; Alembic keeps its own record (alembic_version)
EXEMPT_GROUPS = {"db": "schema migrations (Alembic records the revision in alembic_version)"}

PERFORMED_ROUTES = {
    "auth.login", "auth.logout", "auth.change_password", "admin.edit_department", "admin.edit_user",
    "admin.unlock_user", "proposals.new", "proposals.edit", "proposals.upload", "proposals.delete_attachment",
    "proposals.act", "assessments.assessor", "assessments.adjustment", "assessments.materials", "assessments.waive", "assessments.self_assess", "assessments.assign", "assessments.draw", "assessments.replace", "experts.edit",
    "reviews.task", "assessments.reopen", "assessments.conclude", "assessments.records", "meetings.index", "meetings.decide", "meetings.include",
    "meetings.pack_job",
    "screening.batch", "evaluation.index", "evaluation.survey", "evaluation.leaders", "evaluation.unit",
    "evaluation.publish", "evaluation.notice_job", "feedback.confirm", "feedback.issues", "feedback.recompute", "feedback.supervision",
    "economy.library", "economy.record", "splits.decide",
}
PERFORMED_COMMANDS = {"create-admin", "seed-demo", "restore", "survey import", "evaluation open", "screen"}


def post_endpoints(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in (rule.methods or ())}


def commands(group: click.Group, prefix: str = "") -> set[str]:
    found = set()
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            if prefix + name in EXEMPT_GROUPS:
                continue
            found |= commands(command, prefix + name + " ")
        else:
            found.add(prefix + name)
    return found


def test_every_post_route_and_command_has_an_entry(app):
    routes = post_endpoints(app)
    assert routes - PERFORMED_ROUTES - set(EXEMPT_ROUTES) == set(), "a POST route with no audit entry here"
    assert (PERFORMED_ROUTES | set(EXEMPT_ROUTES)) - routes == set(), "an entry for a route that is gone"
    found = commands(app.cli)
    assert found - PERFORMED_COMMANDS - set(EXEMPT_COMMANDS) == set(), "a command with no audit entry here"
    assert (PERFORMED_COMMANDS | set(EXEMPT_COMMANDS)) - found == set()


def test_an_audit_line_without_an_actor_is_refused(app):
    from flask_login import AnonymousUserMixin

    for nobody in (None, AnonymousUserMixin(), audit_module.Actor("")):
        with pytest.raises(audit_module.MissingActor):
            audit_module.audit("admin", "x", "y", nobody)
    audit_module.audit("admin", "x", "y", audit_module.system("任务#1"))
    db.session.rollback()


class Auditor:
    """Posts through the test client and checks the audit lines each post leaves."""

    def __init__(self, app):
        self.app, self.seen = app, set()
        self.adapter = app.url_map.bind("localhost")

    def lines(self) -> list[AuditEvent]:
        return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))

    def post(self, client: WebClient, url: str, data: dict | None = None, *expected: tuple[str, str], **kwargs):
        endpoint, _ = self.adapter.match(url.split("?")[0], method="POST")
        self.seen.add(endpoint)
        before = db.session.scalar(select(func.coalesce(func.max(AuditEvent.id), 0)))
        response = client.post(url, data, **kwargs)
        assert response.status_code < 500, (url, response.status_code)
        db.session.expire_all()
        new = list(db.session.scalars(select(AuditEvent).where(AuditEvent.id > before).order_by(AuditEvent.id)))
        assert new, (f"{endpoint} {url} wrote no audit line", response.status_code, response.headers.get("Location"))
        assert all(line.username for line in new), [(l.kind, l.detail) for l in new if not l.username]
        for kind, text in expected:
            assert any(line.kind == kind and text in line.detail for line in new), \
                (endpoint, kind, text, [(l.kind, l.username, l.detail) for l in new])
        return response


def client_of(app, user) -> WebClient:
    client = WebClient(app)
    client.login(user)
    return client


def test_every_post_route_leaves_its_audit_lines_with_an_actor(app, make, tmp_path):
    a = Auditor(app)
    world = World(app, make)
    admin, staff, finance = client_of(app, world.admin), client_of(app, world.staff), client_of(app, world.finance)

    # accounts: sign in and out, own password (wrong, then right), departments and users, unlocking
    stranger, visitor = WebClient(app), make.user(Role.EXPERT)  # (logging out ends every session of that user)
    a.post(stranger, "/login", {"username": visitor.username, "password": "wrong-password-1"}, ("login", "登录失败"))
    a.post(stranger, "/login", {"username": visitor.username, "password": PASSWORD}, ("login", "登录成功"))
    a.post(stranger, "/logout", {}, ("login", "退出登录"))
    reviewer = make.user(Role.REVIEWER)
    own = client_of(app, reviewer)
    a.post(own, "/account/password", {"current": "not-it-at-all", "new": "Qiantang-river-tide", "confirm":
                                      "Qiantang-river-tide"}, ("login", "当前密码不正确"))
    a.post(own, "/account/password", {"current": PASSWORD, "new": "Qiantang-river-tide", "confirm":
                                      "Qiantang-river-tide"}, ("admin", "本人修改密码"))
    a.post(admin, "/admin/departments/new", {"name": "杭州市审计局"}, ("admin", "新建部门"))
    a.post(admin, "/admin/users/new", {"username": "wangwu", "display_name": "王五", "role": "reviewer",
                                       "department_id": "0", "password": "Xixi-wetland-walk", "active": "y"},
           ("admin", "新建用户"))
    wangwu = db.session.scalar(select(User).where(User.username == "wangwu"))
    a.post(admin, f"/admin/users/{wangwu.id}/edit", {"username": "wangwu", "display_name": "王五", "role": "expert",
                                                     "department_id": "0", "password": "Lingyin-temple-bell"},
           ("admin", "停用账号"), ("admin", "角色 财政评审人 → 评审专家"), ("admin", "重设密码"))
    a.post(admin, f"/admin/users/{wangwu.id}/edit", {"username": "wangwu", "display_name": "王五", "role": "expert",
                                                     "department_id": "0", "active": "y"}, ("admin", "启用账号"))
    a.post(admin, f"/admin/users/{wangwu.id}/unlock", {}, ("admin", "解除登录限制"))

    # a proposal from draft to meeting decision
    a.post(staff, "/proposals/new", _proposal_form("save"), ("state", "创建草稿"))
    proposal = _last_proposal()
    a.post(staff, f"/proposals/{proposal.id}/edit", dict(_proposal_form("save"), plan_text="分四阶段实施"),
           ("edit", "保存修改"))
    a.post(staff, f"/proposals/{proposal.id}/attachments", {"file": (io.BytesIO(b"%PDF-1.4 x"), "可研.pdf")},
           ("state", "上传附件"), content_type="multipart/form-data")
    attachment = db.session.scalar(select(Attachment))
    a.post(staff, f"/proposals/attachments/{attachment.id}/delete", {}, ("state", "删除附件"))
    a.post(staff, f"/proposals/{proposal.id}/edit", _proposal_form("submit"), ("state", "提交"))
    a.post(finance, f"/proposals/{proposal.id}/act/accept", {}, ("state", "受理"))
    a.post(finance, f"/proposals/{proposal.id}/assessor", {"kind": "finance"}, ("state", "确定评估主体"))
    db.session.refresh(proposal)
    required = [m for m in proposal.materials if m.code != "budget_detail"]
    missing = next(m for m in proposal.materials if m.code == "budget_detail")
    a.post(finance, f"/proposals/{proposal.id}/materials", received(proposal, required),
           ("state", "材料"))
    a.post(admin, f"/proposals/{proposal.id}/materials/{missing.id}/waive", {"reason": "已在申报书中列明"},
           ("state", "豁免材料"))
    a.post(finance, f"/proposals/{proposal.id}/act/materials_complete", {}, ("state", "材料齐全"))
    data = _self_assessment_form()
    a.post(staff, f"/proposals/{proposal.id}/self-assessment", dict(data, action="save"), ("score", "部门自评：保存"))
    a.post(staff, f"/proposals/{proposal.id}/self-assessment", dict(data, action="submit"), ("state", "提交自评"))
    a.post(client_of(app, world.authority_staff), f"/proposals/{proposal.id}/act/authority_approve", {},
           ("state", "审核通过"))
    # the expert pool, a random draw of two, one replaced with a reason, a finance reviewer added by hand
    for n, expert in enumerate(world.experts):
        a.post(admin, "/admin/experts/new", {"user_id": str(expert.id), "name": f"池中专家{n}", "organisation": "浙江大学",
                                             "title": "教授", "specialties": ["health"], "active": "y"},
               ("admin", "新增专家库记录"))
    a.post(admin, f"/proposals/{proposal.id}/assessment/draw", {"specialty": "health", "size": "2"},
           ("state", "随机抽取评审组"))
    db.session.refresh(proposal)
    first = proposal.current_assessment.members[0]
    a.post(admin, f"/proposals/reviews/{first.id}/replace", {"reason": "出差无法参加"}, ("state", "更换评审人"))
    a.post(admin, f"/proposals/{proposal.id}/assessment/panel", {"user_id": [str(world.finance.id)],
                                                                 "reason": "财政评审人员参加评审"},
           ("state", "财政评审人员参加评审"))
    db.session.refresh(proposal)
    members = [m for m in proposal.current_assessment.members if m.status != "replaced"]
    from tests.web.flow import KEYS

    sheet = {f"score-{k}": "8" for k in KEYS} | {f"comment-{k}": "依据充分" for k in KEYS} | {"opinion": "同意"}
    for n, member in enumerate(members):
        reviewer_client = client_of(app, member.user)
        a.post(reviewer_client, f"/reviews/{member.id}", {"step": "declare", "agree": "yes"}, ("score", "签署"))
        if n == 0:  # 投入经济性 (issue 26): a cost–benefit finding
            a.post(reviewer_client, f"/reviews/{member.id}/economy", {"step": "cost_benefit", "costs": "100",
                                                                    "benefits": "0, 60, 60"},
                   ("economy", "记录成本效益分析法结果"))
            a.post(reviewer_client, f"/reviews/{member.id}", dict(sheet, step="save"), ("score", "保存草稿"))
        a.post(reviewer_client, f"/reviews/{member.id}", dict(sheet, step="submit"), ("score", "总分80"))
    a.post(admin, f"/proposals/reviews/{members[0].id}/reopen", {"reason": "录入错误"}, ("score", "录入错误"))
    a.post(client_of(app, members[0].user), f"/reviews/{members[0].id}", dict(sheet, step="submit"),
           ("score", "总分80"))
    a.post(admin, f"/proposals/{proposal.id}/assessment/records",
           {"kind": "method", "method": "comparison", "finding": "单价高于同类项目", "evidence": "可研第3页"},
           ("score", "记录评估方法 比较法"))
    a.post(admin, f"/proposals/{proposal.id}/assessment/records",
           {"kind": "step", "step": "site_visit", "date": "2026-11-20", "note": ""}, ("score", "记录评估程序"))
    db.session.refresh(proposal)
    a.post(admin, f"/proposals/{proposal.id}/assessment/records",
           {"kind": "step", "remove": "0", "at": proposal.current_assessment.procedure_steps[0]["at"]},
           ("score", "删除评估程序记录"))
    a.post(admin, f"/proposals/{proposal.id}/assessment/conclude",
           {"opinion": "总体可行", "problems": "测算偏粗", "suggestions": "细化预算"}, ("state", "出具评估结论"))
    # 调整完善后予以支持 (80 points): the department answers each opinion, finance confirms, the report is reviewed
    a.post(staff, f"/proposals/{proposal.id}/act/start_revision", {}, ("state", "开始调整完善"))
    a.post(staff, f"/proposals/{proposal.id}/edit", dict(_proposal_form("save"), plan_text="分五阶段实施，细化测算"),
           ("edit", "保存修改"))
    a.post(staff, f"/proposals/{proposal.id}/adjustment", {
        "change-0": "按单价重新测算", "where-0": "预算测算依据", "change-1": "细化分项预算", "where-1": "实施方案",
        "explanation": "已按评估意见逐条修改"}, ("state", "修改"))
    a.post(finance, f"/proposals/{proposal.id}/act/confirm_adjustment", {"reason": "已按意见调整"}, ("state", ""))
    a.post(client_of(app, world.authority_staff), f"/proposals/{proposal.id}/act/sector_pass", {"reason": "同意"},
           ("state", ""))
    a.post(finance, f"/proposals/{proposal.id}/act/finance_pass", {"reason": "同意"}, ("state", ""))
    a.post(admin, "/meetings/", {"kind": "executive", "title": "2027年第3次市政府常务会议",
                                 "proposal_id": str(proposal.id), "order": "score"}, ("state", "提交"))
    item = db.session.scalar(select(Meeting)).items[0]
    a.post(admin, f"/meetings/items/{item.id}/decide", {"decision": "approved", "approved-2027": "10000",
                                                         "approved-2028": "14000", "cut_reason": "运维费测算偏高",
                                                         "note": ""}, ("state", "会议"))
    a.post(admin, f"/meetings/items/{item.id}/library", {"library_date": "2027-02-01"}, ("state", ""))
    a.post(admin, f"/meetings/{item.meeting_id}/pack", {}, ("state", "会议材料"))  # a job, audited with its actor

    # 投入经济性 (issue 26): the unit-cost library's import; a suspected split decided by the admin
    from tests.web.test_economy import library_sheet, split_pair

    a.post(finance, "/economy/library", {"file": (io.BytesIO(library_sheet()), "单价.xlsx")},
           ("import", "导入历史单价与定额“单价.xlsx”"), content_type="multipart/form-data")
    second = split_pair(make, world.staff)
    a.post(admin, f"/proposals/{second.id}/split/{second.split_flags[0].id}", {"decision": "together"},
           ("split", "合并评估"))

    # batch screening
    a.post(finance, "/screening/batch", {"file": (io.BytesIO(project_list()), "清单.xlsx")},
           ("import", "筛查文件“清单.xlsx”"), content_type="multipart/form-data")

    _evaluation(app, make, a)
    assert a.seen == PERFORMED_ROUTES


def project_list() -> bytes:
    from tests.web.test_batch_page import sheet_bytes

    return sheet_bytes([["枢纽道路", "交通局", "基建投资项目", "是", "25,000", "否"]])


def _last_proposal():
    from budget_eval.intake.models import Proposal

    return db.session.scalar(select(Proposal).order_by(Proposal.id.desc()))


def _proposal_form(action: str) -> dict:
    from tests.web.factories import form_post

    return dict(form_post(), action=action)


def _self_assessment_form() -> dict:
    from tests.web.flow import KEYS, TEMPLATE

    data = {f"score-{k}": "8" for k in KEYS}
    for d in TEMPLATE.dimensions:
        data |= {f"facts-{d.code}": "情况", f"problems-{d.code}": "问题", f"judgement-{d.code}": "结论"}
    return data


def _evaluation(app, make, a: Auditor) -> None:
    """The office opens a year, imports, scores every unit action, publishes; the unit reports and responds."""
    transport = make.department("杭州市交通运输局")
    make.department("杭州市城市管理局")
    office, unit_staff = client_of(app, make.user(Role.EVAL_OFFICE)), client_of(app, make.user(Role.DEPARTMENT,
                                                                                                  transport))
    a.post(office, "/evaluation/", {"year": "2026", "scheme": "hangzhou"}, ("state", "新建"))
    year = db.session.scalar(select(EvaluationYear))
    unit = db.session.scalar(select(EvaluationUnit).where(EvaluationUnit.department_id == transport.id))
    rows = [("R1", "市民代表", "杭州市交通运输局", "满意", "地铁早高峰太挤"),
            ("R2", "党代表", "杭州市交通运输局", "不满意", "地铁早高峰太挤，换乘不便"),
            ("R3", "企业代表", "杭州市城市管理局", "满意", "垃圾清运不及时"),
            ("R4", "路人", "杭州市交通运输局", "满意", "")]
    a.post(office, "/evaluation/2026/survey", {"file": (io.BytesIO(survey_sheet(rows)), "问卷.xlsx")},
           ("import", "导入问卷“问卷.xlsx”"), ("import", "导入 3 行，拒收 1 行"), content_type="multipart/form-data")
    leaders = io.BytesIO()
    pd.DataFrame([("杭州市交通运输局", "市长", "92"), ("不存在局", "市长", "90")],
                 columns=["被评单位", "领导", "得分"]).to_excel(leaders, index=False)
    a.post(office, "/evaluation/2026/leaders", {"file": (io.BytesIO(leaders.getvalue()), "领导评分.xlsx")},
           ("import", "导入领导评分“领导评分.xlsx”：共 2 行，导入 1 行，拒收 1 行"), content_type="multipart/form-data")

    page = f"/evaluation/units/{unit.id}"
    done: set[str] = set()

    def step(client, name, form, *expected, **kwargs):
        done.add(name)
        a.post(client, page, {"step": name, **form}, *expected, **kwargs)

    step(office, "target", {"name": "地铁线网建设", "weight": "100"}, ("evaluation", "添加目标“地铁线网建设”"))
    db.session.refresh(unit)
    target = unit.targets[0]
    step(office, "score", {"id": str(target.id), "score": "90"}, ("evaluation", "得分 未评 → 90"))
    step(office, "deduction", {"points": "0.5", "reason": "暗访发现窗口脱岗"}, ("evaluation", "明察暗访扣分：0.5"))
    step(office, "leader", {"leader": "副市长", "score": "88"}, ("evaluation", "领导评分：副市长 88"))
    veto = next(iter(unit_actions.evaluation.scheme_of(year).veto_items))
    step(office, "vetoes", {"veto": veto}, ("evaluation", f"一票否决事项：无 → {veto}"))
    step(office, "vetoes", {}, ("evaluation", f"一票否决事项：{veto} → 无"))
    manual = next((c for c in unit_actions.evaluation.scheme_of(year).components if c.source == "manual"), None)
    if manual is not None:
        step(office, "manual", {manual.code: "85"}, ("evaluation", "人工录入得分率"))
    else:  # the scheme has no manually entered component: the step still writes its (empty) line
        step(office, "manual", {}, ("evaluation", "人工录入得分率"))
    step(unit_staff, "progress", {"id": str(target.id), "progress": "完成70%",
                                  "evidence": (io.BytesIO(b"%PDF-1.4 proof"), "进度.pdf")},
         ("evaluation", "目标进展报送"), ("evaluation", "佐证材料“进度.pdf”"), content_type="multipart/form-data")
    step(unit_staff, "innovation", {"title": "城市大脑交通应用", "claimed": "2"}, ("state", "新建"))
    innovation = db.session.scalar(select(Innovation))
    step(office, "verify", {"id": str(innovation.id), "verified": "1.5"}, ("state", "核定1.5分"))
    step(unit_staff, "rectification", {"topic": "地铁拥挤", "response": "已研究", "measures": "增开班次",
                                       "deadline": "2027-06-30", "public": "yes"}, ("commitment", "公开整改承诺：地铁拥挤"))
    rectification = db.session.scalar(select(Rectification))
    step(unit_staff, "commitment", {"id": str(rectification.id), "action": "report_done"}, ("commitment", ""))
    step(office, "commitment", {"id": str(rectification.id), "action": "verify"}, ("commitment", ""))

    # 反馈确认, hot-word issues, 跟踪督办
    first = db.session.scalar(select(SurveyResponse).where(SurveyResponse.respondent == "R1"))
    twin = db.session.scalar(select(SurveyResponse).where(SurveyResponse.respondent == "R2"))
    a.post(office, "/evaluation/2026/feedback", {"id": str(first.id)}, ("feedback", ""))
    a.post(office, "/evaluation/2026/feedback", {"id": str(twin.id), "step": "merge", "target": str(first.id)},
           ("feedback", "并入"))
    a.post(office, "/evaluation/2026/feedback", {"step": "all"}, ("feedback", "批量确认"))
    from budget_eval.evaluation.hotwords import year_hot_words

    word = year_hot_words(year).city.criticism[0].word
    a.post(office, "/evaluation/2026/hotwords/issues", {"step": "keep", "word": word}, ("hotwords", "保存问题清单"))
    issue = db.session.scalar(select(HotWordIssue))
    a.post(office, "/evaluation/2026/hotwords/issues", {"id": str(issue.id), "label": "地铁拥挤", "confirmed": "yes"},
           ("hotwords", "确认：地铁拥挤"))
    a.post(office, "/evaluation/2026/hotwords/recompute", {}, ("hotwords", "计算十大热词（后台任务#"))
    a.post(office, "/evaluation/2026/supervision", {"title": "早高峰拥堵治理", "hot_word": word,
                                                    "lead": str(transport.id), "check_date": "2026-11-30"},
           ("supervision", "2026年度督办立项；牵头：杭州市交通运输局"))
    item = db.session.scalar(select(SupervisionItem))
    step(unit_staff, "supervision_progress", {"id": str(item.id), "progress": "已优化信号配时"},
         ("supervision", "报送督办进展：已优化信号配时"))
    from budget_eval.evaluation.feedback import supervision_rules

    results = list(supervision_rules(unit_actions.evaluation.scheme_of(year).raw).get("results", {}))
    a.post(office, "/evaluation/2026/supervision", {"step": "check", "id": str(item.id), "result": results[0],
                                                    "note": "已完成"}, ("supervision", results[0]))

    # publish, appeal and its decision
    a.post(office, "/evaluation/2026/publish", {"missing-all": "测试：数据未录入"}, ("state", "公布"))
    step(unit_staff, "appeal", {"reason": "目标考核漏计一项"}, ("state", "新建"))
    appeal = db.session.scalar(select(Appeal))
    step(office, "decide", {"id": str(appeal.id), "upheld": "yes", "change": "1", "decision": "属实"},
         ("state", "属实"))
    # withdrawn with its reason, and published again as a correction with its reason
    a.post(office, "/evaluation/2026/publish", {"step": "withdraw", "reason": "目标数据漏录"}, ("state", "撤回公布（已公布→考评中）：目标数据漏录"))
    a.post(office, "/evaluation/2026/publish", {"missing-all": "测试：数据未录入", "correction": "补录目标数据"},
           ("state", "更正后重新公布（考评中→已公布）：补录目标数据"))
    # the 结果通报 in Word, a job in the office user's name: its number audited with that user
    a.post(office, "/evaluation/2026/notice-job", {}, ("state", "结果通报"), ("evaluation", "结果通报编号"))
    assert done == set(unit_actions.ACTIONS), "a unit-page action that is not performed (and audited) here"


def test_every_writing_command_leaves_its_audit_line_with_an_actor(app, make, tmp_path):
    runner = app.test_cli_runner()

    def run(args, *expected):
        before = db.session.scalar(select(func.coalesce(func.max(AuditEvent.id), 0)))
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
        db.session.expire_all()
        new = list(db.session.scalars(select(AuditEvent).where(AuditEvent.id > before)))
        assert new and all(line.username for line in new)
        for kind, text in expected:
            assert any(line.kind == kind and text in line.detail and line.username.startswith(("命令行", "系统任务"))
                       for line in new), (args, [(l.kind, l.username, l.detail) for l in new])

    run(["create-admin", "--username", "boss-admin", "--password", "Baidi-causeway-walk"], ("admin", "新建管理员"))
    make.department("杭州市交通运输局")
    run(["evaluation", "open", "2026", "--scheme", "hangzhou"], ("state", "新建"))
    source = tmp_path / "问卷.xlsx"
    source.write_bytes(survey_sheet([("R1", "市民代表", "杭州市交通运输局", "满意", "")]))
    run(["survey", "import", str(source), "--year", "2026"], ("import", "导入问卷“问卷.xlsx”：共 1 行，导入 1 行"))
    projects = tmp_path / "清单.xlsx"
    projects.write_bytes(project_list())
    run(["screen", str(projects), "-o", str(tmp_path / "out.xlsx")], ("import", "筛查文件“清单.xlsx”：1 行"))
    archive = tmp_path / "backup.tar.gz"
    assert runner.invoke(args=["backup", "-o", str(archive)]).exit_code == 0
    from tests.conftest import _empty_tables

    db.session.remove()
    _empty_tables()
    run(["restore", str(archive)], ("admin", "从备份“backup.tar.gz”恢复"))
    db.session.remove()
    _empty_tables()
    run(["seed-demo"], ("admin", "载入演示数据"))
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.username == "")) == 0


def test_a_days_work_leaves_no_line_without_an_actor(demo):
    """The demo's whole history (proposals, reviews, meetings, two evaluation years) names an actor on every line."""
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) > 50
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.username == "")) == 0
