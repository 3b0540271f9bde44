"""Role checks for views, enforced on the server (what a user may do with a proposal: intake.permissions)."""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from budget_eval.platform.domain.roles import Role


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
