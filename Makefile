# CASPA: `make demo` runs the app on SQLite with fictional data; `make test` runs every test
# against PostgreSQL and Redis. Both set up what they need on a fresh machine.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Links in the demo's e-mails lead to the port it serves on, unless told another address.
SITE_URL ?= http://127.0.0.1:$(PORT)
# The demo's one store: SQLite (sessions included); `make demo-reset` deletes it.
DEMO_DB := $(or $(SQLITE_PATH),var/caspa.sqlite3)
DEMO_ENV = DJANGO_ENV=demo SITE_URL=$(SITE_URL) SQLITE_PATH=$(DEMO_DB)
# Tests use PostgreSQL and Redis on this machine unless told otherwise.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/caspa
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
# The bad-input tests run a second time on SQLite (no DATABASE_URL), with a file of their own.
TEST_SQLITE_PATH ?= var/test-bad-input.sqlite3
# What that run prints, shown after the suite's report (both run at once).
TEST_SQLITE_LOG ?= var/test-bad-input.log
# The suite runs in this many processes, each with a test database of its own; the tests
# with a real Celery worker share one (their xdist_group), as two would share one queue.
TEST_WORKERS ?= 2

.PHONY: demo demo-reset demo-data test lint assets services chromium pdf-libs clean bench soak

# Each step says what it does. The Python packages, then the demo's database, are set up
# while npm builds the styles (two jobs: neither waits for the other).
demo: pdf-libs
	@$(MAKE) --no-print-directory -j2 demo-data assets
	@echo "CASPA demo on http://127.0.0.1:$(PORT)/  (Ctrl-C stops it)"
	@$(DEMO_ENV) $(BIN)/python manage.py runserver --noreload 127.0.0.1:$(PORT)

# Start again with fresh data: the demo keeps nothing but its database.
demo-reset:
	@echo "==> Deleting the demo's database ($(DEMO_DB)) to seed it afresh"
	@rm -f $(DEMO_DB) $(DEMO_DB)-journal $(DEMO_DB)-wal $(DEMO_DB)-shm
	@$(MAKE) --no-print-directory demo

demo-data: $(VENV)/.app
	@mkdir -p $(dir $(DEMO_DB))
	@echo "==> Migrating the demo database ($(DEMO_DB))"
	@$(DEMO_ENV) $(BIN)/python manage.py migrate --no-input -v 0
	@echo "==> Seeding fictional demo data (two years of the panel's story: the longest step, the first time)"
	@$(DEMO_ENV) $(BIN)/python manage.py seed_demo

# The bad-input tests on SQLite run at the same time as the suite on PostgreSQL, in a process
# of their own (the suite's workers wait on PostgreSQL, and one finishes before the other);
# what they print follows the suite's report, and either failing fails `make test`.
test: $(VENV)/.test assets chromium pdf-libs services
	@mkdir -p var
	@echo "==> The bad-input tests again on SQLite (its whole numbers stop at 64 bits), meanwhile"
	@DJANGO_ENV=test SQLITE_PATH=$(TEST_SQLITE_PATH) REDIS_URL=$(TEST_REDIS_URL) \
		$(BIN)/python -m pytest -m bad_input -p no:cacheprovider $(PYTEST_ARGS) \
		> $(TEST_SQLITE_LOG) 2>&1 & sqlite=$$!; \
	trap 'kill $$sqlite 2>/dev/null' INT TERM; \
	echo "DJANGO_ENV=test DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL)" \
		"$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)"; \
	DJANGO_ENV=test DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
		$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS); \
	postgres=$$?; wait $$sqlite; sqlite=$$?; \
	echo "==> The bad-input tests on SQLite ($(TEST_SQLITE_LOG))"; cat $(TEST_SQLITE_LOG); \
	[ $$postgres -eq 0 ] && [ $$sqlite -eq 0 ]

# The app at ten years under load (docs/benchmarks.md): a database of its own (caspa_bench)
# with the demo and a generated ten-year history, gunicorn with production's settings on
# 127.0.0.1, a Celery worker on Redis db 6, Locust with 50 users. BENCH_SCALE=10 generates ten
# times the history; BENCH_SECONDS is how long the load lasts after its warm-up.
bench: $(VENV)/.bench assets pdf-libs services
	$(BIN)/python -m benchmarks.run bench

# Not in `make test`: 10 minutes of the same load; zero 5xx and worker memory growth under 10%.
soak: $(VENV)/.bench assets pdf-libs services
	$(BIN)/python -m benchmarks.run soak

