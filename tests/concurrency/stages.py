"""Bring a fresh record to the state a race needs, through the same pages a person uses, one step at a time.

Users are the demo's: 交通运输局 (jiaotong) has no authority above it, so its self-assessment goes straight
to finance; 市一医院 (yiyuan) reports to 卫健委 (weijian). Ids are read back with raw SQL.
"""
from __future__ import annotations

import itertools
import re
import uuid
from dataclasses import dataclass, field

from budget_eval.demo import PASSWORD
from tests.concurrency.harness import Harness, SetupError

DIRECT, UNDER_AUTHORITY, AUTHORITY = "jiaotong", "yiyuan", "weijian"
FINANCE, ADMIN, OFFICE = "reviewer1", "admin", "kpb"
EXPERTS = ("expert1", "expert2", "expert3")
SCORE_FIELD = re.compile(r'name="((?:score|comment)-[^"]+)"')
SELF_FIELD = re.compile(r'name="((?:score|facts|problems|judgement)-[^"]+)"')
_serial = itertools.count(1)
PANEL_REASON = "并发测试：指定评审人"


@dataclass
class Case:
    """The record a race acts on, and the ids of what hangs off it."""

    proposal: int = 0
    name: str = ""
    department: str = DIRECT
    members: dict[str, int] = field(default_factory=dict)  # expert → their sheet (panel_member id)
    item: int = 0  # meeting item
    year: int = 0
    unit: int = 0
    appeal: int = 0
    innovation: int = 0
    rectification: int = 0
    form: dict = field(default_factory=dict)  # a form read from the page, posted by every thread

    @property
    def page(self) -> str:
        return f"/proposals/{self.proposal}"

    @property
    def unit_page(self) -> str:
        return f"/evaluation/units/{self.unit}"


def proposal_form(name: str, action: str = "submit") -> dict:
    """The proposal form filled in completely: new infrastructure, 2.5亿元 over 2027–2028 (needs assessment)."""
    return {
        "name": name, "year": "2027", "category": "infra", "is_new": "new", "start_year": "2027",
        "end_year": "2028", "fund_years-0-year": "2027", "fund_years-0-amount": "10000",
        "fund_years-1-year": "2028", "fund_years-1-amount": "15000", "sources-general": "15000",
        "sources-bond": "10000", "basis_text": "依据《杭州市综合交通规划》", "plan_text": "分三阶段实施",
        "budget_text": "按定额测算", "targets-0-level1": "产出指标", "targets-0-level2": "数量指标",
        "targets-0-name": "新建道路里程", "targets-0-comparator": "≥", "targets-0-value": "12.5",
        "targets-0-unit": "公里", "targets-0-basis": "可研批复", "action": action,
    }


# --- proposals ------------------------------------------------------------------------------------------
def draft(h: Harness, department: str = DIRECT, action: str = "save") -> Case:
    name = f"并发测试项目{next(_serial)}-{uuid.uuid4().hex[:6]}"
    reply = h.step(department, "/proposals/new", proposal_form(name, action))
    found = re.fullmatch(r"/proposals/(\d+)", reply.location.split("?")[0].replace(h.server.base, ""))
    if not found:
        raise SetupError(f"no proposal page after saving: {reply.location} {reply.summary()}")
    return Case(proposal=int(found.group(1)), name=name, department=department)


def submitted(h: Harness, department: str = DIRECT) -> Case:
    return draft(h, department, action="submit")


def at_materials(h: Harness, department: str = DIRECT) -> Case:
    case = submitted(h, department)
    h.step(FINANCE, f"{case.page}/act/accept")
    h.step(FINANCE, f"{case.page}/assessor", {"kind": "finance"})  # the assessor of record (art. 2)
    return case


def material_ids(h: Harness, case: Case) -> list[int]:
    return [int(i) for i in re.findall(r'name="status-(\d+)"', h.page(FINANCE, f"{case.page}/materials"))]


def required_material(h: Harness, case: Case) -> int:
    return h.value("SELECT MIN(id) FROM material_item WHERE proposal_id = :p AND required", p=case.proposal)


