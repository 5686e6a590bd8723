# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-sqlite test-postgres lint bench install dev clean

# Regulars installed in .venv (re-done when pyproject.toml changes).
$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Regulars needs Python 3.11 or newer"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed
dev: $(VENV)/.dev-installed

# Migrate the SQLite database in ./var, build the demo store once, start web app + worker.
# E-mail is written to var/mail instead of sent, unless REGULARS_EMAIL_PROVIDER says otherwise.
run: install
	$(BIN)/regulars migrate --noinput
	$(BIN)/regulars demo --if-missing
	REGULARS_EMAIL_PROVIDER="$${REGULARS_EMAIL_PROVIDER:-file}" $(BIN)/regulars serve --host $(HOST) --port $(PORT)

lint: dev
	$(BIN)/ruff check regulars benchmarks tools
	$(BIN)/ruff format --check regulars benchmarks tools
	$(BIN)/lint-imports
	$(BIN)/regulars makemigrations --check --dry-run

# Every test, on SQLite and again on a throwaway PostgreSQL cluster, one test process per core
# (pytest-xdist; each process has its own test database).
test: lint test-sqlite test-postgres

test-sqlite: dev
	$(BIN)/pytest -n auto

test-postgres: dev
	$(BIN)/python tools/with_postgres.py $(BIN)/pytest -n auto

bench: dev
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) var benchmarks/.data
