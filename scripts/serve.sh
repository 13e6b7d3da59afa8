#!/usr/bin/env bash
# Serve Trappen with gunicorn, as in production. HOST, PORT and WORKERS override the defaults;
# GUNICORN_CMD_ARGS adds any other gunicorn option.
set -euo pipefail
cd "$(dirname "$0")/.."

exec .venv/bin/gunicorn trappen.wsgi:application \
  --bind "${HOST:-127.0.0.1}:${PORT:-8000}" \
  --workers "${WORKERS:-2}" \
  --access-logfile - \
  --graceful-timeout 10
