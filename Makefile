# Trappen's commands. Each target sets up what it needs (scripts/bootstrap.sh), so on a fresh
# Debian machine `make demo` and `make test` are all there is to do.
#
#   make demo        set up, seed a synthetic municipality (once) and run on http://127.0.0.1:8000
#   make test        set up (with Chromium when root) and run checks, ruff and the whole suite
#   make test-smoke  only the tests marked `smoke`, on SQLite (DATABASE_URL ignored)
#   make bench       benchmarks, each figure beside a baseline measured in the same run
#   make lint        ruff check and ruff format --check
#   make format      ruff check --fix and ruff format
#   make serve       gunicorn on HOST:PORT (default 127.0.0.1:8000) with WORKERS processes
#   make worker      the background task worker (django-tasks-db)
#   make migrate     apply database migrations
#   make clean       remove .venv, node_modules, collected static files and caches
#   make reset-demo  remove the demo's SQLite database, so the next `make demo` seeds afresh

SHELL := /bin/bash
.DEFAULT_GOAL := help
PY := .venv/bin/python

.PHONY: help demo test test-smoke bench lint format serve worker migrate clean reset-demo

help:
	@sed -n '4,16s/^# \{0,1\}//p' Makefile

demo:
	@scripts/bootstrap.sh
	@scripts/env.sh
	@scripts/demo.sh

test:
	@scripts/bootstrap.sh --dev --browser
	@scripts/test.sh

test-smoke:
	@scripts/bootstrap.sh --dev
	@env -u DATABASE_URL scripts/test.sh --no-checks -m smoke

bench:
	@scripts/bootstrap.sh --dev  # the benchmark data comes from the test factories
	@$(PY) bench/run.py

lint:
	@scripts/bootstrap.sh --dev
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format:
	@scripts/bootstrap.sh --dev
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

serve:
	@scripts/bootstrap.sh
	@scripts/serve.sh

worker:
	@scripts/bootstrap.sh
	$(PY) manage.py db_worker

migrate:
	@scripts/bootstrap.sh
	$(PY) manage.py migrate

clean:
	rm -rf .venv node_modules staticfiles .pytest_cache .ruff_cache .hypothesis test-results \
		trappen.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

reset-demo:
	rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm
