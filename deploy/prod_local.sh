#!/usr/bin/env bash
# `make prod-local`: CreditCheck's production topology on loopback, against this machine's
# PostgreSQL and Redis, with the platform sandboxes standing in for the credit platforms.
#
#   gunicorn, uvicorn workers (WEB_CONCURRENCY)    http://127.0.0.1:$PROD_PORT
#   celery worker, queue "queries" (QUERY_WORKERS processes)
#   celery worker, queues "negativations" + "maintenance" (1 process)
#   celery beat (the periodic jobs of settings.CELERY_BEAT_SCHEDULE)
#   platform sandboxes                              http://127.0.0.1:$SANDBOX_PORT
#
# Prepares the database first (created if missing, migrated, demo data, every branch pointed
# at the sandboxes), then waits until /healthz reports every part healthy and says so. Runs
# until Ctrl-C or SIGTERM, then stops every process it started (graceful first, SIGKILL after
# STOP_GRACE_SECONDS) and exits 0. If any of them dies on its own, it stops the others and
# exits 1, so a supervisor (CI, bench/load.py) never keeps a half topology.
#
# Environment (all optional): PROD_PORT (8000), SANDBOX_PORT (8700), SANDBOX_LATENCY_MS (0),
# WEB_CONCURRENCY (2), QUERY_WORKERS (2), DATABASE_URL (postgres://postgres@127.0.0.1:5432/
# creditcheck_prod), CELERY_BROKER_URL (redis://127.0.0.1:6379/0), CACHE_URL
# (redis://127.0.0.1:6379/1), SECRET_KEY (generated once, kept in PROD_LOCAL_DIR),
# PROD_LOCAL_DIR (.prod-local: secret key, beat schedule, media), PROD_LOCAL_HEALTH_TIMEOUT
# (300 s), CELERY_QUEUE_PREFIX, and any other setting of README's table.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
BIN="${VENV_BIN:-$ROOT/.venv/bin}"

PROD_PORT="${PROD_PORT:-8000}"
SANDBOX_PORT="${SANDBOX_PORT:-8700}"
SANDBOX_LATENCY_MS="${SANDBOX_LATENCY_MS:-0}"
QUERY_WORKERS="${QUERY_WORKERS:-2}"
STATE_DIR="${PROD_LOCAL_DIR:-$ROOT/.prod-local}"
HEALTH_TIMEOUT="${PROD_LOCAL_HEALTH_TIMEOUT:-300}"
# gunicorn lets requests finish for 15 s (deploy/gunicorn_conf.py); a Celery worker finishes
# its task. Whatever is still running after this is killed: a task cut short goes back to its
# queue (late acknowledgement) and is not lost.
STOP_GRACE_SECONDS=20
BASE_URL="http://127.0.0.1:$PROD_PORT"

export DJANGO_SETTINGS_MODULE=creditcheck.settings
export DEBUG=false
export WEB_CONCURRENCY="${WEB_CONCURRENCY:-2}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/creditcheck_prod}"
# Each gunicorn worker and Celery process keeps its connection (checked before reuse).
export DATABASE_CONN_MAX_AGE="${DATABASE_CONN_MAX_AGE:-60}"
# Broker and cache in distinct Redis databases: the cache can be flushed without losing tasks.
export CELERY_BROKER_URL="${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0}"
export CACHE_URL="${CACHE_URL:-redis://127.0.0.1:6379/1}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
export MEDIA_ROOT="${MEDIA_ROOT:-$STATE_DIR/media}"
export PROVIDER_SANDBOX_URL="http://127.0.0.1:$SANDBOX_PORT"
export GUNICORN_BIND="127.0.0.1:$PROD_PORT"

