"""platform: the kernel every feature builds on (config, extensions, the one status writer, the route guard,
tables, spreadsheets, documents' layout). It imports no feature. Its own pages: home, sign-in, admin."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug the platform's pages, commands and template filters into the app."""
    from budget_eval.platform import cli, formatting, jobs, mail
    from budget_eval.platform.models import derived as _derived  # noqa: F401  (the derived_figure table)
    from budget_eval.platform.admin import audit as _audit_routes  # noqa: F401  (adds the audit pages to admin)
    from budget_eval.platform.admin import rules_page as _rules_routes  # noqa: F401  (adds the rule files page)
    from budget_eval.platform.admin.views import bp as admin_bp
    from budget_eval.platform.auth.views import bp as auth_bp
    from budget_eval.platform.home import bp as home_bp
    from budget_eval.platform.jobs_views import bp as jobs_bp

    jobs.init_app(app)  # before the features, which register their kinds of job
    mail.init_app(app)  # notifications e-mailed after commit, when SMTP is configured
    for blueprint in (home_bp, auth_bp, admin_bp, jobs_bp):
        app.register_blueprint(blueprint)
    formatting.register(app)
    from budget_eval.platform import notifications

    app.add_template_global(notifications.unread_count, "unread_count")  # the header's count
    cli.register(app)
