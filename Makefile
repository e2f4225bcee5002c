# Two commands for a newcomer: `make run` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run serve test lint bench loadtest demo backup restore clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install only when pyproject.toml changes, so `make test` stays quick.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_content
	$(BIN)/python manage.py create_demo_accounts
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# The production configuration: DEBUG off, gunicorn, whitenoise's compressed hashed static
# files. Needs SECRET_KEY (50+ random characters), ALLOWED_HOSTS and DATABASE_URL.
# Put nginx in front (slow clients otherwise hold gunicorn's threads; see README):
#   .venv/bin/python -m quiz.deploy.nginx --listen 80 --upstream 127.0.0.1:8000 \
#       > /etc/nginx/sites-enabled/quiz && nginx -s reload
serve: install
	DEBUG=false $(BIN)/python manage.py collectstatic --noinput -v0
	DEBUG=false $(BIN)/python manage.py migrate --noinput
	DEBUG=false $(BIN)/gunicorn -c quiz/gunicorn.py quiz.wsgi

test: install
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Building a paper (content), then the dashboards at scale (needs `make demo` data with a
# heavy student: DEMO_ARGS="--students 1000 --attempts 42200 --heavy-answers 50000").
bench: install
	$(BIN)/python manage.py bench_paper
	$(BIN)/python -m tests.perf bench_dashboard $(BENCH_ARGS)

# Realistic demo activity (students with a hidden skill) for charts and item statistics.
DEMO_ARGS ?= --students 50 --attempts 500
demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_content
	$(BIN)/python manage.py create_demo_accounts
	$(BIN)/python -m tests.demo $(DEMO_ARGS)

# Load test of a live mock test against nginx + gunicorn + PostgreSQL on 127.0.0.1 (see
# README); LOADTEST_ARGS="--no-nginx" for bare gunicorn, "--slow-clients 40" for the
# slow-client demonstration (bare gunicorn vs through nginx), "--nodes 2" for two app nodes
# behind nginx's round robin. LOADTEST_DB=sqlite:////tmp/loadtest.sqlite3 for SQLite.
LOADTEST_DB ?= postgres://postgres@127.0.0.1:5432/loadtest
loadtest: install
	@case "$(LOADTEST_DB)" in postgres*) \
		db="$$(basename "$(LOADTEST_DB)")"; \
		psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$$db'" postgres | grep -q 1 \
		|| psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE \"$$db\"" postgres;; esac
	DATABASE_URL=$(LOADTEST_DB) $(BIN)/python manage.py migrate --noinput -v0
	DATABASE_URL=$(LOADTEST_DB) $(BIN)/python manage.py load_content
	DATABASE_URL=$(LOADTEST_DB) $(BIN)/python -m tests.perf loadtest --spawn-server $(LOADTEST_ARGS)

# Backups (README "Backups"): a consistent copy of the database into BACKUP_DIR (default
# ./backups, the newest BACKUP_KEEP kept), and its restore (asks before replacing anything).
backup: install
	$(BIN)/python manage.py backup

restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/quiz-….dump"; exit 2; }
	$(BIN)/python manage.py restore "$(FILE)"

clean:
	rm -rf $(VENV) db.sqlite3*