def received_form(h: Harness, case: Case) -> dict:
    """The materials form marking every item 已收 as one stored file of the proposal (已收 needs a file)."""
    import uuid

    key = uuid.uuid4().hex
    h.execute("INSERT INTO attachment (proposal_id, filename, storage_key, size, sha256, uploaded_by_id, uploaded_at) "
              "SELECT :p, '申报材料.pdf', :k, 1, :s, created_by_id, CURRENT_TIMESTAMP FROM proposal WHERE id = :p",
              p=case.proposal, k=key, s="0" * 64)
    file = h.value("SELECT id FROM attachment WHERE storage_key = :k", k=key)
    ids = material_ids(h, case)
    return {f"status-{i}": "received" for i in ids} | {f"file-{i}": str(file) for i in ids}


def materials_received(h: Harness, department: str = DIRECT) -> Case:
    case = at_materials(h, department)
    h.step(FINANCE, f"{case.page}/materials", received_form(h, case))
    return case


def at_self_assessment(h: Harness, department: str = DIRECT) -> Case:
    case = materials_received(h, department)
    h.step(FINANCE, f"{case.page}/act/materials_complete")
    return case


def field_names(h: Harness, kind: str, pattern: re.Pattern, username: str, path: str) -> list[str]:
    """The names of a form's fields, read from its page once (every infrastructure project has the same)."""
    if kind not in h.memo:
        h.memo[kind] = pattern.findall(h.page(username, path))
    return h.memo[kind]


def self_assessment_form(h: Harness, case: Case, action: str) -> dict:
    names = field_names(h, "self-assessment fields", SELF_FIELD, case.department, f"{case.page}/self-assessment")
    return {n: "9" if n.startswith("score-") else "已按要求填写" for n in names} | {"action": action}


def self_assessed(h: Harness, department: str = DIRECT) -> Case:
    case = at_self_assessment(h, department)
    h.step(department, f"{case.page}/self-assessment", self_assessment_form(h, case, "submit"))
    return case


def at_finance_review(h: Harness) -> Case:
    return self_assessed(h, DIRECT)


def at_authority_review(h: Harness) -> Case:
    return self_assessed(h, UNDER_AUTHORITY)


def at_finance_review_under_authority(h: Harness) -> Case:
    case = at_authority_review(h)
    h.step(AUTHORITY, f"{case.page}/act/authority_approve")
    return case


def with_panel(h: Harness, department: str = DIRECT) -> Case:
    case = at_finance_review(h) if department == DIRECT else at_finance_review_under_authority(h)
    h.step(ADMIN, f"{case.page}/assessment/panel", {"user_id": [str(h.user_id(e)) for e in EXPERTS],
                                                    "reason": PANEL_REASON})
    case.members = dict(h.rows(
        "SELECT u.username, m.id FROM panel_member m JOIN user_account u ON u.id = m.user_id "
        "JOIN assessment a ON a.id = m.assessment_id WHERE a.proposal_id = :p AND a.status = 'open'",
        p=case.proposal))
    return case


def fresh_experts(h: Harness, count: int = 3, specialty: str = "law") -> None:
    """Add experts to the pool through the admin's pages (new accounts, then their pool records), so that
    repeated draws never run the pool dry against its yearly load limit."""
    for _ in range(count):
        username = f"cexp{next(_serial)}{uuid.uuid4().hex[:4]}"
        h.step(ADMIN, "/admin/users/new", {"username": username, "display_name": f"并发专家{username[-4:]}",
                                            "role": "expert", "department_id": "0", "password": PASSWORD,
                                            "active": "y"})
        h.step(ADMIN, "/admin/experts/new", {"user_id": str(h.user_id(username)), "name": f"并发专家{username[-4:]}",
                                              "organisation": "某高校", "title": "教授", "specialties": [specialty],
                                              "active": "y"})


