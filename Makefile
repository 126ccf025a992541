# The two set-up commands of the README: `make run` and `make test`.
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3

.PHONY: run test system-deps

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

# The whole test suite (browser tests included; Chromium is installed when missing).
test: $(BIN)/.installed system-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)
