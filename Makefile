# The two commands of the README: `make demo` and `make test`. Each does its own set-up.
# The transcribe extra is installed too, so the speech-recognition tests always run.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: setup demo test lint serve bench clean messages

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "clipper needs Python 3.11 or newer"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || \
		{ echo "could not create a virtualenv: on Debian/Ubuntu run: sudo apt install python3-venv"; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,transcribe]'
	@touch $(STAMP)

demo: setup
	$(VENV)/bin/clipper demo

test: setup
	@sh scripts/ensure-chromium
	@sh scripts/ensure-nginx
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
	$(PY) bench/transcribe_quality.py
	$(PY) bench/search_index.py

clean:
	rm -rf site .site.* .clipper-cache build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache

# The German catalog: extract every _()/N_() text (and the commands' docstrings) into
# clipper.pot, merge it into the de .po (translate what is new or fuzzy there), compile .mo.
BABEL := $(VENV)/bin/pybabel
POT := clipper/locale/clipper.pot
messages: setup
	PYTHONPATH=. $(BABEL) extract -F babel.cfg -k N_ -k ngettext:1,2 --sort-by-file --add-location=file \
		--no-wrap --project clipper -o $(POT) .
	$(BABEL) update -i $(POT) -d clipper/locale -D clipper -l de --no-wrap --ignore-obsolete
	$(BABEL) compile -d clipper/locale -D clipper --statistics
