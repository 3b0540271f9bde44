#!/usr/bin/env bash
# Set everything up and start the app on http://127.0.0.1:5000 with demo data (SQLite in instance/): gunicorn
# serves the pages, a huey worker runs the background jobs (imports …; its queue is instance/jobs.sqlite3).
# Usage: bash scripts/run.sh        (PORT=8000 bash scripts/run.sh for another port; Ctrl+C stops both)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

install_debian_packages fonts-noto-cjk poppler-utils &  # Chinese labels in report charts; PDF pages shown to reviewers (pdftoppm)
apt_pid=$!
install_python_packages
wait "$apt_pid"
export FLASK_APP=budget_eval
.venv/bin/flask db upgrade >.venv/db-upgrade.log 2>&1 || { cat .venv/db-upgrade.log; exit 1; }
.venv/bin/flask seed-demo

# the job worker in the background (one worker thread: SQLite takes one writer at a time), gunicorn in front
.venv/bin/huey_consumer budget_eval.worker.huey --workers 1 &
worker_pid=$!
stop() { trap - INT TERM EXIT; kill "$worker_pid" 2>/dev/null || true; wait "$worker_pid" 2>/dev/null || true; }
trap stop INT TERM EXIT
echo "==> 打开 http://127.0.0.1:${PORT:-5000}/ 用上面的账号登录（Ctrl+C 停止网站与后台任务进程）"
# a page answers in well under a second; long work is a job, so 60 s is only a guard against a stuck worker
extra=()  # gunicorn ≥ 25 opens a control socket in ~/.gunicorn, shared by every gunicorn on the machine
.venv/bin/gunicorn --help | grep -q -- --no-control-socket && extra+=(--no-control-socket)
.venv/bin/gunicorn --bind "127.0.0.1:${PORT:-5000}" --workers 3 --threads 2 --timeout 60 "${extra[@]}" \
  --access-logfile - "budget_eval:create_app()"