# Transport: this topology speaks plain http on loopback, with no TLS proxy in front, so the
# https-only settings that production keeps on (creditcheck/settings.py) are turned off here,
# each for a concrete reason:
# - SECURE_SSL_REDIRECT: nothing listens for https here; every page would redirect to nowhere.
# - SESSION_COOKIE_SECURE / CSRF_COOKIE_SECURE: clients drop Secure cookies received over http
#   (Python's cookie jar, curl and older browsers), so nobody could sign in or post a form.
# - SECURE_HSTS_SECONDS: HSTS is never sent over http anyway; 0 says so explicitly, and a
#   browser never pins https for 127.0.0.1.
# - TRUST_X_FORWARDED_PROTO: there is no proxy, so no client may claim https with that header.
# The cookies stay HttpOnly (no script can read them): that does not depend on the transport.
# `manage.py check --deploy` therefore warns here, and only here, about exactly these
# (security.W004, W008, W012, W016).
export SECURE_SSL_REDIRECT=false
export SESSION_COOKIE_SECURE=false
export CSRF_COOKIE_SECURE=false
export SECURE_HSTS_SECONDS=0
export TRUST_X_FORWARDED_PROTO=false

say() { printf '[prod-local] %s\n' "$*"; }

pids=()
names=()
step_pid=""
waiter_pid=""
stopped=0

