"""Shared fixtures and the test tiers.

Tiers: the default run uses SQLite and eager Celery. Tests marked `postgres` need
DATABASE_URL pointing at PostgreSQL; tests marked `celery_worker` need CELERY_BROKER_URL and
run against a real worker subprocess; tests marked `browser` need /usr/bin/chromium.
Outside CI a missing service skips those tests with the reason; under CI=true it fails them.
Tests that depend on a service check it with `require_service`, never with a bare skip.

What every test shares (define none of these again in a test module):
- users, one per role: `attendant`, `seller`, `financial` (of `branch`), `administrator`, and
  `other_attendant`, `other_financial` (of `other_branch` only); `make_user` for any other;
- `client_for(user)` (a logged-in Django test client), `api_client_for(user)` (DRF);
- `sandbox` (the platforms' sandboxes over HTTP) and `connect(platform)`: credit analysis on and
  the branch connected to that sandbox (tests.credit_setup.integration_on outside fixtures);
- sandbox documents by scenario: import them from providers/sandbox/scenarios.py (CLEAN_CPF...);
- reading pages: tests/html.py (`parse`, `by_testid`, `texts_by_testid`, `field_errors`);
- a real Celery worker and the app's subprocesses: tests/workers.py (a plugin, below).
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from creditcheck.celery import app as celery_app
from creditcheck.core.enums import Role, State
from creditcheck.core.models import Branch
from creditcheck.integrations.models import BranchIntegration
from providers.sandbox.server import RunningSandbox, serve_in_thread
from tests.credit_setup import integration_on
from tests.embedded_server import EmbeddedServer, embedded_server
from tests.factories import BranchFactory, UserFactory

# The real Celery worker and the app's other subprocesses (only the tests that start one use it).
pytest_plugins = ["tests.workers"]

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
    # Payment webhooks: at-least-once delivery deduplicated by a unique constraint, under locks.
    "tests/erp/test_views.py",
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
def other_attendant(make_user: Callable[..., User], other_branch: Branch) -> User:
    """An attendant of the other branch only."""
    return make_user(Role.ATTENDANT, [other_branch], username="atendente-bh")


@pytest.fixture
def other_financial(make_user: Callable[..., User], other_branch: Branch) -> User:
    """A financial user of the other branch only."""
    return make_user(Role.FINANCIAL, [other_branch], username="financeiro_bh")


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


ClientFor = Callable[[User], Client]


@pytest.fixture
def client_for(client: Client) -> ClientFor:
    """The test client, logged in as the given user (the last one given, if called again)."""

    def login(user: User) -> Client:
        client.force_login(user)
        return client

    return login


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


Connect = Callable[..., BranchIntegration]


@pytest.fixture
def connect(branch: Branch, sandbox: RunningSandbox) -> Connect:
    """Credit analysis on and a branch connected to a platform's sandbox, the default
    integration of that branch: `connect("soawebservice")`, `connect(to=other_branch)`; the
    keywords of tests.credit_setup.integration_on (cost, interval_days, product)."""

    def make(
        platform: str = "spcbrasil", *, to: Branch | None = None, **options: Any
    ) -> BranchIntegration:
        return integration_on(to or branch, sandbox, platform, **options)

    return make
