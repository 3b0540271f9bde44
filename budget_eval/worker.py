"""The job worker's entry point: `huey_consumer budget_eval.worker.huey` (scripts/run.sh starts it beside
gunicorn). It builds the app once, as gunicorn does, so every feature has registered its kinds of job, and each
task runs inside an app context of this app (platform/jobs.py). Part of the composition root: it builds the
whole app."""
from __future__ import annotations

from budget_eval.app import create_app
from budget_eval.platform.jobs import queue

app = create_app()
huey = queue(app).huey
