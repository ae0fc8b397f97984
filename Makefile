# CreditCheck developer commands. `make run` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# pytest-xdist processes; each gets its own test database and sandbox server.
PYTEST_WORKERS ?= 2
SANDBOX_PORT ?= 8700
PROD_PORT ?= 8000

.PHONY: venv migrate demo run prod-local test lint format

venv: $(STAMP)

# Re-install only when pyproject.toml changed since the last install.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

migrate: venv
	$(BIN)/python manage.py migrate --noinput

# The banner names the address runserver will listen on (HOST, PORT).
demo: migrate
	$(BIN)/python manage.py load_demo --url http://$(HOST):$(PORT)

# The platform sandboxes (SPC Brasil, SOAWebService, ConnectSA, Crédito na Medida) run on
# loopback for as long as `make run` serves, and every demo branch is pointed at them; the
# periodic jobs of the Celery beat schedule run every 5 minutes in place of beat. The app is
# served under ASGI (uvicorn, reloading on code changes) so the result screens' event streams
# work; without a broker, queries run on a background thread of the server (EMBEDDED_BACKGROUND_TASKS).
# The first demo branch is connected to the IXCProvedor sandbox too (Configurações > Integrações
# > IXCProvedor), its filiais mapped to the demo branches; the jobs' first round syncs it.
# The jobs start once the integrations are configured: on a fresh database their first read
# would create the settings row, and `--enable` only turns on a row it creates.
run: demo
	@$(BIN)/python -m providers.sandbox --port $(SANDBOX_PORT) & sandbox=$$!; jobs=; \
	trap 'kill $$sandbox $$jobs 2>/dev/null' EXIT INT TERM; \
	PROVIDER_SANDBOX_URL=http://127.0.0.1:$(SANDBOX_PORT) $(BIN)/python manage.py configure_sandbox_integrations --enable && \
	{ $(BIN)/python manage.py run_scheduled_jobs --loop 300 & jobs=$$!; } && \
	echo "Simuladores das plataformas: http://127.0.0.1:$(SANDBOX_PORT)/sandbox/scenarios" && \
	$(BIN)/uvicorn creditcheck.asgi:application --host $(HOST) --port $(PORT) \
		--reload --reload-dir creditcheck --reload-dir providers

# The production topology on loopback: gunicorn, Celery workers per queue, beat and the
# sandboxes, against this machine's PostgreSQL and Redis (README "Produção"). Stops everything
# on Ctrl-C or SIGTERM; deploy/prod_local.sh lists its environment variables.
prod-local: venv
	@PROD_PORT=$(PROD_PORT) SANDBOX_PORT=$(SANDBOX_PORT) VENV_BIN=$(CURDIR)/$(BIN) \
		exec deploy/prod_local.sh

# pytest exits 5 when it collected nothing: a suite that ran no test is not a green suite.
test: venv
	@$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests (exit 5)" >&2; fi; \
	exit $$status

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
