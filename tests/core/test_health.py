"""/healthz over the real stack: database, Celery broker, cache and the platforms' circuits.

"Down" services are real closed ports on loopback; nothing of ours is replaced.
"""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from creditcheck.core.models import Branch
from creditcheck.integrations.services import branch_integration_test
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch, sandbox_credentials
from tests.factories import UserFactory
from tests.sandbox_client import inject_fault

pytestmark = pytest.mark.django_db

REPO_ROOT = Path(__file__).resolve().parents[2]


def closed_port() -> int:
    """A loopback port nobody listens on (the kernel just handed it out and it was closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def redis_cache(url: str) -> dict[str, Any]:
    return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}


def healthz(client: Client | None = None) -> tuple[int, dict[str, Any], str]:
    """GET /healthz (anonymous unless a client is given): status code, JSON body and raw text."""
    response = (client or Client()).get("/healthz")
    return response.status_code, response.json(), response.content.decode()


@pytest.fixture
def staff_client(db: None) -> Client:
    """A signed-in staff user: /healthz shows them each part's details."""
    client = Client()
    client.force_login(UserFactory.create(is_staff=True))
    return client


def test_healthz_tells_anonymous_callers_only_the_status_of_each_part(
    settings: Any, branch: Branch, sandbox: RunningSandbox
) -> None:
    settings.CELERY_BROKER_URL = ""
    integration = connect_branch(branch, sandbox, "spcbrasil")

    status, body, text = healthz()

    assert status == 200
    assert body == {
        "status": "ok",
        "database": {"status": "ok"},
        "broker": {"status": "embedded"},
        "cache": {"status": "ok"},
        "circuits": {"status": "ok"},
    }
    # was: branch ids and names, platform keys and circuit states
    assert "Filial São Paulo" not in text
    assert f'"branch": {branch.pk}' not in text
    assert integration.platform not in text


def test_healthz_details_setting_shows_them_to_anyone(
    settings: Any, branch: Branch, sandbox: RunningSandbox
) -> None:
    settings.CELERY_BROKER_URL = ""
    settings.HEALTHZ_DETAILS = True
    connect_branch(branch, sandbox, "spcbrasil")

    _status, body, _text = healthz()

    assert body["circuits"]["items"] == [
        {
            "branch": branch.pk,
            "branch_name": "Filial São Paulo",
            "platform": "spcbrasil",
            "state": "closed",
        }
    ]


def test_healthz_shows_a_signed_in_user_who_is_not_staff_only_the_statuses(
    settings: Any, attendant: Any
) -> None:
    settings.CELERY_BROKER_URL = ""
    client = Client()
    client.force_login(attendant)

    _status, body, _text = healthz(client)

    assert body["database"] == {"status": "ok"}


def test_healthz_details_for_staff_in_embedded_mode(
    settings: Any, branch: Branch, sandbox: RunningSandbox, staff_client: Client
) -> None:
    settings.CELERY_BROKER_URL = ""
    connect_branch(branch, sandbox, "spcbrasil")

    status, body, text = healthz(staff_client)

    assert status == 200
    assert body["status"] == "ok"
    assert body["database"] == {"status": "ok", "vendor": connection.vendor}
    assert body["broker"] == {"status": "embedded"}
    assert body["cache"] == {"status": "ok", "backend": "local"}
    assert body["circuits"] == {
        "status": "ok",
        "not_closed": 0,
        "items": [
            {
                "branch": branch.pk,
                "branch_name": "Filial São Paulo",
                "platform": "spcbrasil",
                "state": "closed",
            }
        ],
    }
    # Even staff learn states, not the branch's CNPJ or the platform credentials.
    assert branch.cnpj not in text
    for secret in sandbox_credentials("spcbrasil").values():
        assert secret not in text


def test_healthz_open_circuit_degrades_but_keeps_the_server_in_rotation(
    settings: Any, branch: Branch, sandbox: RunningSandbox, staff_client: Client
) -> None:
    settings.CELERY_BROKER_URL = ""
    settings.CIRCUIT_FAILURE_THRESHOLD = 1
    integration = connect_branch(branch, sandbox, "spcbrasil")
    connect_branch(branch, sandbox, "soawebservice")
    inject_fault(sandbox, "spcbrasil", "http500")
    ok, _message = branch_integration_test(integration=integration)
    assert not ok

    status, body, _text = healthz(staff_client)

    assert status == 200
    assert body["status"] == "degraded"
    assert body["circuits"]["status"] == "degraded"
    assert body["circuits"]["not_closed"] == 1
    states = {item["platform"]: item["state"] for item in body["circuits"]["items"]}
    assert states == {"spcbrasil": "open", "soawebservice": "closed"}
    assert body["database"]["status"] == "ok"


def test_healthz_broker_down_answers_503_without_its_password(
    settings: Any, staff_client: Client
) -> None:
    settings.CELERY_BROKER_URL = f"redis://:senha-do-broker@127.0.0.1:{closed_port()}/0"

    status, body, text = healthz(staff_client)

    assert status == 503
    assert body["status"] == "down"
    assert body["broker"] == {"status": "down", "error": "OperationalError"}
    assert body["database"]["status"] == "ok"
    assert "senha-do-broker" not in text


def test_healthz_cache_down_degrades_but_keeps_200(settings: Any) -> None:
    settings.CELERY_BROKER_URL = ""
    settings.HEALTHZ_DETAILS = True  # a staff sign-in would need the cache that is down
    url = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CACHE_URL = url
    settings.CACHES = redis_cache(url)

    status, body, _text = healthz()

    assert status == 200
    assert body["status"] == "degraded"
    assert body["cache"] == {"status": "down", "error": "ConnectionError", "backend": "redis"}
    # The circuit states live in the cache: unknown, not "closed".
    assert body["circuits"]["status"] == "unknown"


def test_healthz_database_down_answers_503() -> None:
    """A real server process whose DATABASE_URL names a closed port."""
    script = (
        "import json, django\n"
        "django.setup()\n"
        "from django.test import Client\n"
        "response = Client().get('/healthz')\n"
        "print(json.dumps({'status': response.status_code, 'body': response.json()}))\n"
    )
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"CELERY_BROKER_URL", "CACHE_URL"}},
        "DJANGO_SETTINGS_MODULE": "creditcheck.settings",
        "DATABASE_URL": f"postgres://postgres:senha-do-banco@127.0.0.1:{closed_port()}/creditcheck",
        "HEALTHZ_DETAILS": "true",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr

    answer = json.loads(result.stdout.strip().splitlines()[-1])

    assert answer["status"] == 503
    assert answer["body"]["status"] == "down"
    assert answer["body"]["database"] == {"status": "down", "error": "OperationalError"}
    assert answer["body"]["circuits"]["status"] == "unknown"
    assert answer["body"]["broker"] == {"status": "embedded"}
    assert "senha-do-banco" not in result.stdout


def test_healthz_answers_only_reads() -> None:
    assert Client().post("/healthz").status_code == 405


@pytest.mark.celery_worker  # the Redis tier: needs the broker, not a worker
def test_healthz_reaches_the_real_broker_and_redis_cache(settings: Any) -> None:
    settings.HEALTHZ_DETAILS = True
    url = os.environ["CELERY_BROKER_URL"]
    settings.CELERY_BROKER_URL = url
    settings.CACHE_URL = url
    settings.CACHES = redis_cache(url)

    status, body, _text = healthz()

    assert status == 200
    assert body["status"] == "ok"
    assert body["broker"] == {"status": "ok"}
    assert body["cache"] == {"status": "ok", "backend": "redis"}
