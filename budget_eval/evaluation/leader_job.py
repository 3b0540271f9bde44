"""The leaders' scores import as a background job, like the survey's: the request keeps the upload and sends the
user to the job's page, which ends with the summary (rows read, stored, rejected, set aside) and the rejected rows
for download — never a file sent back silently while the year's page still shows the old figures."""
from __future__ import annotations

from flask import Flask, url_for

from budget_eval.evaluation import leader_scores
from budget_eval.evaluation.models import EvaluationYear
from budget_eval.evaluation.operations import EvaluationError
from budget_eval.platform import jobs
from budget_eval.platform.extensions import db
from budget_eval.platform.imports import import_summary
from budget_eval.platform.models.job import Job
from budget_eval.platform.tables import TableError
from budget_eval.platform.upload_jobs import keep_upload, kept_upload, rejected_outcome

KIND = "leader_scores_import"


def register(app: Flask) -> None:
    jobs.register(app, KIND, run_import, expected=(TableError, EvaluationError))


def start(record: EvaluationYear, upload, user) -> Job:
    return jobs.start(KIND, f"{record.year}年度领导评分导入", user, {"year_id": record.id, **keep_upload(upload)},
                      back_url=url_for("evaluation.year", year=record.year))


def run_import(job: Job, progress: jobs.Progress) -> jobs.Outcome:
    params = job.params
    with kept_upload(job, "领导评分文件") as path:
        record = db.session.get(EvaluationYear, params["year_id"])
        if record is None:
            raise jobs.JobError("该考评年度已不存在")
        progress(0, 0, "正在读取并导入")
        with open(path, "rb") as source:
            imported, rejected, skipped = leader_scores.import_leader_scores(record, source, params["filename"],
                                                                              job.user)
    message = import_summary("领导评分", imported + len(rejected) + len(skipped), imported, len(rejected), skipped)
    return rejected_outcome(message, rejected, "领导评分拒收行", f"{record.year}年度领导评分_拒收行.xlsx")
