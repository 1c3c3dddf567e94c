# Two commands on a fresh machine with Python 3.11: `make serve` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: serve test test-virtuoso browser validate lint bench clean

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

# The browser tests (tests/test_browser.py) drive Debian's chromium, and Chinese text needs a CJK
# font: as root this installs both with apt-get when they are missing, elsewhere it says how.
browser:
	@if command -v chromium >/dev/null 2>&1 && fc-list :lang=zh family 2>/dev/null | grep -q .; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	else echo "browser tests: run 'sudo apt-get install chromium fonts-noto-cjk', or they are skipped"; fi

# Virtuoso, Debian's virtuoso-opensource (installed with apt-get when missing and we are root):
# `ipgraph push` into it (tests/test_push.py), and every test of the modules that run the site over
# several stores (their STORES) run over it instead (IPGRAPH_TEST_STORES, tests/conftest.py).
test-virtuoso: $(STAMP)
	@if command -v virtuoso-t >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource >/dev/null; \
	else echo "test-virtuoso: run 'sudo apt-get install virtuoso-opensource' first"; exit 1; fi
	IPGRAPH_TEST_STORES=virtuoso $(BIN)/python -m pytest -k virtuoso tests/test_push.py \
		$$(grep -l '^STORES = ' tests/test_*.py)

validate: $(STAMP)
	$(BIN)/ipgraph validate

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

# The site, `oxigraph serve-read-only` and rdflib-endpoint side by side on synthetic graphs of
# SCALES times the report (docs/benchmarks.md); 1,000x on request: make bench SCALES="1 10 100 1000".
# Load comes from Debian's wrk when it is installed (tried with apt-get when root), else from a
# Python generator. Results: bench/results/.
SCALES ?= 1 10 100
BENCH_SECONDS ?= 5

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null 2>&1; } \
		|| echo "bench: wrk is not installed; the Python load generator is used instead"
	$(BIN)/python bench/servers.py --scales $(SCALES) --seconds $(BENCH_SECONDS)

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .ruff_cache var
