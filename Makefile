# Two commands on a fresh machine with Python 3.11: `make serve` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: serve test validate lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/ipgraph build
	$(BIN)/ipgraph serve

test: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/python -m pytest

validate: $(STAMP)
	$(BIN)/ipgraph validate

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python bench/engines.py
	$(BIN)/python bench/endpoint.py

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .ruff_cache var
