"""A background job's lifecycle: queued → running → done, or failed from either (a worker that dies before it
starts, an import that raises). Only the worker takes these steps; platform.lifecycle writes them."""
from __future__ import annotations

from enum import StrEnum

from budget_eval.platform.domain.lifecycle import Lifecycle, step

WORKER = "worker"  # the job worker (huey's consumer, or the request itself in immediate mode)


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


JOB = Lifecycle("job", "后台任务", JobStatus, {
    JobStatus.QUEUED: "排队中", JobStatus.RUNNING: "进行中", JobStatus.DONE: "已完成", JobStatus.FAILED: "失败"}, [
    step("start", "开始执行", {JobStatus.QUEUED}, JobStatus.RUNNING, {WORKER}),
    step("finish", "执行完成", {JobStatus.RUNNING}, JobStatus.DONE, {WORKER}),
    step("fail", "执行失败", {JobStatus.QUEUED, JobStatus.RUNNING}, JobStatus.FAILED, {WORKER}),
])
