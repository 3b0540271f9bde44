#!/usr/bin/env bash
# Set everything up on a fresh Debian machine, type-check the domain packages (mypy) and run the whole test
# suite, on SQLite and PostgreSQL, with background jobs on the embedded queue and on Redis.
# Usage: bash scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

PG_DB=budget_eval_test
PG_USER=budget_eval
PG_PASSWORD=budget_eval_test

start_postgresql() {
  local version
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$version main$" || as_root pg_createcluster "$version" main >/dev/null
  if ! pg_lsclusters -h | grep -q "^$version main .*online"; then
    echo "==> 启动 PostgreSQL $version"
    as_root pg_ctlcluster "$version" main start
  fi
  for _ in $(seq 1 40); do pg_isready -q -h 127.0.0.1 && break; sleep 0.5; done
  as_root su postgres -c "psql -q -v ON_ERROR_STOP=1" <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER') THEN
    CREATE ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD';
  END IF;
END \$\$;
SQL
  local db
  for db in "$PG_DB" $(for n in $(seq 0 $((WORKERS - 1))); do echo "${PG_DB}_gw$n"; done); do
    as_root su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname = '$db'\"" | grep -q 1 \
      || as_root su postgres -c "createdb -O $PG_USER $db"
  done
}

# The tests run in parallel (pytest-xdist), one worker per core up to 4; each worker has its own PostgreSQL database
# (created above: budget_eval_test_gw0 …) and Redis database (tests/conftest.py). A test module runs whole on one
# worker (--dist loadfile: its module-scoped served app and browser are built once). xdist's --dist loadgroup does
# not group under pytest 9 (checked with xdist 3.8's own example), so it is not used.
WORKERS=$(nproc 2>/dev/null || echo 2)
[ "$WORKERS" -gt 4 ] && WORKERS=4
[ "$WORKERS" -lt 2 ] && WORKERS=2

# The job queue's production broker (platform/jobs.py: RedisHuey when BUDGET_EVAL_JOBS_URL is redis://…), on
# loopback without persistence; tests/web/test_job_workers.py runs a real worker on it and on the embedded queue.
REDIS_PORT=${BUDGET_EVAL_TEST_REDIS_PORT:-6379}
start_redis() {
  if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    echo "==> 启动 Redis（127.0.0.1:$REDIS_PORT）"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
      --logfile "$PWD/.venv/redis.log" >/dev/null
  fi
  for _ in $(seq 1 40); do redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0; sleep 0.25; done
  echo "Redis 未能启动（见 .venv/redis.log）" >&2
  return 1
}

# Every Debian package a test needs: tests/tools.py maps each tool a test calls to one of these, and
# tests/unit/test_tools.py fails when a tool is called that no package here provides.
TEST_PACKAGES=(postgresql redis-server redis-tools libreoffice-writer-nogui poppler-utils fontconfig fonts-noto-cjk chromium dpkg apt nodejs npm)

# The browser tests' npm assets (axe-core, injected into each page by tests/browser/test_accessibility.py; never
# served by the app): exact versions and integrity hashes in tests/browser/assets/package-lock.json, installed
# into its git-ignored node_modules/ with `npm ci`, again only when the lockfile changed.
NPM_ASSETS=tests/browser/assets
install_npm_assets() {
  local stamp=$NPM_ASSETS/node_modules/.budget_eval-installed want
  want=$(sha256sum "$NPM_ASSETS/package-lock.json" | cut -d' ' -f1)
  [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && return 0
  echo "==> 安装浏览器测试资源（npm：$NPM_ASSETS）"
  npm ci --prefix "$NPM_ASSETS" --no-audit --no-fund --ignore-scripts --loglevel=error
  echo "$want" >"$stamp"
}

# the Debian packages and the Python packages install side by side
install_debian_packages "${TEST_PACKAGES[@]}" &
apt_pid=$!
install_python_packages
wait "$apt_pid"
install_npm_assets
start_postgresql
start_redis

export BUDGET_EVAL_TEST_PG_URL="postgresql+psycopg://$PG_USER:$PG_PASSWORD@127.0.0.1:5432/$PG_DB"
export BUDGET_EVAL_TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/15"  # database 15: the tests' own
export BUDGET_EVAL_REQUIRE_SERVICES=1
echo "==> 类型检查（mypy，domain 包严格模式；配置见 pyproject.toml）"
.venv/bin/mypy
echo "==> 运行测试（SQLite 与 PostgreSQL）"
# --durations: the slowest tests are listed at the end of every run
exec .venv/bin/python -m pytest -n "$WORKERS" --dist loadfile --durations=15 "$@"
