# Two commands: `make run` and `make test`. Both set everything up on a fresh
# Debian machine with Python 3.11 (as root they also install the Debian
# libraries WeasyPrint and the translations need, when missing).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation gettext

.PHONY: run test setup system-deps python-deps node-deps messages migrate lint lock clean bench bench-search bench-assessments bench-reports bench-uploads bench-personnel

run: setup migrate
	DEBUG=1 $(PY) manage.py seed_demo --scale small --if-empty
	@echo "Demo logins (password DemoPortal@2026): quantri (admin), bantochuc, vanphong, bithu, kiemtra, dangvien"
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	$(VENV)/bin/pytest $(PYTEST_ARGS)

setup: system-deps python-deps node-deps messages

# Debian libraries for WeasyPrint (Pango) and msgfmt for the translations.
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "Missing Debian packages (install them as root):$$missing"; fi; \
	fi

python-deps: $(VENV)/.installed
$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@

# Recompile the locked requirements from the .in files: every package,
# transitive ones included, pinned with its hashes. pip-tools lives in its own
# venv, not in the project's; it resolves against PyPI only (this machine's pip
# configuration and local package directories are ignored) and the output
# names no index or local path. Versions already locked stay as they are unless
# asked, e.g. `make lock LOCK_ARGS="--upgrade-package kombu"` or LOCK_ARGS=--upgrade.
PIPTOOLS_VENV := $(VENV)/piptools
PIP_COMPILE := env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PIP_CONSTRAINT \
	PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND="make lock" $(PIPTOOLS_VENV)/bin/pip-compile \
	--quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)
lock:
	test -x $(PIPTOOLS_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(PIPTOOLS_VENV) && \
	  env -u PIP_FIND_LINKS PIP_CONFIG_FILE=/dev/null $(PIPTOOLS_VENV)/bin/pip install --quiet pip-tools==7.6.2; }
	$(PIP_COMPILE) --output-file=requirements.txt requirements.in
	$(PIP_COMPILE) --output-file=requirements-dev.txt requirements-dev.in

node-deps: node_modules/.package-lock.json
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages: python-deps
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

migrate: python-deps
	$(PY) manage.py migrate --no-input -v0

lint: python-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-logo

clean:
	rm -rf $(VENV) node_modules var

# Province-scale benchmark on the local PostgreSQL (drops and recreates portal_bench).
bench: setup
	DEBUG=1 $(PY) bench/province.py

# Review and classification: the province, then ten times it (portal_bench_province, portal_bench_province10).
bench-assessments: setup
	$(PY) bench/assessments.py --scale province
	$(PY) bench/assessments.py --scale province10 --repeat 9

# Provision search over 20,000 provisions on the local PostgreSQL (drops and recreates portal_bench_search).
bench-search: setup
	$(PY) bench/regulations_search.py

# Printed reports at province scale: one form, a batch of about 1,000 forms (batched and not, one and two
# workers on Redis db 8), the provincial summary (drops and recreates portal_bench_reports).
bench-reports: setup
	$(PY) bench/reports.py

# Upload bombs against the three imports, and a legitimate member list: time, CPU and memory of each (no database).
bench-uploads: setup
	$(PY) bench/uploads.py

# The responsibility ledger: 20,000 nominations and 200,000 entries, appends under the head's lock, verifying
# 200,000 and 1,000,000 entries (time and memory) (drops and recreates portal_bench_personnel).
bench-personnel: setup
	$(PY) bench/personnel.py
