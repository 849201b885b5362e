# Common Ground. `make demo` and `make test` set everything up on a fresh machine.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: install browser migrate demo load-demo serve test test-sqlite test-postgres lint format bench eval train-model clean

$(VENV)/.installed: requirements/lock.txt requirements/no-deps.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/lock.txt
	$(PY) -m pip install --quiet --no-deps -r requirements/no-deps.txt
	touch $@

install: $(VENV)/.installed

# Browser tests use Debian's Chromium (never a downloaded browser build).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

migrate: install
	$(MANAGE) migrate --verbosity 0

load-demo: migrate
	$(MANAGE) load_demo

serve: install
	$(MANAGE) runserver $(HOST):$(PORT)

demo: load-demo
	$(MANAGE) collectstatic --noinput --verbosity 0
	@echo "Common Ground is serving Trafford's atlas on http://$(HOST):$(PORT)/"
	$(MANAGE) runserver $(HOST):$(PORT)

# The whole suite on SQLite and, when DATABASE_URL is given, on PostgreSQL (ADR 0003), the two
# at the same time; each log is printed when both have ended, and either failing fails (ADR 0027).
test: install browser
	@PY=$(PY) scripts/test_both.sh

test-sqlite: install
	env -u DATABASE_URL $(PY) -m pytest

test-postgres: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	PYTHONPATH=src $(VENV)/bin/lint-imports
	$(PY) scripts/check_sizes.py
	@# Known vulnerabilities fail; an advisory service that cannot be reached (an offline
	@# mirror) is reported and does not.
	@out=$$($(VENV)/bin/pip-audit --progress-spinner off -r requirements/lock.txt \
	  -r requirements/no-deps.txt --disable-pip \
	  --no-deps 2>&1); status=$$?; echo "$$out"; \
	if [ $$status -ne 0 ] && ! echo "$$out" | grep -q "known vulnerabilit"; then \
	  echo "pip-audit: the advisory service could not be reached; dependencies not audited"; \
	  status=0; fi; exit $$status

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	$(PY) -m bench

# Articulation analysis (trained model beside the lexicon alone) by split and by register, with
# calibration error and a learning curve; only the frozen test split is held out (ADR 0022).
# Exits 1 if a test-split target is missed.
eval: install
	PYTHONPATH=src $(PY) -m commonground.engagement.analysis.evaluation --learning-curve

# Train the articulation model from the corpus (never its test split); commit the artefact.
train-model: install
	$(MANAGE) train_articulation_model

clean:
	rm -rf $(VENV) var

# Production: gunicorn with settings.production, after migrate and collectstatic (static files
# served by WhiteNoise, compressed, hashed names). Needs DJANGO_SECRET_KEY,
# DJANGO_ALLOWED_HOSTS and DATABASE_URL in the environment: see docs/operations.md.
.PHONY: serve-production backup restore
serve-production: install
	HOST=$(HOST) PORT=$(PORT) $(PY) scripts/ops/serve_production.py

# Back up / restore the database DATABASE_URL names (pg_dump custom format for PostgreSQL,
# SQLite's online backup API for the embedded database). FILE= the backup file.
BACKUP_FILE ?= var/backups/commonground-$(shell date +%Y%m%d-%H%M%S).backup
backup: install
	$(PY) scripts/ops/database.py backup $(or $(FILE),$(BACKUP_FILE))

restore: install
	@test -n "$(FILE)" || { echo "make restore FILE=path/to/backup"; exit 2; }
	$(PY) scripts/ops/database.py restore $(FILE)
