# The set-up commands of the README: `make run`, `make test`, and `make serve`
# for production.
VENV ?= .venv
BIN := $(VENV)/bin
# The virtualenv's interpreter: the distribution's own Python 3.11 when it can
# make one (Debian's is built with profile-guided and link-time optimisation:
# statement PDFs took 10-20 % less CPU than on a plain source build such as
# pyenv's default, README "Benchmarks"), else the python3 on PATH.
SYSTEM_PYTHON := $(shell /usr/bin/python3.11 -c 'import ensurepip, venv' 2>/dev/null && echo /usr/bin/python3.11)
PYTHON ?= $(or $(SYSTEM_PYTHON),python3)

.PHONY: run serve test system-deps

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,pg]'
	touch $@

system-deps:
	bash .ci/system-deps

# Install, prepare the database, load the demo when empty, start the task
# worker (batch statement PDFs) in the background, serve on 127.0.0.1:5000;
# the worker is stopped when the server stops.
run: $(BIN)/.installed
	$(BIN)/flask --app coop init
	$(BIN)/flask --app coop demo --if-empty
	$(BIN)/flask --app coop worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/flask --app coop run --host 127.0.0.1 --port 5000

# Production (README "Serve"): refuse without SECRET_KEY and COOP_PUBLIC_URL
# (saying which is missing), create or upgrade the database, start the task
# worker in the background and gunicorn (settings: coop/gunicorn_conf.py) on
# COOP_BIND (default 127.0.0.1:8000). SIGTERM to the process group stops
# gunicorn gracefully and the worker (a batch cut short is drawn again at its
# next start); deploy/ runs the two as systemd services instead.
serve: $(BIN)/.installed
	$(BIN)/flask --app coop preflight
	$(BIN)/flask --app coop worker & worker=$$!; \
	trap 'kill -INT $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/gunicorn -c python:coop.gunicorn_conf 'coop:create_app()'

# The whole test suite (browser tests included; Chromium is installed when
# missing), in one worker per core (pytest-xdist; a test file stays in one
# worker, and each worker has its own database); the longest files first
# (the order tests/conftest.py gives them); the 30 slowest tests are listed at
# the end, so that a CI log shows where its time went.
PYTEST_ARGS ?= -n auto --dist loadfile --no-loadscope-reorder --durations=30
test: $(BIN)/.installed system-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)