lint: $(VENV)/.test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# --- setting up ---------------------------------------------------------------------------
# uv installs the locked packages in seconds where pip takes a minute or more (pip compiles
# every module and fetches one file at a time), so the venv is made without pip and uv is
# fetched into it by this Python's own pip. pip is the fallback, put into the venv when first
# needed: if uv cannot be had or fails, and always with USE_UV=0.
USE_UV ?= 1
UV_VERSION ?= 0.13.9

# pip's own progress, one line a package it fetches (anything else it says, errors included,
# in full); the status is pip's. $(1): the pip to run; $(2): what to install.
pip_progress = { { $(1) install --progress-bar off $(2); } 2>&1; echo "pip-exit $$?"; } \
	| awk '/^pip-exit /{ code = $$2; next } \
		/^Collecting /{ print "    " $$2; fflush(); next } \
		/^Processing .*\.whl/{ n = split($$2, path, "/"); print "    " path[n]; fflush(); next } \
		/^ *(Downloading|Using cached|Requirement already satisfied|Installing collected|Successfully installed|Preparing metadata|Stored in|Created wheel|Looking in)/{ next } \
		/^WARNING: Location .* is ignored/{ next } \
		{ print; fflush() } END { exit code }'
venv_pip = { [ -x $(BIN)/pip ] || $(BIN)/python -m ensurepip --upgrade --default-pip >/dev/null; } \
	&& $(BIN)/python -m pip
pip_install = $(call pip_progress,$(venv_pip),$(1))
have_uv = [ "$(USE_UV)" = 1 ] && { [ -x $(BIN)/uv ] || { \
	echo "    fetching uv $(UV_VERSION), which installs the rest in seconds"; \
	$(call pip_progress,$(PYTHON) -m pip --python $(BIN)/python,--quiet uv==$(UV_VERSION)); }; }
install_lock = if $(have_uv); then \
	$(BIN)/uv pip install --python $(BIN)/python -r $(1) 2>&1 \
	|| { echo "    uv could not install them: pip will"; $(call pip_install,-r $(1)); }; \
	else $(call pip_install,-r $(1)); fi

$(VENV)/.created:
	@echo "==> Creating the virtual environment ($(VENV)/)"
	@$(PYTHON) -m venv --without-pip $(VENV)
	@touch $@

$(VENV)/.app: $(VENV)/.created requirements/app.lock
	@echo "==> Installing $(shell grep -c '==' requirements/app.lock) Python packages from requirements/app.lock (seconds with uv; a minute or more with pip)"
	@$(call install_lock,requirements/app.lock)
	@touch $@

$(VENV)/.test: $(VENV)/.app requirements/test.lock
	@echo "==> Installing the test packages from requirements/test.lock"
	@$(call install_lock,requirements/test.lock)
	@touch $@

# Locust, for `make bench` and `make soak` only.
$(VENV)/.bench: $(VENV)/.app requirements/bench.lock
	@echo "==> Installing the benchmark's packages from requirements/bench.lock (Locust)"
	@$(call install_lock,requirements/bench.lock)
	@touch $@

node_modules/.installed: package.json package-lock.json
	@echo "==> Installing the npm packages (GOV.UK Frontend, Chart.js, Sass)"
	@npm ci --no-audit --no-fund --loglevel=error --silent
	@touch $@

static/build/caspa.css: node_modules/.installed $(wildcard static/src/*.scss)
	@echo "==> Building the styles (static/build/caspa.css)"
	@npm run --silent build:css

# Chart.js's browser build, copied from its npm package (see package.json's build:charts).
static/build/chart.umd.min.js: node_modules/.installed
	@npm run --silent build:charts

assets: static/build/caspa.css static/build/chart.umd.min.js
	@:

chromium:
	@command -v chromium >/dev/null || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# WeasyPrint (the Board's PDF report) needs Pango and a font from Debian.
pdf-libs:
	@ldconfig -p | grep -q libpangoft2-1.0 && fc-list | grep -qi dejavu || { \
		echo "Installing Pango and a font for the PDF report"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; }

services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || { \
		echo "Starting PostgreSQL"; \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start; \
		for i in 1 2 3 4 5 6 7 8 9 10; do pg_isready -q -h 127.0.0.1 && break; sleep 1; done; }
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { \
		echo "Starting Redis"; \
		redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
			--dir /var/lib/redis --logfile /var/log/redis/ci.log; \
		for i in 1 2 3 4 5 6 7 8 9 10; do redis-cli ping >/dev/null 2>&1 && break; sleep 1; done; }

clean:
	rm -rf $(VENV) node_modules static/build var
