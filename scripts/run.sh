#!/usr/bin/env bash
# Set everything up and start the app on http://127.0.0.1:5000 with demo data (SQLite in instance/).
# Usage: bash scripts/run.sh        (PORT=8000 bash scripts/run.sh for another port)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

install_debian_packages fonts-noto-cjk &  # Chinese labels in report charts
apt_pid=$!
install_python_packages
wait "$apt_pid"
export FLASK_APP=budget_eval
.venv/bin/flask db upgrade >.venv/db-upgrade.log 2>&1 || { cat .venv/db-upgrade.log; exit 1; }
.venv/bin/flask seed-demo
echo "==> 打开 http://127.0.0.1:${PORT:-5000}/ 用上面的账号登录（Ctrl+C 停止）"
exec .venv/bin/flask run --host 127.0.0.1 --port "${PORT:-5000}"
