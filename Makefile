# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# Stamps make the second run fast: reinstall only when pyproject.toml changes.
BASE_STAMP := $(VENV)/.installed-base
DEV_STAMP := $(VENV)/.installed-dev
WORK ?= work/demo
# e.g. make demo DEMO_ARGS="--rounds 4 --strategy fedavg --wire-dtype int8" (or --resume)
DEMO_ARGS ?=

.PHONY: demo test install install-dev lint bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

# torch first and by exact version: it resolves to the local CPU wheel instead of a multi-GB CUDA build.
$(BASE_STAMP): pyproject.toml | $(PY)
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(PY)
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e ".[dev]"
	touch $@ $(BASE_STAMP)

install: $(BASE_STAMP)
install-dev: $(DEV_STAMP)

test: $(DEV_STAMP)
	$(PY) -m pytest -q

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .

demo: $(BASE_STAMP)
	$(VENV)/bin/medfl-server demo --work $(WORK) $(DEMO_ARGS)

clean:
	rm -rf work .pytest_cache
