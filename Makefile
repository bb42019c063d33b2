# The two README commands: `make run` and `make test`. Everything else is a step of those.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# pytest-xdist workers: the CPUs of a 2-core machine (4 made CI's PostgreSQL pass slower:
# 9 min 24 s against 7 min 57 s).
WORKERS ?= 2

.PHONY: run test install lint typecheck unit bench clean

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "needs $(PYTHON)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Set up and start Assay with demo data on SQLite at http://127.0.0.1:8000 (gunicorn: docs/deploy.md)
run: install
	ASSAY_TODAY=$${ASSAY_TODAY:-2013-03-01} $(BIN)/assay demo
# The background worker (docs/jobs.md) runs beside the server and stops with it; no nightly jobs,
# so the demo's registrations due to expire stay as they are.
	ASSAY_TODAY=$${ASSAY_TODAY:-2013-03-01} sh -c '$(BIN)/assay worker & \
	  worker=$$!; trap "kill $$worker" EXIT INT TERM; $(BIN)/assay serve --addr 127.0.0.1:8000'

## Set up and run every check and test (lint, format, types, architecture, pytest)
test: install lint typecheck unit

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy assay

unit: install
	$(BIN)/python -m pytest -n $(WORKERS) --dist worksteal $(PYTEST_ARGS)

bench: install
	$(BIN)/assay bench rules --plans 1000000

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache .hypothesis
