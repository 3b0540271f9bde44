"""A background job (an import, a pack, a recomputation): who asked, how far it got, what came out."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from budget_eval.platform.domain.jobs import JOB, JobStatus
from budget_eval.platform.extensions import db
from budget_eval.platform.models.constraints import race_guard_where, state_check
from budget_eval.platform.models.stateful import Stateful
from budget_eval.platform.models.types import utcnow
from budget_eval.platform.models.user import User


class Job(Stateful, db.Model):
    __tablename__ = "job"
    # one job at a time per `single` key (e.g. the hot words of one year): a second start while one is queued or
    # running meets this index and gets the first one instead (platform.jobs.start_once)
    __table_args__ = (state_check(JOB), race_guard_where(
        "uq_job_single_active", "single", f"single IS NOT NULL AND status IN ('{JobStatus.QUEUED}', '{JobStatus.RUNNING}')"))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # a kind registered by a feature (platform.jobs.register)
    title: Mapped[str] = mapped_column(String(200))  # what the user sees, e.g. 2026年度问卷导入
    status: Mapped[str] = mapped_column(String(20), default=JobStatus.QUEUED.value)
    params: Mapped[dict] = mapped_column(JSON, default=dict)  # the kind's arguments (ids, stored file keys)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)  # 0 while unknown
    message: Mapped[str] = mapped_column(Text, default="")  # Chinese, for the user: where it is, or what failed
    back_url: Mapped[str] = mapped_column(String(200), default="")  # the page the work belongs to
    result_key: Mapped[str | None] = mapped_column(String(32))  # a file in platform.file_store
    result_name: Mapped[str | None] = mapped_column(String(200))
    single: Mapped[str | None] = mapped_column(String(80))  # the work it does, when only one may run at a time
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    # the process running it ("host:pid", set when it starts) and when it last said it was alive: a job whose
    # worker is gone (killed, machine restarted) is failed with a Chinese message (platform.jobs.check_alive)
    worker: Mapped[str | None] = mapped_column(String(120))
    heartbeat_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
    lifecycle = JOB

    @property
    def is_finished(self) -> bool:
        return self.state in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def is_failed(self) -> bool:
        return self.state is JobStatus.FAILED

    @property
    def percent(self) -> int:
        if self.state is JobStatus.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0
