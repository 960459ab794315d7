# ISC Blueprint. `make run` starts the app; `make test` runs lint and the whole suite.
# Both create .venv (and install the project into it) when it is missing or out of date.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help run test lint bench load clean

help: ## Show the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

run: $(STAMP) ## Start the app on http://localhost:8501 (creates the demo workshop once)
	$(BIN)/isc serve

test: $(STAMP) ## Lint, then run every test (browser tests need Debian's chromium)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(STAMP) ## Lint only
	$(BIN)/ruff check .

bench: $(STAMP) ## Run the benchmarks and print their figures
	$(BIN)/python benchmarks/budget_import.py
	$(BIN)/python benchmarks/blueprint_export.py
	$(BIN)/python benchmarks/guidebook_search.py

load: $(STAMP) ## Run the workshop-hour load test (150 sessions; about 12 minutes)
	$(BIN)/python benchmarks/load_workshop.py

clean: ## Remove the virtual environment and caches (keeps data/)
	rm -rf $(VENV) .pytest_cache .ruff_cache