def drawn(h: Harness) -> Case:
    """In finance review with a panel of two drawn from the pool (specialty law, fresh experts added first)."""
    case = at_finance_review(h)
    fresh_experts(h)
    h.step(ADMIN, f"{case.page}/assessment/draw", {"specialty": "law", "size": "2"})
    case.members = dict(h.rows(
        "SELECT u.username, m.id FROM panel_member m JOIN user_account u ON u.id = m.user_id "
        "JOIN assessment a ON a.id = m.assessment_id WHERE a.proposal_id = :p AND a.status = 'open'",
        p=case.proposal))
    if len(case.members) != 2:
        raise SetupError(f"the draw seated {len(case.members)} reviewers, not 2")
    return case


def declared(h: Harness, department: str = DIRECT) -> Case:
    case = with_panel(h, department)
    for expert in EXPERTS:
        h.step(expert, f"/reviews/{case.members[expert]}", {"step": "declare", "agree": "yes"})
    return case


def score_form(h: Harness, case: Case, expert: str, each: str) -> dict:
    names = field_names(h, "score sheet fields", SCORE_FIELD, expert, f"/reviews/{case.members[expert]}")
    return {n: each if n.startswith("score-") else "依据充分" for n in names} | {"opinion": "同意", "step": "submit"}


def scored(h: Harness, each: str = "9.3", department: str = DIRECT) -> Case:
    case = declared(h, department)
    for expert in EXPERTS:
        h.step(expert, f"/reviews/{case.members[expert]}", score_form(h, case, expert, each))
    return case


CONCLUSION = {"opinion": "总体可行", "problems": "测算偏粗", "suggestions": "细化预算"}


def concluded(h: Harness, each: str = "9.3", department: str = DIRECT) -> Case:
    """Concluded 予以支持 (each indicator 9.3), or 调整完善后予以支持 with each="8"."""
    case = scored(h, each, department)
    h.step(ADMIN, f"{case.page}/assessment/conclude", CONCLUSION)
    return case


def revising(h: Harness) -> Case:
    case = concluded(h, "8")
    h.step(DIRECT, f"{case.page}/act/start_revision")
    return case


def revised(h: Harness) -> Case:
    """Revising, the proposal changed: ready for its point-by-point answer."""
    case = revising(h)
    h.step(DIRECT, f"{case.page}/edit", proposal_form(case.name) | {"budget_text": "按定额测算，附分项测算表"})
    return case


ANSWERS = {"change-0": "补充分项测算", "where-0": "预算测算依据", "change-1": "细化预算", "where-1": "预算测算依据",
           "explanation": "按评估意见细化预算测算"}


def adjusted(h: Harness) -> Case:
    case = revised(h)
    h.step(DIRECT, f"{case.page}/adjustment", ANSWERS)
    return case


def in_report_review(h: Harness) -> Case:
    """交通运输局 has no sector authority: its report goes to finance alone."""
    case = concluded(h)
    h.step(DIRECT, f"{case.page}/act/send_review_finance")
    return case


def in_both_reviews(h: Harness) -> Case:
    """市一医院's report goes to its sector authority (卫健委) and to finance."""
    case = concluded(h, department=UNDER_AUTHORITY)
    h.step(UNDER_AUTHORITY, f"{case.page}/act/send_review")
    return case


def correcting(h: Harness) -> Case:
    case = in_report_review(h)
    h.step(FINANCE, f"{case.page}/act/finance_return", {"reason": "金额口径不一致"})
    return case


def reviewed(h: Harness) -> Case:
    case = in_report_review(h)
    h.step(FINANCE, f"{case.page}/act/finance_pass", {"reason": "同意"})
    return case


def meeting_form(case: Case) -> dict:
    return {"kind": "executive", "title": f"{case.name}专题会议", "proposal_id": str(case.proposal), "order": "score"}


def at_meeting(h: Harness) -> Case:
    case = reviewed(h)
    h.step(ADMIN, "/meetings/", meeting_form(case))
    case.item = h.value("SELECT id FROM meeting_item WHERE proposal_id = :p AND decision IS NULL", p=case.proposal)
    return case


# the meeting's 通过: every year of proposal_form's request, 2028 cut by 1000万元 with its reason
APPROVED_YEARS = {"approved-2027": "10000", "approved-2028": "1.4亿元", "cut_reason": "2028年征迁费按评估意见核减"}


