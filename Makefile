# The two commands of the README: `make demo` (chat with the bot in this terminal) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Test processes: one per core (`make test PYTEST_WORKERS=0` runs in this process, for pdb).
PYTEST_WORKERS ?= auto

.PHONY: demo test test-postgres lint pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/sales-coach demo

test: lint pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

pytest: $(VENV)/.installed-test
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# The test suite on PostgreSQL: on the server TEST_DATABASE_URL names, or else on a throwaway
# server that .ci/postgres.sh starts in a temporary folder and removes afterwards.
test-postgres: $(VENV)/.installed-test
	@if [ -n "$$TEST_DATABASE_URL" ]; then $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS); \
	else .ci/postgres.sh run $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS); fi

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench.updates

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
