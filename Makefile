# kcn-party: `make run` serves the API, `make test` runs the checks. Needs Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint typecheck migrate demo bench fuzz clients clean

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

# The clients integrators generate, type-checked (clients/): the Python client
# (openapi-python-client) under mypy --strict, TypeScript types (openapi-typescript, default
# options) under tsc --strict, and redocly lint with 0 warnings. Needs node and npm.
CLIENTS := build/clients
clients: $(VENV)/.installed-dev
	rm -rf $(CLIENTS) && mkdir -p $(CLIENTS)/python
	$(BIN)/kcn-party openapi --output $(CLIENTS)/openapi.json
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/openapi-python-client generate --meta none \
		--path $(CLIENTS)/openapi.json --config clients/openapi-python-client.yaml \
		--output-path $(CLIENTS)/python/kcn_party_client
	MYPYPATH=$(CLIENTS)/python $(BIN)/mypy --strict --follow-imports=silent clients/usage.py
	cd clients && npm ci --no-audit --no-fund --loglevel=error
	cd clients && npx --no-install openapi-typescript ../$(CLIENTS)/openapi.json \
		--output ../$(CLIENTS)/kcn-party.d.ts
	cd clients && npx --no-install tsc --project tsconfig.json
	cd clients && REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
		npx --no-install redocly lint ../$(CLIENTS)/openapi.json --config redocly.yaml \
		--max-problems 50

bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench.registry
	$(BIN)/python -m bench.campaign_pipeline
	$(BIN)/python -m bench.reports
	$(BIN)/python -m bench.audit
	$(BIN)/python -m bench.throughput
	$(BIN)/python -m bench.logins

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
