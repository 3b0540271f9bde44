"""The 结果通报 (Word) as a background job (issue 22): to put its 版记 on the last lines of an even page the notice is
laid out once by LibreOffice (platform.documents.render_with_imprint) — 3.4 s for 60 units on the development
machine — so the year page starts a job, and the job's page offers the .docx when it is ready. The results table
(.xlsx, about 0.15 s for 60 units) stays a plain download."""
from __future__ import annotations

from flask import Flask, url_for

from budget_eval.evaluation.hotwords import NotComputed
from budget_eval.evaluation.models import EvaluationYear
from budget_eval.evaluation.operations import EvaluationError
from budget_eval.platform import jobs
from budget_eval.platform.extensions import db
from budget_eval.platform.models.job import Job

KIND = "evaluation_notice"


def register(app: Flask) -> None:
    jobs.register(app, KIND, run, expected=(EvaluationError, NotComputed))


def start(record: EvaluationYear, user) -> Job:
    return jobs.start(KIND, f"{record.year}年度部门综合考评结果通报", user, {"year_id": record.id},
                      back_url=url_for("evaluation.year", year=record.year))


def run(job: Job, progress: jobs.Progress) -> jobs.Outcome:
    from budget_eval.evaluation.notice import notice_docx

    record = db.session.get(EvaluationYear, job.params["year_id"])
    if record is None:
        raise jobs.JobError("该考评年度已不存在")
    progress(0, 1, f"正在生成{record.year}年度结果通报（{len(record.units)}个单位）并排版")
    data = notice_docx(record, job.user)
    return jobs.Outcome(f"结果通报已生成：{len(record.units)}个单位。", data, f"{record.year}年度部门综合考评结果通报.docx")
