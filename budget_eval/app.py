"""The application factory: the composition root. Config, then extensions, then each feature plugs itself in
(its ``init_app``: blueprints, commands, template filters, signal receivers) in dependency order, then error
handling. With budget_eval.cli, budget_eval.demo and budget_eval.rules_check, the only code that may import every
feature; platform, the kernel, imports none."""
from __future__ import annotations

import os
from pathlib import Path

from datetime import timedelta

from flask import Flask, current_app, request
from sqlalchemy.orm import configure_mappers
from werkzeug.middleware.proxy_fix import ProxyFix

from budget_eval import assessment, cli, evaluation, intake, meetings, platform
from budget_eval.platform.admin.rules_page import CHECKER
from budget_eval.rules_check import check_directory
from budget_eval.platform import errors
from budget_eval.platform.config import defaults, from_environment, instance_secret_key, PROJECT_ROOT
from budget_eval.platform.extensions import csrf, db, login_manager, migrate
from budget_eval.platform.models.types import render_migration_type
from budget_eval.platform.request_input import CleanRequest, IdConverter

PACKAGE_DIR = Path(__file__).resolve().parent
FEATURES = (platform, intake, assessment, meetings, evaluation)  # each after those it builds on


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: defaults, then instance/config.py, then the environment, then test_config."""
    instance_path = Path((test_config or {}).get("INSTANCE_PATH")
                         or os.environ.get("BUDGET_EVAL_INSTANCE_PATH") or PROJECT_ROOT / "instance")
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PACKAGE_DIR / "static"),
    )
    app.request_class = CleanRequest
    app.url_map.converters["int"] = IdConverter  # before any route is added
    instance_path.mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(defaults(instance_path))
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_mapping(from_environment())
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(instance_path)
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=app.config["SESSION_ABSOLUTE_HOURS"])
    app.wsgi_app = TrustedProxies(app)  # type: ignore[method-assign]

    register_extensions(app)
    for feature in FEATURES:
        feature.init_app(app)
    app.extensions[CHECKER] = check_directory  # the admin page of rule files runs the check of every feature's rules
    cli.register(app)
    errors.register(app)
    app.after_request(security_headers)
    return app


class TrustedProxies:
    """The client's address and scheme as the TRUSTED_PROXIES proxies in front saw them (werkzeug's ProxyFix: the
    n-th X-Forwarded-For value from the right, so a client cannot choose its own address by sending the header);
    0 proxies: the socket's address. Read per request, so a changed setting needs no rebuilt app."""

    def __init__(self, app: Flask):
        self.app, self.wsgi_app = app, app.wsgi_app

    def __call__(self, environ, start_response):
        proxies = int(self.app.config["TRUSTED_PROXIES"] or 0)
        if proxies > 0:
            return ProxyFix(self.wsgi_app, x_for=proxies, x_proto=proxies)(environ, start_response)
        return self.wsgi_app(environ, start_response)


def import_models() -> None:
    """Make every table known to the metadata (Alembic and create_all need them all), and set up every
    relationship now, those a feature adds to another's model (backrefs, e.g. Proposal.assessments) included."""
    from budget_eval.assessment import models as _assessment  # noqa: F401
    from budget_eval.assessment import route_models as _route  # noqa: F401
    from budget_eval.assessment import economy_models as _economy  # noqa: F401
    from budget_eval.evaluation import feedback_models as _feedback  # noqa: F401
    from budget_eval.evaluation import models as _evaluation  # noqa: F401
    from budget_eval.intake import models as _intake  # noqa: F401
    from budget_eval.meetings import models as _meetings  # noqa: F401
    from budget_eval.platform.models import audit as _audit, history as _history, job as _job  # noqa: F401
    from budget_eval.platform.models import numbering as _numbering, rule_file as _rule_file  # noqa: F401

    configure_mappers()


def register_extensions(app: Flask) -> None:
    import_models()

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(PACKAGE_DIR / "migrations"),
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
        render_item=render_migration_type,
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    from budget_eval.platform.auth import sessions

    sessions.register()


def security_headers(response):
    """Headers every page gets: no sniffing, no framing, scripts and styles only from this app."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
    )
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if not request.path.startswith("/static/"):  # pages and downloads may hold personal or unpublished data
        response.headers["Cache-Control"] = "no-store"
    if seconds := current_app.config["HSTS_SECONDS"]:
        response.headers.setdefault("Strict-Transport-Security", f"max-age={seconds}; includeSubDomains")
    return response
