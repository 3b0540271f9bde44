"""Every state-changing action, as a race: how to prepare the record and what each parallel post sends.

Kinds of race:
- ONE: one post wins, every other gets a Chinese refusal; N posts leave exactly what one post leaves.
- SAME: a form save; any number may report success, but N posts leave exactly what one post leaves.
- NONE: the action is not allowed in this state; every post is refused and nothing changes.
- MIXED: two different actions meet; only the whole-database invariants and the replies are judged.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Callable

from tests.concurrency import stages as st
from tests.concurrency.harness import Harness
from tests.concurrency.stages import ADMIN, AUTHORITY, DIRECT, EXPERTS, FINANCE, OFFICE, Case

SERIAL = itertools.count(1)  # distinct titles for twins that share one record
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


def unit_department(h: Harness, c: Case) -> dict:
    return {"lead": str(h.value("SELECT department_id FROM evaluation_unit WHERE id = :u", u=c.unit))}


def supervise_shot(c: Case, i: int) -> Shot:
    """Every post the same 督办 item (year and title): the database keeps one (issue 25: 8 posts made 4 to 8)."""
    return OFFICE, f"/evaluation/{c.year}/supervision", {"title": "主城区早高峰拥堵治理", "hot_word": "",
                                                         "lead": c.form["lead"], "check_date": f"{c.year}-11-30"}


def conclude_or_reopen(c: Case, i: int) -> Shot:
    if i % 2:
        return ADMIN, f"/proposals/reviews/{c.members[EXPERTS[0]]}/reopen", {"reason": "评分依据需补充"}
    return ADMIN, f"{c.page}/assessment/conclude", st.CONCLUSION


def one_draw(h: Harness, c: Case) -> list[str]:
    """However many admins drew at once, the round has one draw and the two experts it chose."""
    draws = h.value("SELECT COUNT(*) FROM panel_draw d JOIN assessment a ON a.id = d.assessment_id "
                    "WHERE a.proposal_id = :p AND d.kind = 'draw'", p=c.proposal)
    seats = h.value("SELECT COUNT(*) FROM panel_member m JOIN assessment a ON a.id = m.assessment_id "
                    "WHERE a.proposal_id = :p", p=c.proposal)
    return [] if (draws, seats) == (1, 2) else [f"{draws} draws and {seats} seats, should be 1 draw of 2"]


def one_replacement(h: Harness, c: Case) -> list[str]:
    """However many admins replaced the same reviewer at once, one replacement was drawn."""
    member = next(iter(c.members.values()))
    replacements = h.value("SELECT COUNT(*) FROM panel_draw WHERE replaced_member_id = :m", m=member)
    seats = h.value("SELECT COUNT(*) FROM panel_member m JOIN assessment a ON a.id = m.assessment_id "
                    "WHERE a.proposal_id = :p", p=c.proposal)
    return [] if (replacements, seats) == (1, 3) else [
        f"{replacements} replacements and {seats} seats, should be 1 replacement and 3 seats"]


def signed_once(h: Harness, c: Case) -> list[str]:
    member = next(iter(c.members.values()))
    text = h.value("SELECT pledge_text FROM panel_member WHERE id = :m", m=member)
    return [] if text else ["the signed sheet carries no pledge text"]


def draw_or_replace(c: Case, i: int) -> Shot:
    member = next(iter(c.members.values()))
    if i % 2:
        return ADMIN, f"/proposals/reviews/{member}/replace", {"reason": "时间冲突无法参加"}
    return ADMIN, f"{c.page}/assessment/draw", {"specialty": "law", "size": "2"}


def every_sheet_counted(h: Harness, c: Case) -> list[str]:
    """Reviewers submitting at once: the round's stored counts show every sheet in (none still out)."""
    counts = h.rows("SELECT seats_seated, seats_waiting, seats_submitted FROM assessment WHERE proposal_id = :p "
                    "AND status = 'open'", p=c.proposal)
    expected = [(len(EXPERTS), 0, len(EXPERTS))]
    return [] if [tuple(r) for r in counts] == expected else [f"the round's seat counts are {counts}, not {expected}"]


def each_submits(c: Case, i: int) -> Shot:
    """Every reviewer of the panel submits their own sheet at once (and again: the repeats are refused)."""
    expert = EXPERTS[i % len(EXPERTS)]
    return expert, f"/reviews/{c.members[expert]}", c.form[expert]


SCENARIOS = [
    Scenario("panel_draw", lambda h: st.fresh_experts(h) or st.at_finance_review(h),
             lambda c, i: (ADMIN, f"{c.page}/assessment/draw", {"specialty": "law", "size": "2"}), check=one_draw),
    Scenario("panel_replace", st.drawn, lambda c, i: (
        ADMIN, f"/proposals/reviews/{next(iter(c.members.values()))}/replace", {"reason": "时间冲突无法参加"}),
        check=one_replacement),
    Scenario("panel_draw_vs_replace", st.drawn, draw_or_replace, kind=MIXED),
    Scenario("pledge_sign", st.drawn, lambda c, i: (
        next(iter(c.members)), f"/reviews/{next(iter(c.members.values()))}", {"step": "declare", "agree": "yes"}),
        check=signed_once),
    Scenario("submit", st.draft, lambda c, i: (DIRECT, f"{c.page}/edit", st.proposal_form(c.name))),
    Scenario("accept", st.submitted, act(FINANCE, "accept")),
    Scenario("return_submission", st.submitted, act(ADMIN, "return_submission", reason="缺少可行性研究报告")),
    Scenario("materials_check", with_form(st.at_materials, st.received_form),
        lambda c, i: (FINANCE, f"{c.page}/materials", c.form), kind=SAME),
    Scenario("materials_waive", with_form(st.at_materials, lambda h, c: {"item": st.required_material(h, c)}),
             lambda c, i: (ADMIN, f"{c.page}/materials/{c.form['item']}/waive", {"reason": "原件已在档"})),
    Scenario("materials_complete", st.materials_received, act(FINANCE, "materials_complete")),
    Scenario("materials_check_vs_complete", with_form(st.materials_received, lambda h, c: {
        "required": st.required_material(h, c)}), save_or_complete, kind=MIXED),
    Scenario("self_assessment_save", with_form(st.at_self_assessment, lambda h, c: st.self_assessment_form(
        h, c, "save")), lambda c, i: (c.department, f"{c.page}/self-assessment", c.form), kind=SAME),
    Scenario("self_assessment_submit", with_form(st.at_self_assessment, lambda h, c: st.self_assessment_form(
        h, c, "submit")), lambda c, i: (c.department, f"{c.page}/self-assessment", c.form)),
    Scenario("authority_approve", st.at_authority_review, act(AUTHORITY, "authority_approve")),
    Scenario("authority_return", st.at_authority_review, act(AUTHORITY, "authority_return", reason="自评依据不足")),
    Scenario("panel_assign", with_form(st.at_finance_review, lambda h, c: {
        "user_id": [str(h.user_id(e)) for e in EXPERTS], "reason": st.PANEL_REASON}),
        lambda c, i: (ADMIN, f"{c.page}/assessment/panel", c.form), kind=SAME),
    Scenario("conflict_declaration", st.with_panel,
             lambda c, i: (EXPERTS[0], f"/reviews/{c.members[EXPERTS[0]]}", {"step": "declare", "agree": "yes"})),
    Scenario("conflict_decline", st.with_panel, lambda c, i: (
        EXPERTS[0], f"/reviews/{c.members[EXPERTS[0]]}", {"step": "decline", "reason": "曾参与该项目前期咨询"})),
    # 投入经济性 (issue 26): a finding recorded twice at once is one finding (the round's one per method)
    Scenario("economy_finding", st.declared, lambda c, i: (
        EXPERTS[0], f"/reviews/{c.members[EXPERTS[0]]}/economy",
        {"step": "cost_benefit", "costs": "100", "benefits": "0, 60, 60"}), kind=SAME),
    Scenario("score_submit", with_form(st.declared, lambda h, c: st.score_form(h, c, EXPERTS[0], "8")),
             score_shot, check=one_score_per_sheet),
    # the panel's sheets submitted together (issue 22): the round's stored seat counts (the 工作台's 待出结论) see them all
    Scenario("sheets_submit_together", with_form(st.declared, lambda h, c: {
        e: st.score_form(h, c, e, "8") for e in EXPERTS}), each_submits, kind=MIXED, check=every_sheet_counted),
    Scenario("reopen", st.scored, lambda c, i: (ADMIN, f"/proposals/reviews/{c.members[EXPERTS[0]]}/reopen",
                                                 {"reason": "评分依据需补充"})),
    Scenario("conclude", st.scored, lambda c, i: (ADMIN, f"{c.page}/assessment/conclude", st.CONCLUSION)),
    Scenario("conclude_vs_reopen", st.scored, conclude_or_reopen, kind=MIXED),
    Scenario("start_revision", lambda h: st.concluded(h, "8"), act(DIRECT, "start_revision")),
    Scenario("revise_save", st.revising, lambda c, i: (DIRECT, f"{c.page}/edit", st.proposal_form(c.name)),
             kind=SAME, audited=False),
    Scenario("resubmit", st.revised, lambda c, i: (DIRECT, f"{c.page}/adjustment", st.ANSWERS)),
    Scenario("assessor_designate", st.submitted, lambda c, i: (FINANCE, f"{c.page}/assessor", {"kind": "department"}),
             kind=SAME),
    Scenario("confirm_adjustment", st.adjusted, act(FINANCE, "confirm_adjustment", reason="已按意见调整")),
    Scenario("return_adjustment", st.adjusted, act(FINANCE, "return_adjustment", reason="回应不充分")),
    Scenario("adjustment_new_round", st.adjusted, act(ADMIN, "adjustment_new_round", reason="方案变化较大")),
    Scenario("confirm_vs_new_round", st.adjusted, lambda c, i: (
        (FINANCE, f"{c.page}/act/confirm_adjustment", {"reason": "同意"}) if i % 2 else
        (ADMIN, f"{c.page}/act/adjustment_new_round", {"reason": "变化较大"})), kind=MIXED),
    Scenario("send_review_finance", st.concluded, act(DIRECT, "send_review_finance")),
    Scenario("send_review", lambda h: st.concluded(h, department=st.UNDER_AUTHORITY),
             act(st.UNDER_AUTHORITY, "send_review")),
    Scenario("finance_pass", st.in_report_review, act(FINANCE, "finance_pass", reason="同意")),
    Scenario("finance_return", st.in_report_review, act(FINANCE, "finance_return", reason="口径不一致")),
    Scenario("sector_pass", st.in_both_reviews, act(AUTHORITY, "sector_pass", reason="符合行业规划")),
    Scenario("sector_return", st.in_both_reviews, act(AUTHORITY, "sector_return", reason="绩效目标偏低")),
    Scenario("sector_vs_finance_pass", st.in_both_reviews, lambda c, i: (
        (AUTHORITY, f"{c.page}/act/sector_pass", {"reason": "同意"}) if i % 2 else
        (FINANCE, f"{c.page}/act/finance_pass", {"reason": "同意"})), kind=MIXED),
    Scenario("sector_pass_vs_finance_return", st.in_both_reviews, lambda c, i: (
        (AUTHORITY, f"{c.page}/act/sector_pass", {"reason": "同意"}) if i % 2 else
        (FINANCE, f"{c.page}/act/finance_return", {"reason": "口径不一致"})), kind=MIXED),
    Scenario("resend_review", st.correcting, act(DIRECT, "resend_review", reason="已统一口径")),
    Scenario("meeting_add", st.reviewed, lambda c, i: (ADMIN, "/meetings/", st.meeting_form(c))),
    Scenario("decide", st.at_meeting, decide_shot, check=one_post_per_decision),
    Scenario("decide_different", st.at_meeting, decide_different, kind=MIXED),
    Scenario("decide_double_click", st.at_meeting, decide_twice),
    Scenario("project_library", st.approved_at_meeting,
             lambda c, i: (ADMIN, f"/meetings/items/{c.item}/library", {"library_date": "2027-02-01"})),
    Scenario("evaluation_open_year", lambda h: Case(year=st.free_year(h)),
             lambda c, i: (OFFICE, "/evaluation/", {"year": str(c.year), "scheme": "hangzhou"})),
    Scenario("evaluation_publish", st.open_year, lambda c, i: (OFFICE, f"/evaluation/{c.year}/publish", {"missing-all": "并发测试：数据未录入"})),
    # 撤回 and 更正 (issue 21): two offices withdrawing, or correcting, one year at once; one wins
    Scenario("evaluation_withdraw", st.published,
             lambda c, i: (OFFICE, f"/evaluation/{c.year}/publish", {"step": "withdraw", "reason": "目标数据漏录"})),
    Scenario("evaluation_correct", st.withdrawn, lambda c, i: (OFFICE, f"/evaluation/{c.year}/publish", {
        "missing-all": "并发测试：数据未录入", "correction": "补录目标数据"})),
    Scenario("withdraw_vs_appeal_decision", st.with_appeal, lambda c, i: (
        (OFFICE, f"/evaluation/{c.year}/publish", {"step": "withdraw", "reason": "目标数据漏录"}) if i % 2 else
        (OFFICE, c.unit_page, {"step": "decide", "id": str(c.appeal), "upheld": "yes", "change": "1.5",
                               "decision": "样本偏少属实，酌情加分"})), kind=MIXED),
    Scenario("supervision_add", with_form(st.open_year, unit_department), supervise_shot),
    # 「重新计算」 the year's hot words (issue 22): one job queued (the harness runs no worker), every other post told
    # it is already being computed
    Scenario("hotwords_recompute", st.open_year, lambda c, i: (OFFICE, f"/evaluation/{c.year}/hotwords/recompute", {})),
    Scenario("leader_score", st.open_year, on_unit(OFFICE, "leader", leader="市长", score="90"), kind=SAME),
    Scenario("rectification_commit", with_form(st.work_unit, lambda h, c: {"topic": f"地铁早高峰拥挤{next(SERIAL)}"}),
             lambda c, i: (DIRECT, c.unit_page, {"step": "rectification", "topic": c.form["topic"], "response": "已研究",
                                                  "measures": "增开高峰班次", "public": "yes"})),
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
