"""With the shared cache (Redis) unreachable, attendants keep working without its protections.

The cache holds the query rate limit and the platforms' circuit breakers
(creditcheck/core/shared_cache.py): a Redis restart must not turn queries into errors.
"""

import socket
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from creditcheck.core.models import Branch
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch, integration_on
from tests.sandbox_client import inject_fault, ledger


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def cache_down(settings: Any) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.CIRCUIT_FAILURE_THRESHOLD = 1


@pytest.mark.django_db(transaction=True)
def test_queries_go_on_without_rate_limit_and_circuit(
    cache_down: None,
    sandbox: RunningSandbox,
    branch: Branch,
    attendant: User,
    api_client_for: Callable[[User], APIClient],
) -> None:
    integration_on(branch, sandbox)
    client = api_client_for(attendant)
    inject_fault(sandbox, "spcbrasil", "http500", count=1)

    failed = client.post(
        "/api/v1/credit-queries/", {"document": "52998224725", "branch": branch.pk}
    )
    # With a threshold of 1 a readable cache would now hold the circuit open; unreadable, the
    # next query reaches the platform (which answers again) and succeeds.
    succeeded = client.post(
        "/api/v1/credit-queries/", {"document": "52998224725", "branch": branch.pk}
    )

    assert (failed.status_code, failed.json()["status"]) == (201, "failed")
    assert (succeeded.status_code, succeeded.json()["status"]) == (201, "succeeded")
    assert len(ledger(sandbox, platform="spcbrasil")) == 1  # the 500 answer billed nothing


@pytest.mark.django_db(transaction=True)
def test_integrations_screen_says_the_circuit_state_is_unknown(
    cache_down: None, sandbox: RunningSandbox, branch: Branch, administrator: User
) -> None:
    connect_branch(branch, sandbox)
    client = Client()
    client.force_login(administrator)

    page = client.get("/configuracoes/integracoes/")

    assert page.status_code == 200
    assert 'data-state="unknown"' in page.content.decode()
    assert "Desconhecida (cache indisponível)" in page.content.decode()
