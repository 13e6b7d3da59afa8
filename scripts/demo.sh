#!/usr/bin/env bash
# The demo: migrate, seed a synthetic municipality if the database has none, collect static files,
# then run the task worker and gunicorn until Ctrl-C (which stops both).
# Expects scripts/bootstrap.sh and scripts/env.sh to have run (the Makefile's `demo` does that).
set -euo pipefail
cd "$(dirname "$0")/.."

export TRAPPEN_ENV=demo
PY=.venv/bin/python
DEMO_MUNICIPALITY=${DEMO_MUNICIPALITY:-norddjurs}
DEMO_CHILDREN=${DEMO_CHILDREN:-8000}
DEMO_YEARS=${DEMO_YEARS:-5}
DEMO_SEED=${DEMO_SEED:-1}

echo "==> migrating the database"
"$PY" manage.py migrate --noinput -v 0

has_municipality() {
  "$PY" manage.py shell -v 0 -c \
    "import sys; from trappen.core.models import Municipality; sys.exit(0 if Municipality.objects.exists() else 1)"
}
if has_municipality; then
  echo "==> the database already holds a municipality; not seeding"
else
  echo "==> seeding $DEMO_MUNICIPALITY ($DEMO_CHILDREN children, $DEMO_YEARS years; takes a while once)"
  "$PY" manage.py seed --municipality "$DEMO_MUNICIPALITY" --children "$DEMO_CHILDREN" \
    --years "$DEMO_YEARS" --seed "$DEMO_SEED"
fi

# collectstatic compresses every file each time (half a minute), so only when a source changed:
# the app's static files, the npm assets or the installed Python packages (admin's files).
STATIC_STAMP=staticfiles/.trappen-collected
static_is_stale() {
  [ -f "$STATIC_STAMP" ] || return 0
  [ -n "$(find trappen -path '*/static/*' -newer "$STATIC_STAMP" -print -quit)" ] && return 0
  local f
  for f in node_modules/.trappen-lock .venv/.trappen-installed; do
    [ "$f" -nt "$STATIC_STAMP" ] && return 0
  done
  return 1
}
if static_is_stale; then
  echo "==> collecting static files"
  "$PY" manage.py collectstatic --noinput -v 0
  touch "$STATIC_STAMP"
fi

echo "==> queuing the deadline check (every 10 minutes; skipped when one is queued already)"
"$PY" manage.py deadlines --schedule

pids=()
stop() {
  trap - EXIT INT TERM HUP
  echo "==> stopping the demo"
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}
trap stop EXIT INT TERM HUP

# Each in its own session, so Ctrl-C reaches only this script, whose trap then sends each one
# SIGTERM once (a second signal would make the worker abandon a running task).
setsid "$PY" manage.py db_worker --no-startup-delay &
pids+=($!)
setsid scripts/serve.sh &
pids+=($!)

echo "==> Trappen runs at http://${HOST:-127.0.0.1}:${PORT:-8000}/ (demo users are listed on the login page)"
echo "==> stop with Ctrl-C"
# Stop everything when either process ends on its own.
wait -n "${pids[@]}"
