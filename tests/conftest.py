"""Shared fixtures and the test tiers.

Tiers: the default run uses SQLite and eager Celery. Tests marked `postgres` need
DATABASE_URL pointing at PostgreSQL; tests marked `celery_worker` need CELERY_BROKER_URL and
run against a real worker subprocess; tests marked `browser` need /usr/bin/chromium.
Outside CI a missing service skips those tests with the reason; under CI=true it fails them.
Tests that depend on a service check it with `require_service`, never with a bare skip.
"""

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient

from creditcheck.celery import app as celery_app
from creditcheck.celery import worker_queues
from creditcheck.core.enums import Role, State
from creditcheck.core.models import Branch
from providers.sandbox.server import RunningSandbox, serve_in_thread
from tests.embedded_server import EmbeddedServer, embedded_server
from tests.factories import BranchFactory, UserFactory

IN_CI = os.environ.get("CI", "").lower() == "true"
REPO_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")


def require_service(available: bool, reason: str) -> None:
    """Skip a test whose service is missing; under CI=true fail it instead."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{reason} — under CI=true a missing service fails the run", pytrace=False)
    pytest.skip(reason)


# Tier 2 (PostgreSQL + Redis, .ci/run) runs the tests marked `postgres` or `celery_worker` and
# these modules, whose outcome depends on the database engine or the broker: locking and single
# flight, fault handling, maintenance of what crashes leave, the shared cache, migrations. They
# get the `engine` marker; every other test runs once, in tier 1 (SQLite).
ENGINE_BOUND_MODULES = (
    "tests/analysis/test_cache_outage.py",
    "tests/analysis/test_concurrency.py",
    "tests/analysis/test_maintenance.py",
    "tests/analysis/test_shared_result.py",
    "tests/analysis/test_throttling.py",
    "tests/analysis/test_unstorable_result.py",
    "tests/core/test_events.py",
    "tests/core/test_health.py",
    "tests/core/test_tasks.py",
    "tests/costs/test_migrations.py",
    "tests/faults/",
    "tests/integrations/test_circuit.py",
    "tests/negativation/test_services.py",
    "tests/test_migrations.py",
)


def _engine_bound(path: Path) -> bool:
    relative = path.relative_to(REPO_ROOT).as_posix()
    return any(relative == name or relative.startswith(name) for name in ENGINE_BOUND_MODULES)


def pytest_configure(config: pytest.Config) -> None:
    missing = [name for name in ENGINE_BOUND_MODULES if not (REPO_ROOT / name).exists()]
    if missing:  # a renamed module would silently leave tier 2
        raise pytest.UsageError(f"ENGINE_BOUND_MODULES names missing paths: {missing}")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the engine-bound tests, and give every transactional test a serialized rollback.

    A transactional test ends by flushing every table. The flush's post_migrate would bring
    the role groups back (creditcheck/core/roles.py syncs them), but not the rows of data
    migrations (negativação's default notice periods): the serialized rollback restores the
    database as migrate left it, for the tests after it.
    """
    for item in items:
        if _engine_bound(item.path):
            item.add_marker(pytest.mark.engine)
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker else {}
        if marker and marker.args:
            kwargs.setdefault("transaction", marker.args[0])
        transactional = bool(kwargs.get("transaction")) or bool(
            {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
        )
        if transactional and not kwargs.get("serialized_rollback"):
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


@pytest.fixture(autouse=True)
def _tier_requirements(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("postgres"):
        require_service(
            connection.vendor == "postgresql",
            "needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/creditcheck",
        )
    if request.node.get_closest_marker("celery_worker"):
        require_service(
            bool(os.environ.get("CELERY_BROKER_URL")),
            "needs a Celery broker: set CELERY_BROKER_URL=redis://127.0.0.1:6379/15",
        )
    if request.node.get_closest_marker("browser"):
        require_service(CHROMIUM.exists(), f"needs Debian's chromium at {CHROMIUM}")


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Start every test with an empty cache: the credit-query rate limit counts per user id,
    and ids are reused after each test's rollback."""
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _celery_mode(request: pytest.FixtureRequest, settings: Any) -> Iterator[None]:
    """Run tasks in-process except in tests that exercise the real worker.

    Without this a broker configured for the worker tier would swallow the tasks of every
    other test. In-process tasks run inline, so a test reads their outcome at once; tests of
    the embedded mode's background thread turn EMBEDDED_BACKGROUND_TASKS on themselves.
    """
    settings.EMBEDDED_BACKGROUND_TASKS = False
    eager = request.node.get_closest_marker("celery_worker") is None
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


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


@pytest.fixture
def branch(db: None) -> Branch:
    return BranchFactory.create(name="Filial São Paulo", state=State.SP, city="São Paulo")


@pytest.fixture
def other_branch(db: None) -> Branch:
    return BranchFactory.create(name="Filial Belo Horizonte", state=State.MG, city="Belo Horizonte")


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(role: Role, branches: list[Branch] | tuple[Branch, ...] = (), **kwargs: Any) -> User:
        return UserFactory.create(role=role, branches=list(branches), **kwargs)

    return make


@pytest.fixture
def attendant(make_user: Callable[..., User], branch: Branch) -> User:
    return make_user(Role.ATTENDANT, [branch], username="atendente")


@pytest.fixture
def seller(make_user: Callable[..., User], branch: Branch) -> User:
    return make_user(Role.SELLER, [branch], username="vendedor")


@pytest.fixture
def financial(make_user: Callable[..., User], branch: Branch) -> User:
    return make_user(Role.FINANCIAL, [branch], username="financeiro")


@pytest.fixture
def administrator(make_user: Callable[..., User]) -> User:
    return make_user(Role.ADMINISTRATOR, username="administrador")


@pytest.fixture
def world(
    branch: Branch,
    sandbox: RunningSandbox,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> Any:
    """Rows of every kind in `branch` and in another branch, built as a case asks for them
    (tests/test_authorization_matrix.World)."""
    from tests.test_authorization_matrix import world_with_other_branch

    return world_with_other_branch(branch, sandbox, django_capture_on_commit_callbacks)


@pytest.fixture
def api_client_for() -> Callable[[User], APIClient]:
    def make(user: User) -> APIClient:
        client = APIClient()
        # A fresh instance per client: Django caches permissions on the user object.
        client.force_authenticate(user=User.objects.get(pk=user.pk))
        return client

    return make


# --- Provider sandboxes: every platform served over real HTTP on loopback --------------------


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[RunningSandbox]:
    running = serve_in_thread()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def embedded_app(
    sandbox_server: RunningSandbox, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[EmbeddedServer]:
    """The embedded mode served as `make run` serves it (uvicorn, background queries, in-process
    events), on a database of its own, against the test's sandbox (tests/embedded_server.py)."""
    with embedded_server(tmp_path_factory.mktemp("embedded"), sandbox_server.url) as server:
        yield server


@pytest.fixture
def sandbox(sandbox_server: RunningSandbox) -> RunningSandbox:
    """The running sandboxes with a clean state (ledger, faults, clock, inclusions)."""
    sandbox_server.state.reset()
    return sandbox_server
