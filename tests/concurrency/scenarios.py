"""Every state-changing action, as a race: how to prepare the record and what each parallel post sends.

Kinds of race:
- ONE: one post wins, every other gets a Chinese refusal; N posts leave exactly what one post leaves.
- SAME: a form save; any number may report success, but N posts leave exactly what one post leaves.
- NONE: the action is not allowed in this state; every post is refused and nothing changes.
- MIXED: two different actions meet; only the whole-database invariants and the replies are judged.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from tests.concurrency import stages as st
from tests.concurrency.harness import Harness
from tests.concurrency.stages import ADMIN, AUTHORITY, DIRECT, EXPERTS, FINANCE, OFFICE, Case

ONE, SAME, NONE, MIXED = "one winner", "same as one post", "none allowed", "mixed"
Shot = tuple[str, str, dict]  # who posts, where, what


@dataclass(frozen=True)
class Scenario:
    name: str
    setup: Callable[[Harness], Case]
    shot: Callable[[Case, int], Shot]  # the i-th parallel post
    kind: str = ONE
    audited: bool = True  # a real change must leave an audit line
    check: Callable[[Harness, Case], list[str]] | None = None  # what else must hold afterwards

    def __str__(self) -> str:
        return self.name


def act(user: str, action: str, **form) -> Callable[[Case, int], Shot]:
    return lambda c, i: (user, f"{c.page}/act/{action}", form)


def on_unit(user: str, step: str, key: str = "", **form) -> Callable[[Case, int], Shot]:
    return lambda c, i: (user, c.unit_page, {"step": step, **({"id": str(getattr(c, key))} if key else {}), **form})


def with_form(stage: Callable[[Harness], Case], make: Callable[[Harness, Case], dict]) -> Callable[[Harness], Case]:
    """A stage whose case also carries a form read from the page (field names come from the app)."""
    def setup(h: Harness) -> Case:
        case = stage(h)
        case.form = make(h, case)
        return case
    return setup


def field_equals(table: str, column: str, key: str, expected) -> Callable[[Harness, Case], list[str]]:
    def check(h: Harness, c: Case) -> list[str]:
        value = h.value(f"SELECT {column} FROM {table} WHERE id = :i", i=getattr(c, key))
        return [] if str(value) == str(expected) else [f"{table}.{column} is {value}, should have stayed {expected}"]
    return check


def one_score_per_sheet(h: Harness, c: Case) -> list[str]:
    """The stored sheet is one post's sheet, not indicators taken from several."""
    values = h.rows("SELECT DISTINCT score FROM panel_score WHERE member_id = :m", m=c.members[EXPERTS[0]])
    return [] if len(values) <= 1 else [f"the stored sheet mixes {len(values)} posts' scores"]


def score_shot(c: Case, i: int) -> Shot:
    """Each post a whole sheet of one value (8.1, 8.2, …), so a torn write shows."""
    value = f"8.{i % 9 + 1}"
    form = {k: value if k.startswith("score-") else v for k, v in c.form.items()}
    return EXPERTS[0], f"/reviews/{c.members[EXPERTS[0]]}", form


def decide_shot(c: Case, i: int) -> Shot:
    """Admins record 通过 at once, each with its own 2027 amount (a cut with its reason), so a torn write shows."""
    amounts = {**st.APPROVED_YEARS, "approved-2027": str(9000 + i)}
    return ADMIN, f"/meetings/items/{c.item}/decide", {"decision": "approved", **amounts, "note": f"会议意见{i}"}


def decide_different(c: Case, i: int) -> Shot:
    """Two admins record different decisions at once (通过 with per-year amounts and a 核减, 暂缓, 不通过)."""
    decision = ("approved", "deferred", "rejected")[i % 3]
    amounts = st.APPROVED_YEARS if decision == "approved" else {}
    return ADMIN, f"/meetings/items/{c.item}/decide", {"decision": decision, **amounts, "note": "会议意见"}


def one_post_per_decision(h: Harness, c: Case) -> list[str]:
    """The stored years and the note come from one post, not from several."""
    note = h.value("SELECT decision_note FROM meeting_item WHERE id = :i", i=c.item)
    amount = h.value("SELECT approved_wan FROM meeting_item_year WHERE item_id = :i AND year = 2027", i=c.item)
    # Wan columns store 分 of 万元 as integers: 9000.00万元 is 900000
    return [] if note == f"会议意见{int(amount) // 100 - 9000}" else [f"note {note!r} beside a 2027 amount of {amount}"]


def decide_twice(c: Case, i: int) -> Shot:
    """A double click on 记录会议决策: the same 通过 with its cut and reason, posted again and again."""
    return ADMIN, f"/meetings/items/{c.item}/decide", {"decision": "approved", **st.APPROVED_YEARS}


def save_or_complete(c: Case, i: int) -> Shot:
    if i % 2:
        return FINANCE, f"{c.page}/act/materials_complete", {}
    return FINANCE, f"{c.page}/materials", {f"status-{c.form['required']}": "missing"}


def conclude_or_reopen(c: Case, i: int) -> Shot:
    if i % 2:
        return ADMIN, f"/proposals/reviews/{c.members[EXPERTS[0]]}/reopen", {"reason": "评分依据需补充"}
    return ADMIN, f"{c.page}/assessment/conclude", st.CONCLUSION


