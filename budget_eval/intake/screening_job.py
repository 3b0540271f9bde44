"""Batch screening as a background job: the page keeps the upload and sends the user to the job's page, which ends
with the summary (rows read, screened, how they came out, rows set aside such as a template's 示例 row) and the
screened file for download."""
from __future__ import annotations

import io
import logging
from pathlib import Path

from flask import Flask, url_for

from budget_eval.intake.batch_screening import audit_batch, BatchError, RESULT_ORDER, screen_file
from budget_eval.intake.rules import screening_rules
from budget_eval.platform import file_store, jobs
from budget_eval.platform.extensions import db
from budget_eval.platform.imports import set_aside_note
from budget_eval.platform.models.job import Job

KIND = "batch_screening"


def register(app: Flask) -> None:
    jobs.register(app, KIND, run_screening, expected=(BatchError,))


def start(upload, user) -> Job:
    stored = file_store.keep(upload.stream, upload.filename or "清单")
    return jobs.start(KIND, f"批量筛查“{stored.filename}”", user,
                      {"file_key": stored.key, "filename": stored.filename},
                      back_url=url_for("screening.batch"))


def run_screening(job: Job, progress: jobs.Progress) -> jobs.Outcome:
    params = job.params
    out = io.BytesIO()
    try:
        progress(0, 0, "正在读取并筛查")
        try:
            with open(file_store.storage_path(params["file_key"]), "rb") as source:
                result = screen_file(source, params["filename"], screening_rules(), out)
        except OSError as exc:
            logging.getLogger("budget_eval.jobs").error("job %s: kept upload unreadable: %s", job.id, exc)
            raise jobs.JobError("上传的项目清单已丢失或无法读取，请重新上传。") from exc
    finally:
        file_store.remove(params["file_key"])
    audit_batch(params["filename"], result, job.user)
    db.session.commit()
    skipped = result.table.skipped
    counts = "，".join(f"{label} {result.counts.get(label, 0)} 行" for label in RESULT_ORDER)
    message = (f"共读取 {result.rows + len(skipped)} 行：判定 {result.rows} 行（{counts}）{set_aside_note(skipped)}。"
               "结果文件保留原表各列和原表行号，新增“是否需事前绩效评估”“判定依据”两列。")
    return jobs.Outcome(message, out.getvalue(), f"{Path(params['filename']).stem}_筛查结果.xlsx")
