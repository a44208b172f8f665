# Newsroom: `make run` serves the demo newsroom, `make test` runs the whole suite.
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium

.PHONY: install checkers run demo migrate test lint format worker serve serve-edge clean bench-data bench bench-edge css audit

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

# --- Front end (issue 8) ----------------------------------------------------------------
# make css: compile static/scss/site.scss (trimmed Bootstrap + the site's styles) into
# static/dist/site.css. The built file is committed, so serving needs no Node; make test
# rebuilds it from its sources. collectstatic fingerprints and compresses it.
SASS := node_modules/.bin/sass --load-path=node_modules --no-source-map --style=compressed \
	--quiet-deps --silence-deprecation=import,global-builtin,color-functions

static/dist/site.css: static/scss/site.scss node_modules/.installed
	$(SASS) static/scss/site.scss $@

css: static/dist/site.css

# make audit: Lighthouse 12, the Nu checker and axe-core (light and dark) against the demo
# newsroom served by gunicorn with DEBUG off on a free loopback port; prints the figures.
audit: install checkers css
	$(PY) tools/audit.py

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

# The task worker (emails: moderation, replies, "your article is live") runs beside the
# server, and their links point at this server: Ctrl-C stops both.
run: demo
	SITE_URL=http://127.0.0.1:$(PORT) $(PY) manage.py run_with_worker 127.0.0.1:$(PORT)

worker: migrate
	$(PY) manage.py db_worker

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: install checkers css
	@test -x $(CHROMIUM) || echo "Chromium is missing: browser tests will be skipped. Install it with 'apt-get install chromium' (Debian's package); CI installs it and fails without it."
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# --- Production topology (issue 6) ------------------------------------------------------
# make serve: gunicorn with production settings (DEBUG off) on 127.0.0.1:$(PORT).
# Without DJANGO_SECRET_KEY it uses .local-secret-key, generated once for THIS machine only.
LOCAL_SECRET := .local-secret-key
SERVE_ENV = DJANGO_DEBUG=0 PORT=$(PORT) \
	DJANGO_SECURE_SSL_REDIRECT=$${DJANGO_SECURE_SSL_REDIRECT:-0} \
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat $(LOCAL_SECRET))}"

$(LOCAL_SECRET):
	@umask 077 && $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	@echo "Generated $@: a secret for serving on this machine only. Production sets DJANGO_SECRET_KEY."

serve: migrate $(LOCAL_SECRET)
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput -v0
	$(SERVE_ENV) $(VENV)/bin/gunicorn -c newsroom/gunicorn_conf.py

# make serve-edge: Varnish (deploy/varnish/newsroom.vcl) on 127.0.0.1:$(PORT) in front of
# the same gunicorn on another loopback port, with the task worker that purges the edge;
# one Ctrl-C stops all three. Needs Debian's varnish and varnish-modules (xkey).
serve-edge: migrate $(LOCAL_SECRET)
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput -v0
	$(SERVE_ENV) $(PY) tools/serve_edge.py

# make bench-data / make bench: by hand on PostgreSQL + Redis, never in CI (see README).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/newsroom_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/9
BENCH_ARTICLES ?= 10000
BENCH_COMMENTS ?= 1000000
# The peers: django-comments-xtd (bench/peers/xtd, its own virtualenv, made by the runner) and,
# where Debian's wordpress, php and MariaDB are installed, WordPress (its MariaDB database).
XTD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/xtd_bench
WP_BENCH_DB ?= wp_bench
BENCH_ENV = DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) \
	XTD_DATABASE_URL=$(XTD_DATABASE_URL) WP_BENCH_DB=$(WP_BENCH_DB)

bench-data: install
	$(BENCH_ENV) $(PY) bench/createdb.py
	$(BENCH_ENV) $(PY) manage.py migrate --noinput -v0
	$(BENCH_ENV) $(PY) bench/generate.py --articles $(BENCH_ARTICLES) --comments $(BENCH_COMMENTS)

bench: install
	$(BENCH_ENV) $(PY) manage.py migrate --noinput -v0  # data made before a new migration
	$(BENCH_ENV) $(PY) bench/run.py $(BENCH_ARGS)

# make bench-edge: only the edge rows (Varnish beside nginx, approval-to-edge latency) on a
# throwaway SQLite demo newsroom; `make bench` measures them too, on the bench data.
bench-edge: install
	env -u DATABASE_URL -u REDIS_URL $(PY) bench/edge.py $(BENCH_ARGS)
