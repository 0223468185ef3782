# dangbo: `make run` serves the demonstration, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev assets system-packages lint typecheck ci bench clean

run: install assets
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py demo_data --if-empty
	$(PY) manage.py serve_demo --host $(HOST) --port $(PORT)

# Stamp files make a second `make run` skip what is already installed.
$(VENV)/.stamp-runtime: requirements.txt
	@if command -v uv >/dev/null 2>&1; then \
		[ -x $(PY) ] || uv venv -q -p $(PYTHON) $(VENV); \
		uv pip install -q --python $(PY) -r requirements.txt; \
	else \
		[ -x $(PY) ] || $(PYTHON) -m venv $(VENV); \
		$(PY) -m pip install -q --upgrade pip; \
		$(PY) -m pip install -q -r requirements.txt; \
	fi
	@touch $@

$(VENV)/.stamp-dev: $(VENV)/.stamp-runtime requirements-dev.txt
	@if command -v uv >/dev/null 2>&1; then \
		uv pip install -q --python $(PY) -r requirements-dev.txt; \
	else \
		$(PY) -m pip install -q -r requirements-dev.txt; \
	fi
	@touch $@

install: $(VENV)/.stamp-runtime

install-dev: $(VENV)/.stamp-dev

node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

assets: node_modules/.stamp install
	$(PY) scripts/copy_assets.py

# Debian packages the tests need: chromium for browser tests (never a downloaded browser
# build), poppler-utils to read generated PDFs back, a complete Vietnamese TTF for PDFs.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	[ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null; \
	fi

test: install-dev assets system-packages
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install-dev
	$(VENV)/bin/mypy .

bench: install-dev
	$(PY) -m bench --size $(or $(SIZE),bloc)

clean:
	rm -rf $(VENV) node_modules static/dist staticfiles
