"""Subprocesses of the app in tests: a real Celery worker, and the environment any subprocess
(worker, server, migrations) needs to open the test database.

A pytest plugin (tests/conftest.py names it in `pytest_plugins`), so that the session's one
worker is one fixture however many modules ask for it. Its users: the `celery_worker` tests
(tests/core/test_tasks.py, tests/costs/test_budgets.py), the fault tests (tests/faults/) and
tests/test_migrations.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection

from creditcheck.celery import app as celery_app
from creditcheck.celery import worker_queues
from tests.conftest import REPO_ROOT, require_service


def _database_url(settings_dict: dict[str, Any]) -> str:
    if settings_dict["ENGINE"] == "django.db.backends.postgresql":
        credentials = quote(settings_dict["USER"] or "", safe="")
        if settings_dict["PASSWORD"]:
            credentials += ":" + quote(settings_dict["PASSWORD"], safe="")
        host = settings_dict["HOST"] or "127.0.0.1"
        port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
        return f"postgres://{credentials}@{host}{port}/{quote(str(settings_dict['NAME']))}"
    return f"sqlite:///{settings_dict['NAME']}"


def require_worker_services() -> None:
    """What a worker subprocess needs: a broker, and a test database another process can open."""
    require_service(
        bool(os.environ.get("CELERY_BROKER_URL")),
        "needs a Celery broker: set CELERY_BROKER_URL=redis://127.0.0.1:6379/15",
    )
    settings_dict = connection.settings_dict
    require_service(
        not connection.creation.is_in_memory_db(settings_dict["NAME"])  # type: ignore[attr-defined]
        if connection.vendor == "sqlite"
        else True,
        "a worker cannot open an in-memory SQLite test database: use PostgreSQL",
    )


def app_process_env(**overrides: str) -> dict[str, str]:
    """The environment of a subprocess of the app (worker, server) on the test database."""
    return {
        **os.environ,
        "DATABASE_URL": _database_url(connection.settings_dict),
        "PYTHONPATH": str(REPO_ROOT),
        **overrides,
    }


def start_celery_worker(
    log_path: Path, *, hostname: str, pool: str = "solo", env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """Start `celery worker` on the queues of the current CELERY_QUEUE_PREFIX (the app's
    `queue_prefix`), logging to `log_path`; returns once it answers a ping."""
    prefix = celery_app.conf.queue_prefix or ""
    celery = shutil.which("celery", path=str(Path(sys.executable).parent)) or "celery"
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [
                celery,
                "-A",
                "creditcheck",
                "worker",
                f"--pool={pool}",
                "--concurrency=1",
                "--loglevel=INFO",
                "-Q",
                worker_queues(),
                "-n",
                hostname,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=REPO_ROOT,
            env=app_process_env(CELERY_QUEUE_PREFIX=prefix, **(env or {})),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    try:
        while not celery_app.control.ping(destination=[hostname], timeout=1.0):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"celery worker did not answer ping; log:\n{log_path.read_text()[-4000:]}",
                    pytrace=False,
                )
    except BaseException:  # no worker left behind, whatever stopped the wait
        stop_process(process)
        raise
    return process


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """Stop a subprocess (SIGTERM, then SIGKILL after 20 s) and reap it."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def celery_worker_process(
    django_db_setup: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[subprocess.Popen[bytes]]:
    """A real `celery worker` subprocess on the configured broker and the test database.

    It consumes queues of its own (a unique CELERY_QUEUE_PREFIX), so parallel sessions and
    stray workers never take each other's tasks.
    """
    require_worker_services()
    prefix = f"test-{uuid.uuid4().hex[:12]}-"
    previous_prefix = celery_app.conf.queue_prefix
    celery_app.conf.queue_prefix = prefix
    log_path = tmp_path_factory.mktemp("celery") / "worker.log"
    process = None
    try:
        process = start_celery_worker(log_path, hostname=f"{prefix}worker@localhost")
        yield process
    finally:
        celery_app.conf.queue_prefix = previous_prefix
        if process is not None:
            stop_process(process)
