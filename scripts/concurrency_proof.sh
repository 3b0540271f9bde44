#!/usr/bin/env bash
# Issue 9's proof: every race of the concurrency harness (tests/concurrency) 20 times over, on PostgreSQL
# behind gunicorn, with the known-failure marks ignored (--runxfail): it passes only if every run passes.
# Prints the pytest summary, then per race how often it failed and on which rule, and the time taken.
#
# Usage: bash scripts/concurrency_proof.sh [repetitions, default 20] [pytest arguments]
# With BUDGET_EVAL_TEST_PG_URL set, uses that database (the harness works in its own schema there);
# otherwise scripts/test.sh installs and starts PostgreSQL first.
set -uo pipefail
cd "$(dirname "$0")/.."
export BUDGET_EVAL_CONC_REPEAT="${1:-20}"
shift $(( $# > 0 ? 1 : 0 ))
args=(tests/concurrency/test_races.py -p no:randomly --runxfail -q "$@")
start=$(date +%s)
if [ -n "${BUDGET_EVAL_TEST_PG_URL:-}" ]; then
  BUDGET_EVAL_REQUIRE_SERVICES=1 .venv/bin/python -m pytest "${args[@]}"
else
  bash scripts/test.sh "${args[@]}"
fi
status=$?
echo
.venv/bin/python -m tests.concurrency.report
echo "${BUDGET_EVAL_CONC_REPEAT} repetitions in $(( $(date +%s) - start )) s; pytest exit status ${status}"
exit "$status"
