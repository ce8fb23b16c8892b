# Two entry points for newcomers: `make demo` and `make test`. Both set up .venv by themselves.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: setup demo test lint typecheck check bench clean

$(BIN)/schoon: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(BIN)/schoon

setup: $(BIN)/schoon

DEMO := examples/voorbeeldzaken

demo: setup
	$(BIN)/schoon identify $(DEMO)/register.csv $(DEMO)/camera-vlan.xml $(DEMO)/inkoop.csv --only-flagged

test: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check src tests benchmarks

typecheck: setup
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build *.egg-info
