"""Who may do what with a proposal, enforced on the server (role checks for views: platform.permissions)."""
from __future__ import annotations

# who may see what is decided in one place; re-exported here for the views that import it from permissions
from budget_eval.intake.domain.visibility import (  # noqa: F401
    can_view_proposal,
    is_authority,
    is_cleared_panelist,
    is_own_department,
)
from budget_eval.intake.domain.workflow import EDITABLE, Status

# states in which the department may still add or remove attachments (materials can be supplemented)
ATTACHABLE = EDITABLE | {Status.MATERIALS, Status.SELF_ASSESSMENT}


def can_edit_proposal(user, proposal) -> bool:
    """Only the submitting department edits, and only in a draft or while revising."""
    return is_own_department(user, proposal) and Status(proposal.status) in EDITABLE


def can_attach(user, proposal) -> bool:
    return is_own_department(user, proposal) and Status(proposal.status) in ATTACHABLE
