#!/usr/bin/env bash
# The full check: ruff, mypy --strict, and the test suite against SQLite and a real PostgreSQL server.
# Installs missing Debian packages when run as root, and starts a throwaway PostgreSQL on 127.0.0.1 unless
# SCHOON_TEST_PG_URL already names one.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
if [ "$(id -u)" = 0 ]; then scripts/system-deps.sh; fi
scripts/browser-deps.sh
if [ -z "${SCHOON_TEST_PG_URL:-}" ]; then
  if SCHOON_TEST_PG_URL=$(scripts/pg-test-server.sh 2>/tmp/schoon-test-pgdir); then
    pg_dir=$(tail -n 1 /tmp/schoon-test-pgdir)
    trap 'scripts/pg-test-server.sh stop "$pg_dir" || true' EXIT
    export SCHOON_TEST_PG_URL
    echo "PostgreSQL for the tests: $SCHOON_TEST_PG_URL"
  else
    echo "no PostgreSQL server could be started: the PostgreSQL half of the audit tests will be skipped" >&2
    unset SCHOON_TEST_PG_URL
  fi
fi
"$BIN/ruff" check src tests benchmarks
"$BIN/mypy"
"$BIN/pytest" -q "$@"
