"""Who may do what: role checks for views and department checks for records, enforced on the server."""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from budget_eval.domain.roles import FINANCE_ROLES, Role
from budget_eval.domain.workflow import EDITABLE, Status


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


def can_view_proposal(user, proposal) -> bool:
    """Department staff see their own department's proposals; finance roles see all."""
    if user.role_enum in FINANCE_ROLES:
        return True
    return user.role_enum is Role.DEPARTMENT and proposal.department_id == user.department_id


def can_edit_proposal(user, proposal) -> bool:
    """Only the submitting department edits, and only while the proposal is a draft."""
    return (
        user.role_enum is Role.DEPARTMENT
        and proposal.department_id == user.department_id
        and Status(proposal.status) in EDITABLE
    )
