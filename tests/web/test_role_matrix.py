"""Every route × every role, generated from the app's URL map: a route without a rule here fails the test.

The features declare who may reach each route in their ``permissions`` module (``ROUTES``, enforced by
platform.permissions.guard); this test reads those tables and checks them against the matrix below, so the
declared access and the observed behaviour cannot drift apart.

GET: the roles listed may open the page (2xx, or a redirect that is not to the login page); every other
signed-in role is refused (403 or 404); anonymous visitors are sent to the login page.
POST: every role not listed is refused (403, 404 or 405) even with a valid CSRF token, and nothing changes.
CSRF: every state-changing route refuses a post without the token (400).
"""
from __future__ import annotations

import io
from decimal import Decimal

import pytest
from sqlalchemy import select

from budget_eval.platform.domain.roles import Role
from budget_eval.platform import file_store
from budget_eval.platform.domain.jobs import JobStatus
from budget_eval.platform.models.job import Job
from budget_eval.platform.permissions import Access
from budget_eval.platform.extensions import db
from budget_eval.evaluation.models import EvalTarget, EvaluationYear, Evidence
from budget_eval.meetings.models import Meeting
from budget_eval.assessment.models import Expert
from budget_eval.intake.models import Proposal
from budget_eval.intake import attachments
from budget_eval.evaluation import operations as evaluation, publication
from budget_eval.meetings import operations as meetings
from tests.web.client import WebClient
from tests.web.flow import World
from tests.web.factories import TESTER

ANON, DEPT, OTHER_DEPT, REVIEWER, EXPERT, OTHER_EXPERT, ADMIN, OFFICE, AGENCY = (
    "anonymous", "department", "other_department", "reviewer", "expert", "other_expert", "admin", "eval_office",
    "agency")  # agency: staff of a third-party assessor not commissioned for the scene's proposal
SIGNED_IN = (DEPT, OTHER_DEPT, REVIEWER, EXPERT, OTHER_EXPERT, ADMIN, OFFICE, AGENCY)
EVERYONE = (ANON, *SIGNED_IN)
SEES_PROPOSAL = {DEPT, REVIEWER, ADMIN, EXPERT}  # owner, finance, and the cleared panel member

