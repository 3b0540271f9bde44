"""What every import job does with its upload: the request keeps the file in the file store and starts the job
(`keep_upload`); the worker reads it (`kept_upload`: removed afterwards whatever happens, a file gone or unreadable
fails the job with a Chinese message) and ends with the rejected rows for download (`rejected_outcome`)."""
from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from budget_eval.platform import file_store, jobs, spreadsheets
from budget_eval.platform.models.job import Job


def keep_upload(upload, fallback_name: str = "上传文件") -> dict[str, str]:
    """Keep the upload (a large one is spooled to a temporary file: closed once the store has its copy); the job
    parameters that name it."""
    stored = file_store.keep(upload.stream, upload.filename or fallback_name)
    upload.close()
    return {"file_key": stored.key, "filename": stored.filename}


@contextmanager
def kept_upload(job: Job, what: str) -> Iterator[Path]:
    """The job's kept upload; `what` names it in the message when it is gone or unreadable (e.g. 问卷文件)."""
    key = job.params["file_key"]
    try:
        yield file_store.storage_path(key)
    except OSError as exc:
        logging.getLogger("budget_eval.jobs").error("job %s: kept upload unreadable: %s", job.id, exc)
        raise jobs.JobError(f"上传的{what}已丢失或无法读取，请重新上传。") from exc
    finally:
        file_store.remove(key)


def rejected_outcome(message: str, rejected, sheet: str, filename: str) -> jobs.Outcome:
    """The job's summary, with the rejected rows (a DataFrame with their reasons) as a spreadsheet when any."""
    if rejected.empty:
        return jobs.Outcome(message)
    table = spreadsheets.frame_table(rejected, sheet, row_numbers=spreadsheets.ROW_NUMBER not in rejected.columns)
    return jobs.Outcome(message, spreadsheets.xlsx(table), filename)
