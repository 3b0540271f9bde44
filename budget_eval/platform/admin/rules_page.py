"""The admin page of rule files: each file's version, its check result, and every number with its source."""
from pathlib import Path

from flask import current_app, render_template

from budget_eval.platform.admin.views import bp
from budget_eval.platform.domain.sourced import STATUS_HINTS
from budget_eval.platform.rules import broken_rules
from budget_eval.platform.rules_check import check_directory


@bp.get("/rules")
def rules_files():
    report = check_directory(Path(current_app.config["RULES_DIR"]))
    return render_template("admin/rules.html", report=report, in_use_errors=broken_rules(), hints=STATUS_HINTS)
