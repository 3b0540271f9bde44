"""The meeting pack as a background job: the pack renders every project's report and, with LibreOffice, converts
the whole to PDF (seconds to minutes for a long agenda), so the meeting page starts a job and the job's page
follows it and offers the .zip when it is ready."""
from __future__ import annotations

from flask import Flask, url_for

from budget_eval.assessment.documents.build import ReportError, safe_name
from budget_eval.meetings.models import Meeting
from budget_eval.meetings.pack import meeting_pack
from budget_eval.platform import jobs
from budget_eval.platform.extensions import db
from budget_eval.platform.models.job import Job

KIND = "meeting_pack"


def register(app: Flask) -> None:
    jobs.register(app, KIND, run_pack, expected=(ReportError,))


def start(meeting: Meeting, user) -> Job:
    return jobs.start(KIND, f"{meeting.title} 会议材料", user, {"meeting_id": meeting.id},
                      back_url=url_for("meetings.detail", meeting_id=meeting.id))


def run_pack(job: Job, progress: jobs.Progress) -> jobs.Outcome:
    meeting = db.session.get(Meeting, job.params["meeting_id"])
    if meeting is None:
        raise jobs.JobError("该会议已不存在")
    proposals = [item.proposal for item in meeting.items]
    progress(0, len(proposals), f"正在生成 {len(proposals)} 个项目的会议材料（评估报告、汇总表及 PDF）")
    data = meeting_pack(proposals, meeting.title, order="given", meeting=meeting)
    return jobs.Outcome(f"会议材料已生成：{len(proposals)} 个项目（汇总表 Word + Excel 及各项目评估报告）。",
                        data, f"{safe_name(meeting.title)}_会议材料.zip")
