"""Fixtures of the fault tests.

The negativação fixtures (an overdue invoice to include), and the processes the process-level
fault tests kill and restart: Celery workers, a private Redis and a gunicorn server. Nothing here
touches the machine's PostgreSQL or Redis servers themselves: connections are dropped with
pg_terminate_backend, and the Redis that restarts is a redis-server of the test's own.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
import requests
from django.db import connection
from django.utils import timezone

from creditcheck.analysis.enums import Billed, QueryStatus
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.services import STALE_RUNNING_AFTER, credit_query_close_stale
from creditcheck.celery import QUEUE_KINDS, queue_name
from creditcheck.celery import app as celery_app
from creditcheck.core.models import Branch
from providers.sandbox.server import RunningSandbox
from tests.conftest import REPO_ROOT, require_service
from tests.credit_setup import integration_on
from tests.negativation.conftest import make_overdue_invoice
from tests.workers import (
    app_process_env,
    require_worker_services,
    start_celery_worker,
    stop_process,
)

__all__ = ["make_overdue_invoice"]

# A platform call is held this long (sandbox latency), so a fault lands in the middle of it.
HOLD_MS = 2000
# Seconds before the broker gives a dead worker's unacknowledged task to another worker
# (production: CELERY_VISIBILITY_TIMEOUT=900).
VISIBILITY_TIMEOUT = 2
# The private redis-server of the Redis restart test; the machine's Redis (6379) is never touched.
PRIVATE_REDIS_PORT = 6393


@pytest.fixture
def spc_branch(branch: Branch, sandbox: RunningSandbox) -> Branch:
    """The branch, with credit analysis on and SPC Brasil's sandbox as its platform."""
    integration_on(branch, sandbox)
    return branch


def assert_closed_as_interrupted(query: CreditQuery) -> None:
    """A query left running by a cut task: the maintenance job closes it once it is stale."""
    query.refresh_from_db()
    assert query.status == QueryStatus.RUNNING
    assert credit_query_close_stale() == 0  # not before it is stale
    assert credit_query_close_stale(now=timezone.now() + STALE_RUNNING_AFTER) == 1
    query.refresh_from_db()
    assert (query.status, query.error_code, query.billed) == (
        QueryStatus.FAILED,
        "interrupted",
        Billed.UNKNOWN,
    )
    assert "interrompida" in query.error_message


def wait_until(condition: Callable[[], object], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting until {what}", pytrace=False)
        time.sleep(0.1)


def call_in_flight(sandbox: RunningSandbox, platform: str = "spcbrasil") -> None:
    """Wait until a call reached the sandbox of `platform` (it is held there by HOLD_MS)."""
    wait_until(lambda: platform in sandbox.state.last_requests, f"a call reached {platform}")


def database_url(application_name: str) -> str:
    """The test database's URL for a subprocess whose connections carry `application_name`."""
    return f"{app_process_env()['DATABASE_URL']}?application_name={application_name}"


def backend_pids(application_name: str, *, waiting_on_lock: bool = False) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s"
            " AND (NOT %s OR wait_event_type = 'Lock')",
            [application_name, waiting_on_lock],
        )
        return [pid for (pid,) in cursor.fetchall()]


def terminate_backends(application_name: str, *, waiting_on_lock: bool = False) -> list[int]:
    """Drop the database connections of `application_name` (PostgreSQL keeps running)."""
    pids = backend_pids(application_name, waiting_on_lock=waiting_on_lock)
    with connection.cursor() as cursor:
        for pid in pids:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    wait_until(lambda: not set(pids) & set(backend_pids(application_name)), "the backends are gone")
    return pids


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _pool_process_pid(parent: int) -> int:
    """The pid of the process forked by `parent` (a prefork worker's one pool process)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        if int(fields[1]) == parent:
            return int(stat.parent.name)
    pytest.fail(f"worker {parent} has no pool process", pytrace=False)


# --- Celery workers ------------------------------------------------------------------------------


class Workers:
    """The Celery workers of one test, on queues of their own: started, killed, restarted."""

    def __init__(self, log_path: Path) -> None:
        self.log_path = log_path
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(
        self, *, pool: str = "solo", env: dict[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        process = start_celery_worker(
            self.log_path,
            hostname=self.hostname(len(self.processes)),
            pool=pool,
            env={"CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT), **(env or {})},
        )
        self.processes.append(process)
        return process

    def hostname(self, number: int) -> str:
        return f"{celery_app.conf.queue_prefix}{number}@localhost"

    def kill(self, process: subprocess.Popen[bytes], *, pool_process: bool = False) -> None:
        """SIGKILL the worker, or only its pool process (the worker then forks a new one)."""
        if pool_process:
            os.kill(_pool_process_pid(process.pid), signal.SIGKILL)
        else:
            process.kill()
            process.wait()

    def received(self, task_name: str) -> list[str]:
        """The task id of every delivery of `task_name` the workers logged, redeliveries too."""
        marker = f"Task {task_name}["
        return [
            line.split(marker, 1)[1].split("]", 1)[0]
            for line in self.log_path.read_text(errors="replace").splitlines()
            if marker in line and line.rstrip().endswith("received")
        ]

    def stop(self) -> None:
        for process in self.processes:
            stop_process(process)


@pytest.fixture
def workers(transactional_db: None, tmp_path: Path) -> Iterator[Workers]:
    """Celery workers started by the test, consuming queues named for this test only."""
    require_worker_services()
    previous_prefix = celery_app.conf.queue_prefix
    celery_app.conf.queue_prefix = f"fault-{uuid.uuid4().hex[:12]}-"
    started = Workers(tmp_path / "workers.log")
    try:
        yield started
    finally:
        started.stop()
        celery_app.conf.queue_prefix = previous_prefix


# --- The broker as Redis holds it --------------------------------------------------------------


def broker_client() -> redis.Redis:
    return redis.Redis.from_url(str(celery_app.conf.broker_write_url))


def queued_messages(broker: redis.Redis) -> int:
    """Messages waiting in this test's queues."""
    return sum(int(broker.llen(queue_name(kind))) for kind in QUEUE_KINDS)


