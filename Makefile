# Everyday commands. `make run` and `make test` need only Python 3.11 and make.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Development defaults; a real deployment sets its own environment (see README).
DEV_ENV := DEBUG=$${DEBUG:-1}

# Tests run on one worker per core (pytest-xdist); TEST_WORKERS=0 runs them in one process.
TEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS)

.PHONY: run install migrate demo test test-fast lint format check bench screenshots messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input

demo: migrate
	$(DEV_ENV) $(BIN)/python manage.py seed_demo

run: demo
	@echo ""
	@echo "  CRM ESS: http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	@echo ""
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(PYTEST) $(PYTEST_ARGS)

# Everything but the browser journeys and the tests marked slow: the one to run while working.
test-fast: install
	$(PYTEST) -m "not browser and not slow" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(DEV_ENV) $(BIN)/python manage.py check

# Seeds PostgreSQL (BENCH_DATABASE_URL, one database per scale) at scales 1, 100 and 1000,
# serves the app with gunicorn and writes docs/benchmarks.md. BENCH_ARGS="--scales 1,10".
# Also times a 10,000-row import (--import-rows) on a throwaway copy of each database.
# BENCH_ARGS="--scales 1,100,1000,3000" adds scale 3000 (180,000 projects, ~2 million meetings).
bench: install
	$(DEV_ENV) $(BIN)/python manage.py bench $(BENCH_ARGS)

# docs/screenshots/: the main pages for every demo role at 1366×768 and 375×812, taken with
# Playwright and Debian's Chromium on a throwaway demo database (about two minutes).
screenshots: install
	$(DEV_ENV) $(BIN)/python manage.py screenshots

# English catalogue: collect the French msgids into locale/en/LC_MESSAGES/django.po (new ones
# get an empty msgstr to translate), then compile django.mo. Commit both files.
messages: install
	$(DEV_ENV) $(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=var \
		--ignore=tests --no-obsolete --add-location=file
	$(DEV_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
