"""Who may reach the evaluation pages, and which unit a user may see (enforced by platform.permissions.guard)."""
from __future__ import annotations

from budget_eval.platform.domain.roles import Role
from budget_eval.platform.permissions import Access, allow

OFFICE = Role.EVAL_OFFICE
DEPARTMENT = Role.DEPARTMENT
OFFICE_ONLY = allow(get=[OFFICE])
OFFICE_POSTS = allow(post=[OFFICE])
OFFICE_AND_UNIT = allow(get=[OFFICE, DEPARTMENT], post=[OFFICE, DEPARTMENT])  # the unit itself: may_see_unit

ROUTES: dict[str, Access] = {
    # a department opening the evaluation start page is sent on to its own units
    "evaluation.index": allow(get=[OFFICE, DEPARTMENT], post=[OFFICE]),
    "evaluation.mine": allow(get=[DEPARTMENT]),
    "evaluation.year": OFFICE_ONLY,
    "evaluation.survey": OFFICE_POSTS,
    "evaluation.template": OFFICE_ONLY,
    "evaluation.notice": OFFICE_ONLY,
    "evaluation.notice_job": OFFICE_POSTS,  # the 结果通报 in Word, as a background job
    "evaluation.publish": OFFICE_POSTS,
    "evaluation.leaders": OFFICE_POSTS,
    "evaluation.unit": OFFICE_AND_UNIT,
    "evaluation.evidence": allow(get=[OFFICE, DEPARTMENT]),
    "evaluation.comments": allow(get=[OFFICE, DEPARTMENT]),
    # a published year's hot words are also read by finance and the experts (the scoring page links to them)
    "feedback.hotwords": allow(get=[OFFICE, Role.REVIEWER, Role.ADMIN, Role.EXPERT]),
    "feedback.hotword_comments": OFFICE_ONLY,
    "feedback.hotwords_xlsx": OFFICE_ONLY,
    "feedback.issues": OFFICE_POSTS,
    "feedback.recompute": OFFICE_POSTS,  # 「重新计算」 the year's hot words (a background job)
    "feedback.confirm": allow(get=[OFFICE], post=[OFFICE]),
    "feedback.supervision": allow(get=[OFFICE], post=[OFFICE]),
    "feedback.report": OFFICE_ONLY,
}


def may_see_unit(user, unit) -> bool:
    """The office sees every unit; a department only its own (its results once published: see the unit page)."""
    role = Role(user.role)
    return role is OFFICE or (role is DEPARTMENT and unit.department_id == user.department_id)