# endpoint → (roles that may GET, roles that may POST); None where the method does not exist
RULES = {
    "static": (set(EVERYONE), None),
    "home.index": (set(SIGNED_IN), None),
    "home.read_notifications": (None, set(SIGNED_IN)),
    "health.health": (set(EVERYONE), None),
    "health.live": (set(EVERYONE), None),
    "auth.login": (set(EVERYONE), set(EVERYONE)),
    "auth.logout": (None, set(SIGNED_IN)),
    "auth.change_password": (set(SIGNED_IN), set(SIGNED_IN)),
    "admin.departments": ({ADMIN}, None),
    "admin.edit_department": ({ADMIN}, {ADMIN}),
    "admin.users": ({ADMIN}, None),
    "admin.edit_user": ({ADMIN}, {ADMIN}),
    "admin.unlock_user": (None, {ADMIN}),
    "admin.audit_log": ({ADMIN}, None),
    "admin.audit_export": ({ADMIN}, None),
    "admin.rules_files": ({ADMIN}, None),
    "jobs.status": ({OFFICE, ADMIN}, None),  # the user who started the job (here the office) and the admin
    "jobs.result": ({OFFICE, ADMIN}, None),
    "proposals.index": ({DEPT, OTHER_DEPT, REVIEWER, ADMIN, AGENCY}, None),
    "proposals.new": ({DEPT, OTHER_DEPT}, {DEPT, OTHER_DEPT}),
    "proposals.detail": (SEES_PROPOSAL, None),
    "proposals.edit": ({DEPT}, {DEPT}),
    "proposals.upload": (None, {DEPT}),
    "proposals.download": (SEES_PROPOSAL, None),
    "proposals.delete_attachment": (None, {DEPT}),
    "screening.batch": ({REVIEWER, ADMIN}, {REVIEWER, ADMIN}),
    "screening.template": ({REVIEWER, ADMIN}, None),
    "proposals.act": (None, {REVIEWER, ADMIN}),
    "assessments.materials": (SEES_PROPOSAL, {REVIEWER, ADMIN}),
    "assessments.waive": (None, {ADMIN}),
    "assessments.self_assess": (SEES_PROPOSAL, {DEPT}),
    "assessments.assessor": (None, {REVIEWER, ADMIN}),
    "assessments.adjustment": (set(), set()),  # the scene's proposal was never revised: no such page for it
    "assessments.panel": ({ADMIN}, None),
    "assessments.assign": (None, {ADMIN}),
    "assessments.draw": (None, {ADMIN}),
    "assessments.replace": (None, {ADMIN}),
    "experts.index": ({ADMIN}, None),
    "experts.edit": ({ADMIN}, {ADMIN}),
    "assessments.conclude": (None, {ADMIN}),
    "assessments.reopen": (None, {ADMIN}),
    "assessments.records": (None, {ADMIN}),
    "reviews.material_page": (set(), None),  # own task only, and a page the PDF has (see NOT_EXERCISED)
    "reviews.index": ({REVIEWER, EXPERT, OTHER_EXPERT}, None),
    "reviews.task": ({EXPERT}, {EXPERT}),
    "reports.assessment_report": (SEES_PROPOSAL, None),
    "reports.opinion_sheet": ({EXPERT, ADMIN}, None),
    "meetings.pack": ({ADMIN}, None),
    "meetings.pack_job": (None, {ADMIN}),
    "meetings.index": ({ADMIN}, {ADMIN}),
    "meetings.detail": ({ADMIN}, None),
    "meetings.decide": (None, {ADMIN}),
    "meetings.include": (None, {ADMIN}),
    "meetings.budget": ({ADMIN}, None),
    "pipeline.index": ({ADMIN}, None),
    "economy.library": ({REVIEWER, ADMIN}, {REVIEWER, ADMIN}),
    "economy.library_template": ({REVIEWER, ADMIN}, None),
    "economy.record": (None, {EXPERT}),
    "splits.decide": (None, {ADMIN}),
    "evaluation.index": ({OFFICE, DEPT, OTHER_DEPT}, {OFFICE}),
    "evaluation.mine": ({DEPT, OTHER_DEPT}, None),
    "evaluation.year": ({OFFICE}, None),
    "evaluation.survey": (None, {OFFICE}),
    "feedback.hotwords": ({OFFICE, REVIEWER, ADMIN, EXPERT, OTHER_EXPERT}, None),  # a published year: finance and experts read it
    "feedback.hotword_comments": ({OFFICE}, None),
    "feedback.hotwords_xlsx": ({OFFICE}, None),
    "feedback.issues": (None, {OFFICE}),
    "feedback.recompute": (None, {OFFICE}),
    "feedback.confirm": ({OFFICE}, {OFFICE}),
    "feedback.supervision": ({OFFICE}, {OFFICE}),
    "feedback.report": ({OFFICE}, None),
    "evaluation.notice": ({OFFICE}, None),
    "evaluation.notice_job": (None, {OFFICE}),
    "evaluation.publish": (None, {OFFICE}),
    "evaluation.unit": ({OFFICE, DEPT}, {OFFICE, DEPT}),
    "evaluation.comments": ({OFFICE, DEPT}, None),
    "evaluation.evidence": ({OFFICE, DEPT}, None),
    "evaluation.leaders": (None, {OFFICE}),
    "evaluation.template": ({OFFICE}, None),
}


PERSONA_ROLE = {DEPT: Role.DEPARTMENT, OTHER_DEPT: Role.DEPARTMENT, REVIEWER: Role.REVIEWER, EXPERT: Role.EXPERT,
                OTHER_EXPERT: Role.EXPERT, ADMIN: Role.ADMIN, OFFICE: Role.EVAL_OFFICE, AGENCY: Role.THIRD_PARTY}
# a third-party agency's staff reach a proposal only when commissioned for it (the scene's agency is not)
_AGENCY_ONLY_WHEN_COMMISSIONED = {
    (endpoint, "get"): {Role.THIRD_PARTY} for endpoint in (
        "proposals.detail", "proposals.download", "assessments.materials", "assessments.self_assess",
        "reports.assessment_report")} | {
    (endpoint, "post"): {Role.THIRD_PARTY} for endpoint in (
        "proposals.upload", "proposals.delete_attachment", "assessments.self_assess")}