stop_all() {
    if [[ $stopped == 1 ]]; then return; fi
    stopped=1
    trap '' INT TERM  # a second Ctrl-C must not cut the stop short
    for pid in $step_pid $waiter_pid; do kill -TERM "$pid" 2>/dev/null; done
    if ((${#pids[@]} == 0)); then return; fi
    say "encerrando ${names[*]}"
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    local deadline=$((SECONDS + STOP_GRACE_SECONDS)) running
    while ((SECONDS < deadline)); do
        running=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && running=1; done
        ((running)) || break
        sleep 0.5
    done
    # Each process leads its own process group (setsid below): this also reaches gunicorn's
    # and Celery's child processes, even those whose parent already exited.
    for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null; done
    wait 2>/dev/null
    say "todos os processos encerrados"
}

on_signal() {
    stop_all
    exit 0
}
trap on_signal INT TERM
trap stop_all EXIT

fail() {
    say "ERRO: $*" >&2
    stop_all
    exit 1
}

# A preparation step in the background, so that a signal interrupts the wait at once.
step() {
    "$@" </dev/null &
    step_pid=$!
    wait "$step_pid"
    local status=$?
    step_pid=""
    ((status == 0)) || fail "falhou (status $status): $*"
}

# A long-running process in its own session and process group (a Ctrl-C on the terminal
# reaches only this script, which then stops everything in order); with --pdeathsig it also
# gets SIGTERM should this script be killed outright, so nothing outlives it.
if command -v setpriv >/dev/null && setpriv --pdeathsig TERM true 2>/dev/null; then
    ORPHAN_GUARD=(setpriv --pdeathsig TERM --)
else
    ORPHAN_GUARD=()
fi
start() {  # name command...
    local name=$1
    shift
    setsid "${ORPHAN_GUARD[@]}" "$@" </dev/null &
    pids+=("$!")
    names+=("$name")
}

queues() {  # kinds... -> the `celery worker -Q` value (creditcheck/celery.py names them)
    "$BIN/python" -c 'import sys
from creditcheck.celery import worker_queues
print(worker_queues(tuple(sys.argv[1:])))' "$@"
}

[[ -x "$BIN/python" ]] || fail "$BIN/python não existe: rode \`make venv\` antes"
mkdir -p "$STATE_DIR" "$MEDIA_ROOT" || fail "não foi possível criar $STATE_DIR"
if [[ -z "${SECRET_KEY:-}" ]]; then
    # One key per checkout, kept across runs: sessions and the platform credentials encrypted
    # with it (CREDENTIALS_KEYS derives from it) stay valid after a restart.
    if [[ ! -s "$STATE_DIR/secret_key" ]]; then
        (umask 077 && "$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(64))' \
            >"$STATE_DIR/secret_key") || fail "não foi possível gerar a SECRET_KEY"
    fi
    SECRET_KEY="$(cat "$STATE_DIR/secret_key")"
    export SECRET_KEY
fi

say "preparando o banco de dados"
step "$BIN/python" deploy/create_database.py
step "$BIN/python" manage.py migrate --noinput
step "$BIN/python" manage.py collectstatic --noinput --verbosity 0
step "$BIN/python" manage.py load_demo --url "$BASE_URL" >"$STATE_DIR/load_demo.txt"
cat "$STATE_DIR/load_demo.txt"
step "$BIN/python" manage.py configure_sandbox_integrations --enable

QUERY_QUEUES="$(queues queries)" || fail "não foi possível ler os nomes das filas"
JOB_QUEUES="$(queues negativations maintenance)" || fail "não foi possível ler os nomes das filas"

start sandbox "$BIN/python" -m providers.sandbox --port "$SANDBOX_PORT" \
    --latency-ms "$SANDBOX_LATENCY_MS"
# ASGI (uvicorn workers): each request's view runs on a thread of its own, so the web processes
# open one connection per request instead of keeping one (Django: no persistent connections
# under ASGI); the Celery processes keep theirs.
start gunicorn env DATABASE_CONN_MAX_AGE=0 "$BIN/gunicorn" -c deploy/gunicorn_conf.py \
    creditcheck.asgi:application
start worker-queries "$BIN/celery" -A creditcheck worker --loglevel INFO \
    -Q "$QUERY_QUEUES" --concurrency "$QUERY_WORKERS" -n "queries@%h"
start worker-jobs "$BIN/celery" -A creditcheck worker --loglevel INFO \
    -Q "$JOB_QUEUES" --concurrency 1 -n "jobs@%h"
# Exactly one beat per deployment: two would schedule every periodic job twice.
start beat "$BIN/celery" -A creditcheck beat --loglevel INFO \
    --schedule "$STATE_DIR/celerybeat-schedule"

say "aguardando $BASE_URL/healthz (até ${HEALTH_TIMEOUT} s)"
"$BIN/python" deploy/wait_healthy.py "$BASE_URL/healthz" --timeout "$HEALTH_TIMEOUT" \
    >"$STATE_DIR/healthz.json" </dev/null &
waiter_pid=$!
finished=""
wait -n -p finished "${pids[@]}" "$waiter_pid"
status=$?
if [[ "$finished" != "$waiter_pid" ]]; then
    for i in "${!pids[@]}"; do
        [[ "${pids[$i]}" == "$finished" ]] && fail "${names[$i]} terminou (status $status)"
    done
    fail "um processo terminou antes de /healthz ficar saudável"
fi
waiter_pid=""
((status == 0)) || fail "$BASE_URL/healthz não ficou saudável em ${HEALTH_TIMEOUT} s"

say "saudável: $(cat "$STATE_DIR/healthz.json")"
cat <<EOF

CreditCheck em modo produção local — todas as partes saudáveis.
  Aplicação:     $BASE_URL/entrar/
  API:           $BASE_URL/api/v1/  (documentação em $BASE_URL/api/v1/docs/)
  Saúde:         $BASE_URL/healthz
  Simuladores:   http://127.0.0.1:$SANDBOX_PORT/sandbox/scenarios
  Processos:     gunicorn ($WEB_CONCURRENCY workers uvicorn), fila $QUERY_QUEUES ($QUERY_WORKERS processos),
                 filas $JOB_QUEUES (1 processo), celery beat, simuladores
  Usuários de demonstração:
$(grep "senha:" "$STATE_DIR/load_demo.txt")
  Token da API:  $BIN/python manage.py drf_create_token atendente  (com o mesmo DATABASE_URL)
Ctrl-C (ou SIGTERM) encerra tudo.
EOF

wait -n -p finished "${pids[@]}"
status=$?
for i in "${!pids[@]}"; do
    [[ "${pids[$i]}" == "$finished" ]] && fail "${names[$i]} terminou (status $status)"
done
fail "um processo terminou (status $status)"