SCENARIOS = [
    Scenario("submit", st.draft, lambda c, i: (DIRECT, f"{c.page}/edit", st.proposal_form(c.name))),
    Scenario("accept", st.submitted, act(FINANCE, "accept")),
    Scenario("materials_check", with_form(st.at_materials, lambda h, c: {
        f"status-{m}": "received" for m in st.material_ids(h, c)}),
        lambda c, i: (FINANCE, f"{c.page}/materials", c.form), kind=SAME),
    Scenario("materials_waive", with_form(st.at_materials, lambda h, c: {"item": st.required_material(h, c)}),
             lambda c, i: (ADMIN, f"{c.page}/materials/{c.form['item']}/waive", {"reason": "原件已在档"})),
    Scenario("materials_complete", st.materials_received, act(FINANCE, "materials_complete")),
    Scenario("materials_check_vs_complete", with_form(st.materials_received, lambda h, c: {
        "required": st.required_material(h, c)}), save_or_complete, kind=MIXED),
    Scenario("self_assessment_save", with_form(st.at_self_assessment, lambda h, c: st.self_assessment_form(
        h, c, "save")), lambda c, i: (c.department, f"{c.page}/self-assessment", c.form), kind=SAME, audited=False),
    Scenario("self_assessment_submit", with_form(st.at_self_assessment, lambda h, c: st.self_assessment_form(
        h, c, "submit")), lambda c, i: (c.department, f"{c.page}/self-assessment", c.form)),
    Scenario("authority_approve", st.at_authority_review, act(AUTHORITY, "authority_approve")),
    Scenario("authority_return", st.at_authority_review, act(AUTHORITY, "authority_return", reason="自评依据不足")),
    Scenario("panel_assign", with_form(st.at_finance_review, lambda h, c: {
        "user_id": [str(h.user_id(e)) for e in EXPERTS]}),
        lambda c, i: (ADMIN, f"{c.page}/assessment/panel", c.form), kind=SAME),
    Scenario("conflict_declaration", st.with_panel,
             lambda c, i: (EXPERTS[0], f"/reviews/{c.members[EXPERTS[0]]}", {"step": "declare"})),
    Scenario("conflict_decline", st.with_panel, lambda c, i: (
        EXPERTS[0], f"/reviews/{c.members[EXPERTS[0]]}", {"step": "decline", "reason": "曾参与该项目前期咨询"})),
    Scenario("score_submit", with_form(st.declared, lambda h, c: st.score_form(h, c, EXPERTS[0], "8")),
             score_shot, check=one_score_per_sheet),
    Scenario("reopen", st.scored, lambda c, i: (ADMIN, f"/proposals/reviews/{c.members[EXPERTS[0]]}/reopen",
                                                 {"reason": "评分依据需补充"})),
    Scenario("conclude", st.scored, lambda c, i: (ADMIN, f"{c.page}/assessment/conclude", st.CONCLUSION)),
    Scenario("conclude_vs_reopen", st.scored, conclude_or_reopen, kind=MIXED),
    Scenario("start_revision", lambda h: st.concluded(h, "8"), act(DIRECT, "start_revision")),
    Scenario("resubmit", st.revising, lambda c, i: (DIRECT, f"{c.page}/edit", st.proposal_form(c.name))),
    Scenario("meeting_add", st.concluded, lambda c, i: (ADMIN, "/meetings/", st.meeting_form(c))),
    Scenario("decide", st.at_meeting, decide_shot, check=one_post_per_decision),
    Scenario("decide_different", st.at_meeting, decide_different, kind=MIXED),
    Scenario("decide_double_click", st.at_meeting, decide_twice),
    Scenario("project_library", st.approved_at_meeting,
             lambda c, i: (ADMIN, f"/meetings/items/{c.item}/library", {"library_date": "2027-02-01"})),
    Scenario("evaluation_open_year", lambda h: Case(year=st.free_year(h)),
             lambda c, i: (OFFICE, "/evaluation/", {"year": str(c.year), "scheme": "hangzhou"})),
    Scenario("evaluation_publish", st.open_year, lambda c, i: (OFFICE, f"/evaluation/{c.year}/publish", {})),
    Scenario("appeal", st.published, on_unit(DIRECT, "appeal", reason="满意度样本中本部门服务对象偏少")),
    Scenario("appeal_decision", st.with_appeal,
             on_unit(OFFICE, "decide", "appeal", upheld="yes", change="1.5", decision="样本偏少属实，酌情加分")),
    Scenario("innovation_verify", st.declared_innovation,
             on_unit(OFFICE, "verify", "innovation", verified="1.5", note="专家核验")),
    Scenario("innovation_verify_again", st.verified_innovation,
             on_unit(OFFICE, "verify", "innovation", verified="1.8", note="再次核验"), kind=NONE,
             check=field_equals("eval_innovation", "verified", "innovation", 150)),
    Scenario("rectification_done", st.open_rectification,
             on_unit(DIRECT, "commitment", "rectification", action="report_done")),
    Scenario("rectification_verify", st.done_rectification,
             on_unit(OFFICE, "commitment", "rectification", action="verify")),
    Scenario("rectification_verify_while_open", st.open_rectification,
             on_unit(OFFICE, "commitment", "rectification", action="verify"), kind=NONE,
             check=field_equals("eval_rectification", "status", "rectification", "committed")),
    Scenario("rectification_done_after_verified", st.verified_rectification,
             on_unit(DIRECT, "commitment", "rectification", action="report_done"), kind=NONE,
             check=field_equals("eval_rectification", "status", "rectification", "verified")),
]
