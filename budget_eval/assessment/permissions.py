"""Who may reach the assessment pages (enforced by platform.permissions.guard before any view code runs).

Which proposal a user may see is intake's policy (intake.permissions.can_view_proposal); what the blind review
hides is assessment.domain.visibility; which workflow step a user may take is the proposal lifecycle's
transition table (intake.domain.workflow) read through intake.actions.actors_for.
"""
from __future__ import annotations

from budget_eval.intake.permissions import SEES_PROPOSALS
from budget_eval.platform.domain.roles import FINANCE_ROLES, Role
from budget_eval.platform.permissions import Access, allow

ADMIN = Role.ADMIN
PANEL_ROLES = (Role.REVIEWER, Role.EXPERT)  # who may sit on an expert panel
ADMIN_POSTS = allow(post=[ADMIN])

ROUTES: dict[str, Access] = {
    "assessments.materials": allow(get=SEES_PROPOSALS, post=FINANCE_ROLES),
    "assessments.waive": ADMIN_POSTS,
    # the department, or the third-party agency it commissioned (the assessor of record)
    "assessments.self_assess": allow(get=SEES_PROPOSALS, post=[Role.DEPARTMENT, Role.THIRD_PARTY]),
    "assessments.assessor": allow(post=FINANCE_ROLES),
    "assessments.adjustment": allow(get=SEES_PROPOSALS, post=[Role.DEPARTMENT]),
    "assessments.panel": allow(get=[ADMIN]),
    "assessments.assign": ADMIN_POSTS,  # a manual addition, with its reason
    "assessments.draw": ADMIN_POSTS,
    "assessments.replace": ADMIN_POSTS,
    "experts.index": allow(get=[ADMIN]),
    "experts.edit": allow(get=[ADMIN], post=[ADMIN]),
    "assessments.conclude": ADMIN_POSTS,
    "assessments.records": ADMIN_POSTS,  # methods used and procedure steps, recorded by the panel's organiser
    "assessments.reopen": ADMIN_POSTS,
    "reviews.index": allow(get=PANEL_ROLES),
    "reviews.task": allow(get=PANEL_ROLES, post=PANEL_ROLES),  # own tasks only (review_views.own_task)
    "reviews.material_page": allow(get=PANEL_ROLES),  # own tasks only, after the pledge
    "reports.assessment_report": allow(get=SEES_PROPOSALS),
    "reports.opinion_sheet": allow(get=[*PANEL_ROLES, ADMIN]),  # own sheet, or the admin who files it
    "pipeline.index": allow(get=[ADMIN]),
    # 投入经济性 (issue 26): the unit-cost library and a reviewer's findings (own tasks only)
    "economy.library": allow(get=FINANCE_ROLES, post=FINANCE_ROLES),
    "economy.library_template": allow(get=FINANCE_ROLES),
    "economy.record": allow(post=PANEL_ROLES),
}