def unacknowledged(broker: redis.Redis) -> dict[bytes | str, float]:
    """This test's messages delivered to a worker and not acknowledged: tag -> delivery time.

    Kombu keeps them in the `unacked` hash ([message, exchange, routing key]) and their delivery
    times in `unacked_index`, and gives them back after the visibility timeout.
    """
    prefix = str(celery_app.conf.queue_prefix)
    found = {}
    for tag, raw in broker.hgetall("unacked").items():
        routing_key = json.loads(raw)[2]
        if routing_key.startswith(prefix):
            found[tag] = float(broker.zscore("unacked_index", tag) or 0)
    return found


def wait_until_redeliverable(broker: redis.Redis) -> None:
    """Wait until the broker would hand a dead worker's tasks to the next worker that starts."""
    wait_until(
        lambda: all(
            time.time() - at > VISIBILITY_TIMEOUT for at in unacknowledged(broker).values()
        ),
        "the visibility timeout of the unacknowledged tasks passed",
    )


def wait_until_drained(broker: redis.Redis) -> None:
    """Wait until every message of this test was consumed and acknowledged."""
    wait_until(
        lambda: queued_messages(broker) == 0 and not unacknowledged(broker),
        "the test's queues are empty and every task is acknowledged",
    )


# --- A private Redis, restarted by the test ------------------------------------------------------


class PrivateRedis:
    """A redis-server without persistence, like the machine's: a restart loses what it held."""

    url = f"redis://127.0.0.1:{PRIVATE_REDIS_PORT}/0"

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def worker_env(self) -> dict[str, str]:
        return {"CELERY_BROKER_URL": self.url, "CELERY_RESULT_BACKEND": self.url}

    def answers(self) -> bool:
        try:
            return bool(redis.Redis.from_url(self.url, socket_connect_timeout=1).ping())
        except (redis.ConnectionError, redis.TimeoutError):
            return False

    def start(self) -> None:
        if self.answers():
            pytest.fail(f"port {PRIVATE_REDIS_PORT} is taken by another Redis", pytrace=False)
        with (self.directory / "redis.log").open("ab") as log:
            self.process = subprocess.Popen(
                [
                    shutil.which("redis-server") or "redis-server",
                    "--port",
                    str(PRIVATE_REDIS_PORT),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--daemonize",
                    "no",
                ],
                cwd=self.directory,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_until(self.answers, "the private Redis answers", timeout=20)

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
            self.process = None


def _publish_to(url: str | None) -> None:
    """Make this test process publish tasks to `url` (None: back to CELERY_BROKER_URL).

    broker_write_url and broker_read_url win over CELERY_BROKER_URL, which wins over the
    broker_url setting. Celery keeps the pools of its broker connections (app.pool,
    amqp.producer_pool) from their first use; forgetting them makes the next publish take the
    pools of the new URL (kombu keeps one per URL, so switching back finds the old ones open).
    """
    celery_app.conf.update(broker_write_url=url, broker_read_url=url)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    """A private redis-server this test's process publishes to (ask for it before `workers`,
    so the workers stop before it does)."""
    require_service(shutil.which("redis-server") is not None, "needs redis-server (Debian redis)")
    server = PrivateRedis(tmp_path)
    server.start()
    _publish_to(server.url)
    try:
        yield server
    finally:
        _publish_to(None)
        server.stop()


@pytest.fixture
def unreachable_broker() -> Iterator[str]:
    """This test process publishes tasks to a broker URL nobody listens on; the URL."""
    url = f"redis://127.0.0.1:{free_port()}/0"
    previous_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    _publish_to(url)
    try:
        yield url
    finally:
        _publish_to(None)
        celery_app.conf.task_always_eager = previous_eager


# --- The app served by gunicorn ------------------------------------------------------------------

WEB_APPLICATION_NAME = "creditcheck-fault-web"


@pytest.fixture
def app_server(transactional_db: None, tmp_path: Path) -> Iterator[str]:
    """gunicorn serving the app on the test database with persistent connections; its URL.

    Its database connections carry WEB_APPLICATION_NAME, so a test can drop exactly those.
    """
    port = free_port()
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    env = app_process_env(
        DATABASE_URL=database_url(WEB_APPLICATION_NAME),
        DATABASE_CONN_MAX_AGE="60",
        CELERY_BROKER_URL="",
        DEBUG="true",
    )
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [
                gunicorn,
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "creditcheck.wsgi:application",
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"

    def serving() -> bool:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited; log:\n{log_path.read_text()[-4000:]}", pytrace=False)
        try:
            return requests.get(f"{url}/entrar/", timeout=5).status_code == 200
        except (requests.ConnectionError, requests.Timeout):  # not listening, or still booting
            return False

    try:
        wait_until(serving, "gunicorn serves the login page")
        yield url
    finally:
        stop_process(process)
