# Kinboard: `make run` starts it, `make test` runs every test, `make test-fast` the quick lane
# (no Redis, no browser, no server processes). All set themselves up.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CLIENT_SOURCES := $(shell find client/src client/scripts -type f 2>/dev/null) server/pictures.json
# The translators' catalogues; `make setup` compiles them (messages.mo and client.json beside each).
CATALOGUES := $(wildcard server/locale/*/LC_MESSAGES/messages.po)
# Two pytest workers (pytest-xdist): a module's tests together, every browser test together
# on one of them (tests/conftest.py, pytest_xdist_make_scheduler), in the order collected, so
# the browser tests start first and the other worker runs the rest meanwhile.
# `make test PYTEST_PARALLEL=` runs every test in one process instead.
PYTEST_PARALLEL ?= -n 2 --dist loadfile --no-loadscope-reorder

.PHONY: run test test-fast setup lint format clean messages

run: setup
	$(PY) -m server serve

test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	cd client && npm test --silent
	$(PY) -m pytest $(PYTEST_PARALLEL)

# Lint, the client's unit tests, the pure core, the store on SQLite and in-process HTTP.
test-fast: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	cd client && npm test --silent
	$(PY) -m pytest -q tests/unit tests/store tests/http -m "not redis and not browser and not slow"

setup: $(VENV)/.installed client/dist/.built server/locale/.compiled

# Every message of the code into server/locale/messages.pot and each language's .po (new
# and changed ones empty): then fill in their translations.
messages: $(VENV)/.installed
	$(PY) -m server.catalogues messages

server/locale/.compiled: $(VENV)/.installed $(CATALOGUES) server/catalogues.py server/i18n.py
	$(PY) -m server.catalogues compile
	touch $@

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Kinboard needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

client/node_modules/.installed: client/package.json client/package-lock.json
	cd client && npm ci --no-audit --no-fund
	touch $@

client/dist/.built: client/node_modules/.installed $(CLIENT_SOURCES)
	cd client && npm run build --silent
	touch $@

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format:
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) client/node_modules client/dist server/locale/.compiled \
		server/locale/*/LC_MESSAGES/messages.mo server/locale/*/LC_MESSAGES/client.json
