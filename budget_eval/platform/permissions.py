"""Who may do what: role checks for views and department checks for records, enforced on the server."""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from budget_eval.platform.domain.roles import FINANCE_ROLES, Role
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


def is_own_department(user, proposal) -> bool:
    return user.role_enum is Role.DEPARTMENT and proposal.department_id == user.department_id


def is_authority(user, proposal) -> bool:
    """Staff of the department's authority (主管部门), who review its self-assessment."""
    return (user.role_enum is Role.DEPARTMENT and user.department_id is not None
            and proposal.department.authority_id == user.department_id)


def is_cleared_panelist(user, proposal) -> bool:
    """A panel member who has declared no conflict of interest on some round of this proposal."""
    return any(m.user_id == user.id and m.status in ("accepted", "submitted")
               for round_ in proposal.assessments for m in round_.members)


def can_view_proposal(user, proposal) -> bool:
    """Finance roles see all; departments their own and their subordinates'; experts what they review."""
    if user.role_enum in FINANCE_ROLES:
        return True
    if user.role_enum is Role.DEPARTMENT:
        return is_own_department(user, proposal) or is_authority(user, proposal)
    if user.role_enum is Role.EXPERT:
        return is_cleared_panelist(user, proposal)
    return False


def can_edit_proposal(user, proposal) -> bool:
    """Only the submitting department edits, and only in a draft or while revising."""
    return is_own_department(user, proposal) and Status(proposal.status) in EDITABLE


def can_attach(user, proposal) -> bool:
    return is_own_department(user, proposal) and Status(proposal.status) in ATTACHABLE
