"""Batch screening as a background job: the page keeps the upload and sends the user to the job's page, which ends
with the summary (rows read, screened, how they came out, rows set aside such as a template's 示例 row) and the
screened file for download."""
from __future__ import annotations

import io
from pathlib import Path

from flask import Flask, url_for

from budget_eval.intake.batch_screening import audit_batch, BatchError, RESULT_ORDER, screen_file
from budget_eval.intake.rules import screening_rules
from budget_eval.platform import jobs
from budget_eval.platform.extensions import db
from budget_eval.platform.imports import set_aside_note
from budget_eval.platform.models.job import Job
from budget_eval.platform.upload_jobs import keep_upload, kept_upload

KIND = "batch_screening"


def register(app: Flask) -> None:
    jobs.register(app, KIND, run_screening, expected=(BatchError,))


def start(upload, user) -> Job:
    params = keep_upload(upload, "清单")
    return jobs.start(KIND, f"批量筛查“{params['filename']}”", user, params, back_url=url_for("screening.batch"))


def run_screening(job: Job, progress: jobs.Progress) -> jobs.Outcome:
    params = job.params
    out = io.BytesIO()
    progress(0, 0, "正在读取并筛查")
    with kept_upload(job, "项目清单") as path, open(path, "rb") as source:
        result = screen_file(source, params["filename"], screening_rules(), out)
    audit_batch(params["filename"], result, job.user)
    db.session.commit()
    skipped = result.table.skipped
    counts = "，".join(f"{label} {result.counts.get(label, 0)} 行" for label in RESULT_ORDER)
    message = (f"共读取 {result.rows + len(skipped)} 行：判定 {result.rows} 行（{counts}）{set_aside_note(skipped)}。"
               "结果文件保留原表各列和原表行号，新增“是否需事前绩效评估”“判定依据”两列。")
    return jobs.Outcome(message, out.getvalue(), f"{Path(params['filename']).stem}_筛查结果.xlsx")
