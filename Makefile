# Accord — the README's commands. Everything a fresh machine needs is installed from here.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: demo test bench lint install install-dev chromium serve worker clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Runtime dependencies only: what `make demo` needs (no test tools, no torch).
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## demo: install, create the SQLite database, load the demo portfolio, serve on :$(PORT)
demo: install
	$(BIN)/python manage.py migrate --verbosity 0
	$(BIN)/python manage.py accord_demo --if-empty
	@echo "\nAccord is starting on http://127.0.0.1:$(PORT)/ (Ctrl-C stops the web server and the worker)\n"
	$(BIN)/python manage.py accord_serve --port $(PORT)

## chromium: Debian's Chromium for the browser tests (never a downloaded browser)
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium…"; \
	  (apt-get update -qq || sudo apt-get update -qq) && \
	  (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium || \
	   sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium); }

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Tests run in a random order (pytest-randomly) so a test that leans on another shows itself;
# `make test SEED=N` repeats the order of a run that printed "random order: SEED=N".
ifeq ($(origin SEED), undefined)
SEED := $(shell od -An -N2 -tu2 /dev/urandom | tr -d ' ')
endif

## test: lint, then the whole suite on SQLite — and, in CI (CI=true), again on PostgreSQL
test: install-dev chromium lint
	@echo "random order: SEED=$(SEED)"
	$(BIN)/python -m pytest -n 2 -q -p randomly --randomly-seed=$(SEED)
	@if [ "$$CI" = "true" ]; then \
	  echo "\n=== again on PostgreSQL ($(PG_URL)), random order SEED=$(SEED) ==="; \
	  DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -n 2 -q -p randomly --randomly-seed=$(SEED); \
	fi

## bench: speed and scale figures (not part of the test suite); the import benchmark compares
## with the sqlite3 command-line loader, installed from Debian's packages when missing
bench: install-dev
	@command -v sqlite3 >/dev/null 2>&1 || { \
	  (apt-get update -qq || sudo apt-get update -qq) && \
	  (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3 || \
	   sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3); }
	@for b in benchmarks/bench_*.py; do echo "\n=== $$b ==="; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
