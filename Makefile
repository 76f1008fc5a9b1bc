# Fieldline: `make run` serves a demo on SQLite; `make test` runs the whole suite.
SHELL := /bin/bash
# The first Python >= 3.11 found (any newer one works too): `make venv PYTHON=python3.13` to choose.
PYTHON ?= $(shell for p in python3.11 python3.12 python3.13 python3.14 python3; do command -v $$p >/dev/null && { echo $$p; break; }; done)
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
UV_VERSION := 0.13.8
UV := $(VENV)/bin/uv
SYSTEM_PACKAGES := tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim fonts-noto-cjk fonts-dejavu-core fonts-wqy-zenhei fonts-wqy-microhei fonts-arphic-ukai fonts-arphic-uming fonts-liberation fonts-freefont-ttf chromium nginx openssl
DATABASE_URL ?= sqlite://fieldline.db
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Processes the suite runs in (pytest-xdist): one per core of the 2-core machines CI runs on.
PYTEST_WORKERS ?= 2
PACKAGES := fieldline server realtime mobile_api notifications schedulers ocr
BENCH_ARGS ?=
CHAOS_SECONDS ?= 60
LOCAL_POSTGRES := postgres://postgres@127.0.0.1:5432/test

# Strict type checking of our packages (pyproject [tool.mypy]); `make test` runs it first.
.PHONY: typecheck
typecheck: venv
	$(PY) -m mypy

.PHONY: run test chaos system-deps venv migrate demo bench clean screenshots

# Debian and Ubuntu: apt-get installs what is missing. Elsewhere: say what to install, install nothing.
system-deps:
	@if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then \
	  missing=""; for tool in tesseract nginx openssl; do command -v $$tool >/dev/null 2>&1 || missing="$$missing $$tool"; done; \
	  tesseract --list-langs 2>/dev/null | grep -qx chi_sim || missing="$$missing tesseract-language-chi_sim"; \
	  if [ -n "$$missing" ]; then \
	    echo "This system has no apt-get; install these yourself, then run make again:$$missing"; \
	    echo "  macOS (Homebrew): brew install tesseract tesseract-lang nginx openssl, and a CJK font (Noto Sans CJK)"; \
	    echo "  (Debian packages, for reference: $(SYSTEM_PACKAGES))"; \
	    exit 1; \
	  fi; \
	  exit 0; \
	fi; \
	missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  if [ -n "$$SUDO" ] && ! command -v sudo >/dev/null 2>&1; then \
	    echo "As root, run: apt-get install$$missing"; exit 1; \
	  fi; \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing; \
	fi

# .venv from uv.lock (uv itself pinned, from PyPI). A lock that no longer matches
# pyproject.toml stops here: run `.venv/bin/uv lock` and commit uv.lock (README).
$(STAMP): pyproject.toml uv.lock
	@[ -n "$(PYTHON)" ] && command -v $(PYTHON) >/dev/null || { echo "Fieldline needs Python 3.11 or newer (python3.11 … python3.14); none found"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Fieldline needs Python >= 3.11; $(PYTHON) is $$($(PYTHON) -V 2>&1)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q "uv==$(UV_VERSION)"
	@$(UV) lock --check -q 2>/dev/null || { echo "uv.lock is out of date with pyproject.toml: run '$(UV) lock' and commit uv.lock"; exit 1; }
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --inexact --extra test --compile-bytecode --python $(PY) -q
	@touch $(STAMP)

venv: $(STAMP)

migrate: venv
	DATABASE_URL=$(DATABASE_URL) $(VENV)/bin/fieldline migrate

demo: migrate
	DATABASE_URL=$(DATABASE_URL) $(VENV)/bin/fieldline demo

run: system-deps demo
	@echo ""
	@echo "Fieldline web app:  http://$(HOST):$(PORT)/app   (API: /api/v1, socket: /ws, docs: /api/v1/docs)"
	@echo "Demo logins (password fieldline-demo):  manager wang.jl (王经理) · reps zhang.wei (张伟), li.na (李娜) · admin admin"
	@echo "Open it twice (a normal and a private window) to be a rep and the manager at once."
	@echo ""
	DATABASE_URL=$(DATABASE_URL) $(VENV)/bin/fieldline serve --host $(HOST) --port $(PORT)

# The type check first (its errors fail the target), then the suite in PYTEST_WORKERS
# processes (pytest-xdist; 0 runs it in this one); pytest's exit code is make's, so
# "no tests ran" (exit 5) fails too. Our modules are compiled first: every test server
# process imports them, and reads the bytecode even under PYTHONDONTWRITEBYTECODE.
test: system-deps venv typecheck
	$(PY) -m compileall -q -j 0 $(PACKAGES) tests
	$(PY) -m pytest -q -p no:cacheprovider -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# The long chaos run (the suite runs a 12-second one): CHAOS_SECONDS=300 make chaos
chaos: system-deps venv
	FIELDLINE_CHAOS_POSTGRES_URL=$${FIELDLINE_CHAOS_POSTGRES_URL:-$(LOCAL_POSTGRES)} \
	  $(PY) bench/chaos.py --seconds $(CHAOS_SECONDS)

bench: system-deps venv
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --inexact --extra test --extra bench --compile-bytecode --python $(PY) -q
	FIELDLINE_BENCH_POSTGRES_URL=$${FIELDLINE_BENCH_POSTGRES_URL:-$(LOCAL_POSTGRES)} $(PY) bench/run_all.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) fieldline.db fieldline.db-* outbox uploads

# PNGs of the main screens (phone and desktop) for the README, from a fresh demo.
screenshots: system-deps venv
	$(PY) -m tests.web.screenshots
