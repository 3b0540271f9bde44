"""The survey import as a background job (hundreds of thousands of rows): the request keeps the upload in the
file store and starts the job; the worker reads, checks and writes it chunk by chunk as it streams (memory bounded by the chunk), with progress,
audits the import with the user who started it, and leaves the rejected rows with their reasons for download."""
from __future__ import annotations

from flask import Flask, url_for

from budget_eval.evaluation import operations as evaluation
from budget_eval.evaluation.models import EvaluationYear
from budget_eval.evaluation.operations import EvaluationError
from budget_eval.platform import jobs
from budget_eval.platform.extensions import db
from budget_eval.platform.imports import import_summary
from budget_eval.platform.models.job import Job
from budget_eval.platform.tables import TableError
from budget_eval.platform.upload_jobs import keep_upload, kept_upload, rejected_outcome

KIND = "survey_import"


def register(app: Flask) -> None:
    jobs.register(app, KIND, run_import, expected=(TableError, EvaluationError))


def start(record: EvaluationYear, upload, user) -> Job:
    """Keep the upload and queue its import; the job's page follows it."""
    return jobs.start(KIND, f"{record.year}年度社会评价问卷导入", user, {"year_id": record.id, **keep_upload(upload)},
                      back_url=url_for("evaluation.year", year=record.year))


def run_import(job: Job, progress: jobs.Progress) -> jobs.Outcome:
    """Read, check and import the kept file as it streams, chunk by chunk in one transaction (the file is deleted
    afterwards, whatever happens)."""
    params = job.params
    with kept_upload(job, "问卷文件") as path:
        record = db.session.get(EvaluationYear, params["year_id"])
        if record is None:
            raise jobs.JobError("该考评年度已不存在")
        progress(0, 0, "正在读取文件")
        from budget_eval.evaluation.survey_import import import_responses, stream_responses  # pandas: in the worker

        table = stream_responses(path, params["filename"])
        progress(0, table.total or 0, "已找到表头，正在逐批读取、校验并写入")
        result = import_responses(record, table, evaluation.scheme_of(record).survey, job.user, progress,
                                  filename=params["filename"], via=f"后台任务#{job.id}")
    message = import_summary("问卷", result.read + len(result.skipped), result.imported, result.rejected_count,
                             result.skipped)
    return rejected_outcome(message, result.rejected, "问卷拒收行", f"{record.year}年度问卷_拒收行.xlsx")
