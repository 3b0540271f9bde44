"""Batch screening page for finance staff: upload a budget-system export, download it screened."""
from __future__ import annotations

import io

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from budget_eval.intake.domain.screening_rows import INPUT_HEADERS
from budget_eval.intake import screening_job
from budget_eval.intake.batch_screening import template_choices
from budget_eval.intake.rules import screening_rules
from budget_eval.platform.downloads import send_download
from budget_eval.platform.imports import template_xlsx
from budget_eval.intake.permissions import ROUTES
from budget_eval.platform.permissions import guard

bp = Blueprint("screening", __name__, url_prefix="/screening")
guard(bp, ROUTES)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class BatchForm(FlaskForm):
    file = FileField("项目清单（.xlsx、.xls 或 .csv）", validators=[FileRequired("请选择要筛查的文件")])


@bp.route("/batch", methods=["GET", "POST"])
def batch():
    form = BatchForm()
    rules = screening_rules()
    if form.validate_on_submit():
        # screened as a job: its page ends with the summary (rows read, screened, set aside) and the result file
        job = screening_job.start(form.file.data, current_user)
        return redirect(url_for("jobs.status", job_id=job.id))
    status = 422 if form.errors else 200
    return render_template("screening/batch.html", form=form, headers=INPUT_HEADERS, rules=rules), status


@bp.get("/template.xlsx")
def template():
    """The project-list template: canonical headers, an example row, drop-downs for 类别 and 是/否."""
    choices = template_choices(screening_rules())
    return send_download(io.BytesIO(template_xlsx("batch_screening", choices)), "批量筛查项目清单模板.xlsx", XLSX)
