# make serve | make build | make test — each installs what it needs first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SUDO   := $(shell [ "$$(id -u)" = 0 ] && echo "" || (command -v sudo >/dev/null && echo sudo))
CHROMIUM ?= /usr/bin/chromium

.PHONY: setup serve build test lint bench clean graphviz chromium zensical-next

setup: $(STAMP) graphviz zensical-next

# The `zensical` extra takes Zensical >=0.0.73,<0.2; the venv pins 0.0.73 (what resolves here without
# zensical-ui, which this index does not serve), and `zensical-next` adds 0.1.x beside it for the tests.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,zensical]' 'zensical==0.0.73'
	touch $(STAMP)

# Zensical 0.1.x beside the 0.0.73 of the `zensical` extra, for the tests (.cache/zensical-next; reused).
zensical-next: $(STAMP)
	$(BIN)/python tests/zensical_next.py

# Graphviz's `dot` is a system program: install Debian's package when we can.
graphviz:
	@command -v dot >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1 && { [ "$$(id -u)" = 0 ] || command -v sudo >/dev/null 2>&1; }; then \
	    echo "Installing Graphviz (Debian package graphviz)…"; \
	    $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz fonts-dejavu-core >/dev/null; \
	  else \
	    echo "Graphviz is missing: install it with 'apt install graphviz', 'brew install graphviz' or 'choco install graphviz', then run make again."; exit 1; \
	  fi; }

# Browser tests drive Debian's Chromium; Playwright's own browser download cannot work offline.
chromium:
	@[ -x $(CHROMIUM) ] || { \
	  if command -v apt-get >/dev/null 2>&1 && { [ "$$(id -u)" = 0 ] || command -v sudo >/dev/null 2>&1; }; then \
	    echo "Installing Chromium (Debian package chromium)…"; \
	    $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing at $(CHROMIUM): browser tests will be skipped (apt install chromium)."; \
	  fi; }

serve: setup
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: setup
	$(BIN)/mkdocs build --strict

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: setup chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2 --dist loadgroup

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf site .cache .pytest_cache
