# Fieldline: `make run` serves a demo on SQLite; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SYSTEM_PACKAGES := tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim fonts-noto-cjk fonts-dejavu-core chromium nginx openssl
DATABASE_URL ?= sqlite://fieldline.db
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
BENCH_ARGS ?=
CHAOS_SECONDS ?= 60
LOCAL_POSTGRES := postgres://postgres@127.0.0.1:5432/test

.PHONY: run test chaos system-deps venv migrate demo bench clean

system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing; \
	fi

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Fieldline needs $(PYTHON)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[test]" --config-settings editable_mode=compat
	@touch $(STAMP)

venv: $(STAMP)

migrate: venv
	DATABASE_URL=$(DATABASE_URL) $(VENV)/bin/fieldline migrate

demo: migrate
	DATABASE_URL=$(DATABASE_URL) $(VENV)/bin/fieldline demo

run: system-deps demo
	@echo ""
	@echo "Fieldline web app:  http://$(HOST):$(PORT)/app   (API: /api/v1, socket: /ws, docs: /api/v1/openapi.json)"
	@echo "Demo logins (password fieldline-demo):  manager wang.jl (王经理) · reps zhang.wei (张伟), li.na (李娜) · admin admin"
	@echo "Open it twice (a normal and a private window) to be a rep and the manager at once."
	@echo ""
	DATABASE_URL=$(DATABASE_URL) $(VENV)/bin/fieldline serve --host $(HOST) --port $(PORT)

test: system-deps venv
	$(PY) -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

# The long chaos run (the suite runs a 12-second one): CHAOS_SECONDS=300 make chaos
chaos: system-deps venv
	FIELDLINE_CHAOS_POSTGRES_URL=$${FIELDLINE_CHAOS_POSTGRES_URL:-$(LOCAL_POSTGRES)} \
	  $(PY) bench/chaos.py --seconds $(CHAOS_SECONDS)

bench: system-deps venv
	$(PY) -m pip install -q -e ".[test,bench]" --config-settings editable_mode=compat
	FIELDLINE_BENCH_POSTGRES_URL=$${FIELDLINE_BENCH_POSTGRES_URL:-$(LOCAL_POSTGRES)} $(PY) bench/run_all.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) fieldline.db fieldline.db-* outbox uploads
