"""Template filters and globals: money, Beijing time, role labels (a proposal's own labels: intake.formatting)."""
from __future__ import annotations

from datetime import datetime

from flask import Flask

from budget_eval.platform.domain.calendar import BEIJING
from budget_eval.platform.domain.money import format_money, format_round, format_wan
from budget_eval.platform.domain.roles import Role, ROLE_LABELS
from budget_eval.platform.domain.ruleset import version_label
from budget_eval.platform.rules import broken_rules
from budget_eval.platform.permissions import may_reach_now


def beijing_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Show a stored UTC time in Beijing time (UTC+8, no daylight saving)."""
    return "" if value is None else (value + BEIJING).strftime(fmt)


def register(app: Flask) -> None:
    app.add_template_filter(format_wan, "wan")
    app.add_template_filter(format_money, "money")
    app.add_template_filter(format_round, "round_money")
    app.add_template_filter(beijing_time, "bjtime")
    app.add_template_filter(version_label, "rule_version")
    app.add_template_filter(lambda code: ROLE_LABELS[Role(code)], "role_label")
    app.jinja_env.globals["Role"] = Role
    app.jinja_env.globals["may_reach"] = may_reach_now  # menus and links ask the features' route tables
    app.context_processor(_rule_warnings)


def _rule_warnings() -> dict:
    """Admins see, on every page, which rule files are broken (the last good version is in use)."""
    from flask_login import current_user

    admin = getattr(current_user, "is_authenticated", False) and current_user.role == Role.ADMIN
    return {"rule_warnings": broken_rules() if admin else []}
