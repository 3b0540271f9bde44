"""Who may reach the intake pages, and what a user may do with a proposal, enforced on the server."""
from __future__ import annotations

# who may see what is decided in one place; re-exported here for the views that import it from permissions
from budget_eval.intake.domain.visibility import (  # noqa: F401
    can_view_proposal,
    is_authority,
    is_cleared_panelist,
    is_commissioned_assessor,
    is_own_department,
    is_sector_authority,
)
from budget_eval.intake.domain.workflow import EDITABLE, Status
from budget_eval.platform.domain.roles import FINANCE_ROLES, Role
from budget_eval.platform.permissions import Access, allow

# states in which the department may still add or remove attachments (materials can be supplemented)
ATTACHABLE = EDITABLE | {Status.MATERIALS, Status.SELF_ASSESSMENT}
# the commissioned agency uploads its report while it assesses (and when the report is returned for correction)
AGENCY_ATTACHABLE = frozenset({Status.SELF_ASSESSMENT, Status.CORRECTING})


def can_edit_proposal(user, proposal) -> bool:
    """Only the submitting department edits, and only in a draft, while revising or correcting."""
    return is_own_department(user, proposal) and Status(proposal.status) in EDITABLE


def can_attach(user, proposal) -> bool:
    if is_commissioned_assessor(user, proposal):
        return Status(proposal.status) in AGENCY_ATTACHABLE
    return is_own_department(user, proposal) and Status(proposal.status) in ATTACHABLE


# --- who may reach the proposal and screening pages (enforced by platform.permissions.guard) -----------------
# departments see their own and their overseen units' proposals listed, an agency's staff theirs, finance all
LIST_ROLES = (Role.DEPARTMENT, *FINANCE_ROLES, Role.THIRD_PARTY)
SEES_PROPOSALS = (Role.DEPARTMENT, *FINANCE_ROLES, Role.EXPERT, Role.THIRD_PARTY)  # which ones: can_view_proposal
DEPARTMENT = Role.DEPARTMENT
AGENCY = Role.THIRD_PARTY

ROUTES: dict[str, Access] = {
    "proposals.index": allow(get=LIST_ROLES),
    "proposals.new": allow(get=[DEPARTMENT], post=[DEPARTMENT]),
    "proposals.detail": allow(get=SEES_PROPOSALS),
    "proposals.edit": allow(get=[DEPARTMENT], post=[DEPARTMENT]),  # own drafts only: can_edit_proposal
    "proposals.upload": allow(post=[DEPARTMENT, AGENCY]),
    "proposals.download": allow(get=SEES_PROPOSALS),
    "proposals.delete_attachment": allow(post=[DEPARTMENT, AGENCY]),
    # the department (own, parent unit or sector authority), the commissioned agency and finance take proposal
    # steps; the transition table decides which
    "proposals.act": allow(post=[DEPARTMENT, *FINANCE_ROLES, AGENCY]),
    "screening.batch": allow(get=FINANCE_ROLES, post=FINANCE_ROLES),
    "screening.template": allow(get=FINANCE_ROLES),
    "splits.decide": allow(post=[Role.ADMIN]),  # 疑似拆分: an admin decides (issue 26)
}