def approved_at_meeting(h: Harness) -> Case:
    case = at_meeting(h)
    h.step(ADMIN, f"/meetings/items/{case.item}/decide", {"decision": "approved", **APPROVED_YEARS})
    return case


# --- departmental evaluation ----------------------------------------------------------------------------
def free_year(h: Harness) -> int:
    """A year nobody has opened or reserved (setups run in twos; the form takes 1900–2199)."""
    with h.lock:
        taken = {y for (y,) in h.rows("SELECT year FROM evaluation_year")} | h.memo.setdefault("years", set())
        year = next(y for y in (*range(2030, 2200), *range(1900, 2030)) if y not in taken)
        h.memo["years"].add(year)
        return year


def unit_of(h: Harness, year: int, username: str) -> int:
    return h.value("SELECT u.id FROM evaluation_unit u JOIN evaluation_year y ON y.id = u.year_id "
                   "JOIN user_account a ON a.department_id = u.department_id WHERE y.year = :y AND a.username = :n",
                   y=year, n=username)


def open_year(h: Harness) -> Case:
    year = free_year(h)
    h.step(OFFICE, "/evaluation/", {"year": str(year), "scheme": "hangzhou"})
    return Case(year=year, unit=unit_of(h, year, DIRECT))


def published(h: Harness) -> Case:
    case = open_year(h)
    h.step(OFFICE, f"/evaluation/{case.year}/publish", {"missing-all": "并发测试：数据未录入"})
    return case


def withdrawn(h: Harness) -> Case:
    case = published(h)
    h.step(OFFICE, f"/evaluation/{case.year}/publish", {"step": "withdraw", "reason": "并发测试：目标数据漏录"})
    return case


def with_appeal(h: Harness) -> Case:
    case = published(h)
    h.step(DIRECT, case.unit_page, {"step": "appeal", "reason": "满意度样本中本部门服务对象偏少"})
    case.appeal = h.value("SELECT id FROM eval_appeal WHERE unit_id = :u AND status = 'filed'", u=case.unit)
    return case


def work_unit(h: Harness) -> Case:
    """A unit of one open year shared by the innovation and rectification races (each adds its own item)."""
    with h.lock:
        if "work_year" not in h.memo:
            h.memo["work_year"] = free_year(h)
            h.step(OFFICE, "/evaluation/", {"year": str(h.memo["work_year"]), "scheme": "hangzhou"})
    year = h.memo["work_year"]
    return Case(year=year, unit=unit_of(h, year, DIRECT))


def declared_innovation(h: Harness) -> Case:
    case = work_unit(h)
    title = f"创新项目{next(_serial)}"
    h.step(DIRECT, case.unit_page, {"step": "innovation", "title": title, "claimed": "2"})
    case.innovation = h.value("SELECT id FROM eval_innovation WHERE unit_id = :u AND title = :t", u=case.unit, t=title)
    return case


def verified_innovation(h: Harness) -> Case:
    case = declared_innovation(h)
    h.step(OFFICE, case.unit_page, {"step": "verify", "id": str(case.innovation), "verified": "1.5", "note": "核验"})
    return case


def open_rectification(h: Harness) -> Case:
    case = work_unit(h)
    topic = f"整改事项{next(_serial)}"
    h.step(DIRECT, case.unit_page, {"step": "rectification", "topic": topic, "response": "已研究",
                                    "measures": "增设窗口", "deadline": "2027-06-30"})
    case.rectification = h.value("SELECT id FROM eval_rectification WHERE unit_id = :u AND topic = :t",
                                 u=case.unit, t=topic)
    return case


def done_rectification(h: Harness) -> Case:
    case = open_rectification(h)
    h.step(DIRECT, case.unit_page, {"step": "commitment", "action": "report_done", "id": str(case.rectification)})
    return case


def verified_rectification(h: Harness) -> Case:
    case = done_rectification(h)
    h.step(OFFICE, case.unit_page, {"step": "commitment", "action": "verify", "id": str(case.rectification)})
    return case
