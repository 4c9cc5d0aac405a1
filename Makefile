# Two commands set everything up on a fresh Debian machine:
#   make run    the site with demo data on SQLite at http://127.0.0.1:8000
#   make test   the whole test suite (unit, PostgreSQL concurrency, browser journeys)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip -q --disable-pip-version-check
APPS := people notifications portal training attendance ledger declarations courses lectures assessments certificates reports
HOST ?= 127.0.0.1
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian packages: CJK fonts for PDFs, gettext for catalogues, Chromium for browser
# journeys, PostgreSQL for the locking tests, poppler for looking at PDFs, ffmpeg for
# transcoding lecture videos to HLS.
RUN_DEBS := fonts-noto-cjk gettext libpango-1.0-0 libpangoft2-1.0-0 ffmpeg
TEST_DEBS := $(RUN_DEBS) chromium postgresql poppler-utils

.PHONY: run test install install-test system-deps system-deps-test migrate demo messages \
	compile-messages check-messages lint serve prod-local prod-stop prod-status load capacity clean

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PIP) install -e ".[test]"
	@touch $@

# hls.js for the lecture player: a pinned tarball from the npm registry, checked against
# its sha512 integrity (scripts/fetch-hlsjs.py); the file is ignored by git.
HLSJS := lectures/static/lectures/vendor/hls.light.min.js
$(HLSJS): scripts/fetch-hlsjs.py
	@$(PYTHON) scripts/fetch-hlsjs.py $@

install: system-deps $(VENV)/.installed $(HLSJS)
install-test: system-deps-test $(VENV)/.installed-test $(HLSJS)

system-deps:
	@scripts/ensure-debs.sh $(RUN_DEBS)

system-deps-test:
	@scripts/ensure-debs.sh $(TEST_DEBS)

compile-messages: $(VENV)/.installed
	@for app in $(APPS) .; do \
	  (cd $$app && [ ! -d locale ] || $(CURDIR)/$(PY) $(CURDIR)/manage.py compilemessages -v0) || exit 1; \
	done

# Regenerate the catalogues after changing user-facing strings, then translate zh_Hans.
messages: $(VENV)/.installed
	@APPS="$(APPS)" scripts/messages.sh update

# Fails when code has strings without a Chinese translation, or msgids that two catalogues
# translate differently (Django lets the first app's win everywhere). Regenerates the
# catalogues in a copy of the checkout: the tree's own files are never written.
check-messages: $(VENV)/.installed
	@APPS="$(APPS)" scripts/messages.sh check

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	$(PY) manage.py seed_demo

run: install compile-messages demo
	@echo "Serving on http://$(HOST):$(PORT)/  (demo accounts: see README.md)"
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run -v0

# Each step is timed; scripts/test.sh prints the times at the end.
test:
	@mkdir -p var && rm -f var/test-times.txt
	@scripts/timed.sh var/test-times.txt install $(MAKE) --no-print-directory install-test
	@scripts/timed.sh var/test-times.txt lint $(MAKE) --no-print-directory lint
	@scripts/timed.sh var/test-times.txt messages \
	  $(MAKE) --no-print-directory check-messages compile-messages
	@LMS_TEST_TIMES=var/test-times.txt scripts/test.sh

# The production profile on this machine (PostgreSQL, gunicorn on 127.0.0.1:8010, a task
# worker, demo data) for load tests; see docs/deploy.md. `make prod-stop` stops it.
prod-local: install-test compile-messages
	@scripts/prod-local.sh start

prod-stop:
	@scripts/prod-local.sh stop

prod-status:
	@scripts/prod-local.sh status

# Load test against a running `make prod-local` (docs/benchmarks.md).
load:
	@scripts/load.sh

# The year-end rush in Locust against the production profile (started if it is not
# running): the floor and each hot path, then the mixed rush; one last line of figures.
capacity:
	@MAKE_CMD="$(MAKE) --no-print-directory" scripts/capacity.sh

clean:
	rm -rf $(VENV) var db.sqlite3 static_collected test-artifacts
