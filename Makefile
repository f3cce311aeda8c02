# Two commands for a newcomer: `make run` and `make test`.
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup static test test-pg test-fast e2e lint format migrate demo translations messages clean bench bench-pg

run: setup ## set everything up, load demo data, serve on http://127.0.0.1:8000 with the task worker
	$(PY) -m danvan migrate --noinput
	$(PY) -m danvan load_areas
	$(PY) -m danvan demo
	$(PY) -m danvan collectstatic --noinput --verbosity 0
	@echo "danvan is starting on http://$(HOST):$(PORT)/ with its task worker (Ctrl+C stops both)"
	DANVAN_ADDR=$(HOST):$(PORT) .venv/bin/honcho start --no-prefix -f Procfile

setup:
	@scripts/bootstrap

# Pages use WhiteNoise's manifest storage, in tests too: collect the static files (and
# their manifest) again whenever a source of them changed.
VAR_DIR := $(or $(DANVAN_VAR_DIR),var)
STATIC_SOURCES := $(shell find src/danvan -path '*/static/*' -type f 2>/dev/null)
$(VAR_DIR)/static/staticfiles.json: $(STATIC_SOURCES) package-lock.json pyproject.toml
	$(PY) -m danvan collectstatic --noinput --clear --verbosity 0

static: setup $(VAR_DIR)/static/staticfiles.json

test: setup static ## the whole suite: lint, migrations check, tests (browser journeys included)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	.venv/bin/lint-imports
	$(PY) -m danvan makemigrations --check --dry-run
	scripts/pytest

# The whole suite on PostgreSQL 15: on DANVAN_DATABASE_URL when it names a PostgreSQL
# server (CI runs `scripts/with-postgres make test-pg`), else on a throwaway cluster.
test-pg: setup static ## the whole suite again on PostgreSQL 15 (browser journeys included)
	@case "$${DANVAN_DATABASE_URL:-}" in \
	  postgres://*|postgresql://*|pgsql://*) scripts/pytest ;; \
	  *) scripts/with-postgres scripts/pytest ;; \
	esac

test-fast: setup static
	scripts/pytest -m "not e2e"

e2e: setup static ## browser journeys only (Debian's chromium); screenshots in var/screenshots/
	scripts/pytest -m e2e
	@echo "screenshots: $$(ls var/screenshots/*.png 2>/dev/null | tr '\n' ' ')"

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	.venv/bin/lint-imports

format: setup
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

messages: setup ## refresh .po files from the source
	cd src/danvan && ../../$(PY) -m danvan makemessages --all --ignore "node_modules/*" --no-obsolete

translations: setup
	$(PY) -m danvan compile_translations

clean:
	rm -rf .venv node_modules var

# Benchmarks are not tests: they print medians, p95 and ratios to baselines measured in the
# same run, and write bench/results/<date>-<db>.md (see docs/performance.md). The dataset
# is generated once per scale under var/bench/<scale> (SQLite) or into the throwaway cluster.
BENCH_SCALE ?= province
bench: setup ## benchmarks on SQLite (BENCH_SCALE=province|national|commune)
	DANVAN_VAR_DIR=$(CURDIR)/var/bench/$(BENCH_SCALE) nice $(PY) bench/run.py --scale $(BENCH_SCALE)

bench-pg: setup ## the same benchmarks on a throwaway PostgreSQL 15
	DANVAN_VAR_DIR=$(CURDIR)/var/bench/pg-$(BENCH_SCALE) scripts/with-postgres nice $(PY) bench/run.py --scale $(BENCH_SCALE)