# Roles a feature's table lets through that this scene does not exercise (the record-level check refuses the
# scene's user of that role): (endpoint, method) -> roles, with why.
NOT_EXERCISED: dict[tuple[str, str], set[Role]] = {
    # the scene posts 'accept' (a finance step); a department's own steps go through the same route
    ("proposals.act", "post"): {Role.DEPARTMENT, Role.THIRD_PARTY},
    # the scene's finance reviewer sits on no panel: no task and no opinion sheet of their own
    ("reviews.task", "get"): {Role.REVIEWER},
    ("reviews.task", "post"): {Role.REVIEWER},
    ("economy.record", "post"): {Role.REVIEWER},
    ("reports.opinion_sheet", "get"): {Role.REVIEWER},
    # the scene's attachment is no real PDF, so no page renders for anyone (tests/web/test_evidence_scoring.py
    # renders one for the reviewer and refuses another reviewer)
    ("reviews.material_page", "get"): {Role.REVIEWER, Role.EXPERT},
    # any role may start a job of its own (and see it); the scene's job is the office's
    ("jobs.status", "get"): {Role.DEPARTMENT, Role.REVIEWER, Role.EXPERT, Role.THIRD_PARTY},
    ("jobs.result", "get"): {Role.DEPARTMENT, Role.REVIEWER, Role.EXPERT, Role.THIRD_PARTY},
    **_AGENCY_ONLY_WHEN_COMMISSIONED,
    # the scene's proposal was never revised: the adjustment page does not exist for it
    ("assessments.adjustment", "get"): {Role.DEPARTMENT, Role.REVIEWER, Role.ADMIN, Role.EXPERT, Role.THIRD_PARTY},
    ("assessments.adjustment", "post"): {Role.DEPARTMENT},
}


@pytest.fixture
def scene(app, make):
    """A concluded, supported project of one department in a meeting; an attachment; a published evaluation."""
    world = World(app, make)
    proposal = world.submit()
    attachments.store(proposal, io.BytesIO(b"%PDF-1.4 test"), "可研.pdf", world.staff)
    world.to_finance_review(proposal)
    members = world.assign(proposal, [world.finance, *world.experts[:2]])
    for member in members:
        world.declare_and_score(member, "9.5")
    world.conclude(proposal)
    world.to_reviewed(proposal)
    db.session.refresh(proposal)
    meetings.create("专题会议", None, [proposal.id], "score", world.admin, "executive")
    year = evaluation.open_year(2026, "hangzhou", TESTER)
    publication.publish(year, TESTER, {publication.ALL_MISSING: "测试：数据未录入"})
    unit = next(u for u in year.units if u.department_id == world.staff.department_id)
    target = EvalTarget(name="目标", weight=Decimal(100))
    unit.targets.append(target)
    db.session.flush()
    saved = attachments.save_upload(io.BytesIO(b"%PDF-1.4 evidence"), "佐证.pdf")
    target.evidence.append(Evidence(filename=saved.filename, storage_key=saved.key, size=saved.size,
                                    uploaded_by_id=world.staff.id))
    db.session.commit()
    users = {
        DEPT: world.staff, OTHER_DEPT: make.user(Role.DEPARTMENT), REVIEWER: make.user(Role.REVIEWER),
        EXPERT: members[1].user, OTHER_EXPERT: world.experts[2], ADMIN: world.admin,
        OFFICE: make.user(Role.EVAL_OFFICE), AGENCY: make.user(Role.THIRD_PARTY),
    }
    job = Job(kind="survey_import", title="2026年度社会评价问卷导入", user_id=users[OFFICE].id,
              status=JobStatus.DONE.value, result_name="拒收行.xlsx",
              result_key=file_store.keep_bytes(b"PK\x03\x04 rows", "拒收行.xlsx").key)
    db.session.add(job)
    expert = Expert(user_id=world.experts[2].id, name="专家库成员", organisation="浙江大学", title="教授",
                    specialties=["finance"])
    db.session.add(expert)
    db.session.commit()
    values = {
        "proposal_id": proposal.id, "attachment_id": proposal.attachments[0].id, "member_id": members[1].id,
        "item_id": proposal.materials[0].id, "action": "accept", "department_id": world.department.id,
        "user_id": world.staff.id, "meeting_id": db.session.scalar(select(Meeting.id)),
        "flag_id": 1, "year": 2026, "kind": "xlsx", "unit_id": unit.id, "filename": "app.css",
        "evidence_id": target.evidence[0].id, "job_id": job.id, "expert_id": expert.id, "page": 1,
        # meetings.decide names its meeting item item_id too
        "meetings.decide": {"item_id": db.session.scalar(select(Meeting)).items[0].id},
        "meetings.include": {"item_id": db.session.scalar(select(Meeting)).items[0].id},
        "evaluation.template": {"kind": "survey"},
    }
    return users, values


def urls(app, values):
    for rule in app.url_map.iter_rules():
        url, own = rule.rule, values.get(rule.endpoint, {})
        for name in rule.arguments:
            value = str(own.get(name, values[name]))
            url = url.replace(f"<int:{name}>", value).replace(f"<path:{name}>", value).replace(f"<{name}>", value)
        yield rule, url


def client_for(app, users, role) -> WebClient:
    client = WebClient(app)
    if role != ANON:
        client.login(users[role])
    return client


def test_every_route_has_a_rule(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - RULES.keys() == set(), "add these routes to RULES"
    assert RULES.keys() - endpoints == set()


def test_get_matrix(app, scene):
    users, values = scene
    clients = {role: client_for(app, users, role) for role in EVERYONE}
    failures = []
    for rule, url in urls(app, values):
        allowed = RULES[rule.endpoint][0]
        if allowed is None or "GET" not in rule.methods:
            continue
        for role in EVERYONE:
            with clients[role].get(url) as response:
                status, location = response.status_code, response.headers.get("Location", "")
            if role in allowed:
                ok = status == 200 or (status in (301, 302) and not location.startswith("/login"))
            elif role == ANON:
                ok = status == 302 and location.startswith("/login")
            else:
                ok = status in (403, 404)
            if not ok:
                failures.append(f"GET {url} as {role}: {status} {location}")
    assert failures == []


def test_post_matrix_refuses_everyone_else(app, scene):
    users, values = scene
    clients = {role: client_for(app, users, role) for role in EVERYONE}
    failures = []
    for rule, url in urls(app, values):
        allowed = RULES[rule.endpoint][1]
        if allowed is None or "POST" not in rule.methods:
            continue
        for role in EVERYONE:
            if role in allowed:
                continue
            response = clients[role].post(url, {"step": "score", "id": "1", "score": "1"})
            status, location = response.status_code, response.headers.get("Location", "")
            ok = (status == 302 and location.startswith("/login")) if role == ANON else status in (403, 404, 405)
            if not ok:
                failures.append(f"POST {url} as {role}: {status} {location}")
    assert failures == []
    # nothing changed: the project is still before the meeting, undecided, and the evaluation as published
    proposal = db.session.get(Proposal, values["proposal_id"])
    db.session.refresh(proposal)
    assert proposal.status == "meeting" and proposal.name == "城西综合交通枢纽配套道路工程"
    assert db.session.scalar(select(EvaluationYear.status)) == "published"
    assert len(proposal.attachments) == 1


def test_every_state_changing_route_needs_the_csrf_token(app, scene):
    users, values = scene
    client = client_for(app, users, ADMIN)
    failures = []
    for rule, url in urls(app, values):
        if "POST" not in rule.methods:
            continue
        response = client.post(url, {"step": "x"}, csrf=False)
        if response.status_code != 400:
            failures.append(f"POST {url} without a token: {response.status_code}")
    assert failures == []


def test_every_route_declares_who_may_reach_it(app):
    """Each feature's ROUTES table covers exactly its blueprints' endpoints: nothing undeclared, nothing stale."""
    declared: dict[str, Access] = app.config["ROUTE_ACCESS"]
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}
    assert endpoints - declared.keys() == set(), "declare these routes in their feature's permissions.ROUTES"
    assert declared.keys() - endpoints == set(), "these declared routes do not exist"


def test_declared_access_is_what_the_matrix_observes(app):
    """The roles a ROUTES table lets through are exactly the roles of the users the matrix lets through."""
    failures = []
    for endpoint in sorted(set(RULES) - {"static"}):
        access: Access = app.config["ROUTE_ACCESS"][endpoint]
        methods = {method.lower() for rule in app.url_map.iter_rules(endpoint) for method in rule.methods}
        for method, allowed, roles in (("get", RULES[endpoint][0], access.get),
                                       ("post", RULES[endpoint][1], access.post)):
            if access.public:
                if allowed is not None and ANON not in allowed:
                    failures.append(f"{endpoint}: public, but the matrix refuses visitors")
                continue
            observed = {PERSONA_ROLE[p] for p in allowed or () if p != ANON}
            if method not in methods:
                observed = set()  # no such method: the table must name nobody for it
            expected = observed | NOT_EXERCISED.get((endpoint, method), set())
            if set(roles) != expected:
                failures.append(f"{endpoint} {method.upper()}: table {sorted(roles)}, matrix {sorted(expected)}")
    assert failures == []


def test_an_undeclared_route_is_refused(app):
    """Deny by default: a route added to a guarded blueprint without a ROUTES entry answers 403 to everyone."""
    from flask import Blueprint

    from budget_eval.platform.permissions import guard

    bp = Blueprint("undeclared_probe", __name__, url_prefix="/probe")
    guard(bp, {})
    bp.add_url_rule("/", "page", lambda: "secret")
    probe = type(app)(app.import_name)
    probe.config.update(app.config, WTF_CSRF_ENABLED=False)
    probe.register_blueprint(bp)
    assert probe.test_client().get("/probe/").status_code == 403
