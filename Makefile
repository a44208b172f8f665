# Newsroom: `make run` serves the demo newsroom, `make test` runs the whole suite.
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium

.PHONY: install checkers run demo migrate test lint format worker serve clean

$(VENV)/.installed: requirements.txt build-constraints.txt
	@test -x $(PY) || { PYBIN=$$(sh .ci/find-python) && echo "Creating $(VENV) with $$PYBIN" && $$PYBIN -m venv $(VENV); }
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { echo "$(VENV) is older than Python 3.12: remove it (rm -rf $(VENV)) and run make again."; exit 1; }
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet --build-constraint build-constraints.txt -r requirements.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js (Debian: apt-get install nodejs npm); the page checkers need it."; exit 1; }
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

install: $(VENV)/.installed

checkers: node_modules/.installed

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

worker: migrate
	$(PY) manage.py db_worker

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: install checkers
	@test -x $(CHROMIUM) || echo "Chromium is missing: browser tests will be skipped. Install it with 'apt-get install chromium' (Debian's package); CI installs it and fails without it."
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
