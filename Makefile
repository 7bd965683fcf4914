# Entry points of Kurasi. `make demo` and `make test` work on a fresh machine with Python 3.11.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test bench lint format messages check-deploy

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The task worker lives exactly as long as the server: it is stopped by its own pid (not
# `kill 0`, which would also hit whatever script started make), and runs without the
# autoreloader, whose child process would outlive that kill.
demo: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Kurasi runs at http://127.0.0.1:8000 — log in as applicant1 / kurasi-demo (see README)"
	@echo "The task worker delivers e-mails (printed below by the console backend); Ctrl-C stops both."
	@$(PY) manage.py db_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Ratios on SQLite and PostgreSQL (DATABASE_URL, or a throw-away cluster); see docs/performance.md.
# BENCH_ARGS=--quick for small sizes, --only transition,pages,feed,export,photo,http for a subset.
bench: $(STAMP)
	$(PY) bench/run.py $(BENCH_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Needs GNU gettext (apt-get install gettext); the compiled .mo files are committed.
messages: $(STAMP)
	$(PY) manage.py makemessages -l id -l en --no-obsolete --ignore=.venv --ignore=tests
	$(PY) manage.py compilemessages --ignore=.venv

check-deploy: $(STAMP)
	DEBUG=false SECRET_KEY=check-only-$$(date +%s)-not-a-real-key-but-long-enough-for-django \
	  ALLOWED_HOSTS=kurasi.example $(PY) manage.py check --deploy --fail-level WARNING
