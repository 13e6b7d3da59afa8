#!/usr/bin/env bash
# The checks behind `make test`: Django's system checks, no missing migrations, ruff, then pytest
# over the whole suite in parallel (pytest-xdist). Extra arguments go to pytest.
#
#   scripts/test.sh [pytest arguments]              checks, then pytest
#   scripts/test.sh --no-checks [pytest arguments]  pytest only
#
# DATABASE_URL selects the database (SQLite when unset). PYTEST_WORKERS sets the parallelism
# (default 2). Expects scripts/bootstrap.sh --dev --browser to have run (`make test` does that).
set -euo pipefail
cd "$(dirname "$0")/.."

export TRAPPEN_ENV=test
PY=.venv/bin/python
db="SQLite (in memory)"
[ -n "${DATABASE_URL:-}" ] && db="${DATABASE_URL%%://*} (${DATABASE_URL##*/})"

checks=1
if [ "${1:-}" = --no-checks ]; then
  checks=0
  shift
fi
# Every step runs even when an earlier one fails, so one run shows all problems; the exit code
# is non-zero if any step failed.
failed=()
step() {
  local name=$1
  shift
  echo "==> $name"
  "$@" || failed+=("$name")
}
if [ "$checks" = 1 ]; then
  step "manage.py check" "$PY" manage.py check
  step "makemigrations --check" "$PY" manage.py makemigrations --check --dry-run
  step "ruff check" .venv/bin/ruff check --output-format concise .
fi
echo "==> pytest on $db, ${PYTEST_WORKERS:-2} workers"
set +e
.venv/bin/pytest -n "${PYTEST_WORKERS:-2}" "$@"
rc=$?
set -e
if [ "$rc" = 5 ]; then
  echo "test: pytest collected no tests, which counts as a failure" >&2
fi
[ "$rc" = 0 ] || failed+=("pytest (exit code $rc)")
if [ ${#failed[@]} -gt 0 ]; then
  (IFS=";"; echo "test: FAILED: ${failed[*]}" >&2)
  exit 1
fi
echo "==> all checks and tests passed"
