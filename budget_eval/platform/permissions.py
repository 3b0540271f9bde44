"""Who may do what: role checks for views and department checks for records, enforced on the server."""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from budget_eval.platform.domain.roles import Role
# who may see what is decided in one place; re-exported here for the views that import it from permissions
from budget_eval.platform.domain.visibility import (  # noqa: F401
    can_view_proposal,
    is_authority,
    is_cleared_panelist,
    is_own_department,
)
from budget_eval.intake.domain.workflow import EDITABLE, Status

# states in which the department may still add or remove attachments (materials can be supplemented)
ATTACHABLE = EDITABLE | {Status.MATERIALS, Status.SELF_ASSESSMENT}


def role_required(*roles: Role):
    """Let only signed-in users of these roles through; others get 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def can_edit_proposal(user, proposal) -> bool:
    """Only the submitting department edits, and only in a draft or while revising."""
    return is_own_department(user, proposal) and Status(proposal.status) in EDITABLE


def can_attach(user, proposal) -> bool:
    return is_own_department(user, proposal) and Status(proposal.status) in ATTACHABLE
