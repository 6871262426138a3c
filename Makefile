# The two commands of the README: `make demo` and `make test`. Each does its own set-up.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: setup demo test lint serve bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "clipper needs Python 3.11 or newer"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || \
		{ echo "could not create a virtualenv: on Debian/Ubuntu run: sudo apt install python3-venv"; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

demo: setup
	$(VENV)/bin/clipper demo

test: setup
	@sh scripts/ensure-chromium
	$(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check clipper tests bench
	$(VENV)/bin/ruff format --check clipper tests bench
	$(VENV)/bin/mypy clipper

serve: setup
	$(VENV)/bin/clipper serve

bench: setup
	$(PY) bench/cut_scaling.py
	$(PY) bench/smart_cut.py
	$(PY) bench/webvtt_conformance.py
	$(PY) bench/search_index.py

clean:
	rm -rf site .site.* .clipper-cache build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
