"""A job's page (progress, then its result or its error) and its result file: for the user who started it and
the 财政管理员 only (404 for anyone else, as if it did not exist)."""
from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from budget_eval.platform import file_store, jobs
from budget_eval.platform.downloads import send_download
from budget_eval.platform.extensions import db
from budget_eval.platform.models.job import Job
from budget_eval.platform.permissions import may_see_job, ROUTES, guard

bp = Blueprint("jobs", __name__, url_prefix="/jobs")
guard(bp, ROUTES)
REFRESH_SECONDS = 2


def job_for_user(job_id: int) -> Job:
    job = db.session.get(Job, job_id)
    if job is None or not may_see_job(current_user, job):
        abort(404)
    return job


@bp.get("/<int:job_id>")
def status(job_id: int):
    job = job_for_user(job_id)
    jobs.check_alive(job)  # a worker killed mid-job: failed here, with the reason in Chinese
    return render_template("jobs/status.html", job=job, refresh=None if job.is_finished else REFRESH_SECONDS)


@bp.get("/<int:job_id>/result")
def result(job_id: int):
    job = job_for_user(job_id)
    if not job.result_key:
        abort(404)
    return send_download(file_store.storage_path(job.result_key), job.result_name or "结果",
                         file_store.mimetype(job.result_name or ""))
