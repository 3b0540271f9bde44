"""The admin page of rule files: each file's version, its check result, and every number with its source.

The check itself knows every feature's rule files, so it lives at the top (budget_eval.rules_check); the app
factory hands it to this page under CHECKER, and the platform imports no feature."""
from pathlib import Path

from flask import current_app, render_template

from budget_eval.platform.admin.views import bp
from budget_eval.platform.domain.sourced import STATUS_HINTS
from budget_eval.platform.rules import broken_rules

CHECKER = "budget_eval.rules_check"  # app.extensions key: directory -> report with .ok, .files, .errors, .lines()


@bp.get("/rules")
def rules_files():
    report = current_app.extensions[CHECKER](Path(current_app.config["RULES_DIR"]))
    return render_template("admin/rules.html", report=report, in_use_errors=broken_rules(), hints=STATUS_HINTS)
