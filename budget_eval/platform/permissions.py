"""Who may reach which route, declared as data per feature and enforced in one place (pretalx-style).

Each feature's ``permissions`` module holds a ``ROUTES`` table: endpoint → :class:`Access` (the roles that may
open the page, the roles that may post to it). :func:`guard` installs one check on a blueprint that looks the
request's endpoint up in the table before the view runs: anonymous visitors go to the login page, a role not
listed gets 403, and an endpoint missing from the table is refused (deny by default). What a user may do with
one record (this proposal, this unit) is decided by the feature's object predicates, in the same module, after
the record is loaded. tests/web/test_role_matrix.py reads the tables and checks them against every route.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flask import Blueprint, abort, current_app, request
from flask_login import current_user

from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import login_manager

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Access:
    """The roles that may open a route (GET) and the roles that may change something through it (POST)."""

    get: frozenset[Role] = frozenset()
    post: frozenset[Role] = frozenset()
    public: bool = False  # anonymous visitors too (sign-in page, health checks)

    def roles_for(self, method: str) -> frozenset[Role]:
        return self.get if method in READ_METHODS else self.post


def allow(get: Iterable[Role] = (), post: Iterable[Role] = ()) -> Access:
    return Access(get=frozenset(get), post=frozenset(post))


PUBLIC = Access(public=True)
SIGNED_IN = allow(get=Role, post=Role)


def guard(blueprint: Blueprint, routes: Mapping[str, Access]) -> None:
    """Check every request to this blueprint against its feature's table before any view code runs."""

    @blueprint.before_request
    def _check_access():
        access = routes.get(request.endpoint or "")
        if access is None:
            abort(403)  # a route nobody declared is nobody's
        if access.public:
            return None
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if current_user.role_enum not in access.roles_for(request.method):
            abort(403)
        return None

    blueprint.record_once(lambda state: state.app.config.setdefault("ROUTE_ACCESS", {}).update(routes))


def may_reach(user, endpoint: str, method: str = "GET") -> bool:
    """Whether this user gets past the guard of this route: what menus and links ask before they show it."""
    access = current_app.config.get("ROUTE_ACCESS", {}).get(endpoint)
    if access is None:
        return False
    if access.public:
        return True
    return bool(user.is_authenticated) and user.role_enum in access.roles_for(method)


def may_reach_now(endpoint: str, method: str = "GET") -> bool:
    """may_reach for the signed-in user of this request (the templates' ``may_reach``)."""
    return may_reach(current_user, endpoint, method)


# --- the platform's own pages ----------------------------------------------------------------------------------
ADMIN_ONLY = allow(get=[Role.ADMIN])

ROUTES: dict[str, Access] = {
    "health.health": PUBLIC,
    "health.live": PUBLIC,
    "auth.login": PUBLIC,
    "auth.logout": allow(post=Role),
    "auth.change_password": SIGNED_IN,
    "home.index": allow(get=Role),  # the 工作台: what waits for this user
    "home.read_notifications": allow(post=Role),  # each user marks only their own notifications read
    "admin.departments": ADMIN_ONLY,
    "admin.edit_department": allow(get=[Role.ADMIN], post=[Role.ADMIN]),
    "admin.users": ADMIN_ONLY,
    "admin.edit_user": allow(get=[Role.ADMIN], post=[Role.ADMIN]),
    "admin.unlock_user": allow(post=[Role.ADMIN]),
    "admin.audit_log": ADMIN_ONLY,
    "admin.audit_export": ADMIN_ONLY,
    "admin.rules_files": ADMIN_ONLY,
    # a job's page and its result: any signed-in role gets past the guard; may_see_job lets in only the user who
    # started the job and the 财政管理员 (404 for everyone else)
    "jobs.status": allow(get=Role),
    "jobs.result": allow(get=Role),
}


def may_see_job(user, job) -> bool:
    """A background job (its page, its result file): the user who started it, and the 财政管理员."""
    return job.user_id == user.id or user.role_enum is Role.ADMIN
