"""Who may reach the meeting pages: the finance bureau's administrators, who prepare and record the meetings."""
from __future__ import annotations

from budget_eval.platform.domain.roles import Role
from budget_eval.platform.permissions import Access, allow

ADMIN = Role.ADMIN

ROUTES: dict[str, Access] = {
    "meetings.index": allow(get=[ADMIN], post=[ADMIN]),
    "meetings.detail": allow(get=[ADMIN]),
    "meetings.decide": allow(post=[ADMIN]),
    "meetings.include": allow(post=[ADMIN]),
    "meetings.budget": allow(get=[ADMIN]),
    "meetings.pack": allow(get=[ADMIN]),
    "meetings.pack_job": allow(post=[ADMIN]),
}
