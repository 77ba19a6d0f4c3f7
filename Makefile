# Two commands set everything up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
export HOST PORT

.PHONY: install run serve test lint typecheck browser office pdf redis db clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

db: install
	$(FLASK) db upgrade
	$(FLASK) demo load

## run: set up, migrate, load the demo the first time, start the web app and the reminder scheduler
run: db
	@$(FLASK) demo logins
	@echo "Waymark is starting on http://$(HOST):$(PORT) (Ctrl+C stops the web app, the scheduler and the job worker)"
	@$(FLASK) reminders run & scheduler=$$!; $(FLASK) jobs work & worker=$$!; \
	  trap 'kill -TERM $$scheduler $$worker 2>/dev/null; wait $$scheduler $$worker; exit 0' INT TERM; \
	  $(FLASK) run --host $(HOST) --port $(PORT); \
	  kill -TERM $$scheduler $$worker 2>/dev/null; wait $$scheduler $$worker

## serve: production: migrate, then gunicorn (settings in gunicorn.conf.py), exactly one scheduler, one job worker
serve: install
	$(FLASK) db upgrade
	@export LOG_FORMAT=$${LOG_FORMAT:-json} REMINDERS_RUN_ON_START=$${REMINDERS_RUN_ON_START:-1}; \
	  $(FLASK) reminders run & scheduler=$$!; $(FLASK) jobs work & worker=$$!; \
	  $(VENV)/bin/gunicorn --config gunicorn.conf.py wsgi:app & web=$$!; \
	  trap 'kill -TERM $$web $$scheduler $$worker 2>/dev/null; wait; exit 0' INT TERM; \
	  wait $$web; kill -TERM $$scheduler $$worker 2>/dev/null; wait $$scheduler $$worker

## browser: Debian's chromium for the browser tests, installed when absent
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

## redis: redis-server for the tests that start their own Redis (readiness, two machines), installed when absent
redis:
	@command -v redis-server >/dev/null 2>&1 || { \
	  echo "Installing redis-server for the Redis tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    redis-server >/dev/null; }

## office: LibreOffice Calc (headless) for the spreadsheet tests, installed when absent
office:
	@command -v libreoffice >/dev/null 2>&1 || { \
	  echo "Installing LibreOffice Calc for the spreadsheet tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    libreoffice-calc-nogui >/dev/null; }

## pdf: pango and fonts for WeasyPrint's PDFs, and poppler's pdftotext/pdftoppm for looking at them
pdf:
	@ldconfig -p | grep -q libpangoft2-1.0 && command -v pdftotext >/dev/null 2>&1 || { \
	  echo "Installing pango, fonts and poppler-utils for the PDFs"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation fonts-dejavu-core poppler-utils >/dev/null; }

lint: install
	$(VENV)/bin/ruff check .

## typecheck: mypy over the domain, services, reminders and reports (configured in pyproject.toml)
typecheck: install
	$(VENV)/bin/mypy

## test: lint, type check, then the whole suite (SQLite, and PostgreSQL too when TEST_DATABASE_URL is set)
test: install browser office pdf redis lint typecheck
	$(PY) -m pytest -n auto --dist worksteal

clean:
	rm -rf $(VENV) node_modules instance/waymark.db*
