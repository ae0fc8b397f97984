"""The per-user rate limit on credit queries (CREDIT_QUERY_RATE), on the API and on the screen."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import lxml.html
import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from rest_framework.test import APIClient

from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.throttling import Rate, credit_query_rate_hit, parse_rate
from creditcheck.core.models import Branch
from providers.sandbox.server import RunningSandbox
from tests.conftest import require_service
from tests.credit_setup import integration_on
from tests.factories import CustomerFactory

URL = "/api/v1/credit-queries/"
NEW_URL = "/analise-credito/nova/"
CPFS = ["52998224725", "11144477735", "39053344705"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_per_minute(settings: Any) -> None:
    settings.CREDIT_QUERY_RATE = "2/min"


@pytest.mark.parametrize(
    ("text", "rate"),
    [("30/min", Rate(30, 60)), ("5/s", Rate(5, 1)), ("100/hour", Rate(100, 3600))],
)
def test_parse_rate_reads_count_and_period(text: str, rate: Rate) -> None:
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["30", "30/week", "many/min", ""])
def test_parse_rate_malformed_is_improperly_configured(text: str) -> None:
    with pytest.raises(ImproperlyConfigured):
        parse_rate(text)


def test_rate_hit_window_slides(two_per_minute: None, attendant: User, seller: User) -> None:
    # Given two attempts at t=0 and t=10
    assert credit_query_rate_hit(user=attendant, now=1000.0) is None
    assert credit_query_rate_hit(user=attendant, now=1010.0) is None
    # the third waits until the first leaves the window, and is not counted
    assert credit_query_rate_hit(user=attendant, now=1030.0) == 30
    assert credit_query_rate_hit(user=attendant, now=1059.5) == 1
    # another user has a count of their own
    assert credit_query_rate_hit(user=seller, now=1030.0) is None
    # and once the first attempt is a minute old, one more is allowed
    assert credit_query_rate_hit(user=attendant, now=1060.0) is None
    assert credit_query_rate_hit(user=attendant, now=1061.0) == 9


def test_api_post_over_rate_is_429_with_code_and_wait(
    two_per_minute: None,
    api_client_for: Callable[[User], APIClient],
    attendant: User,
    branch: Branch,
    sandbox: RunningSandbox,
) -> None:
    integration_on(branch, sandbox)
    client = api_client_for(attendant)
    statuses = [
        client.post(URL, {"document": cpf, "branch": branch.pk}, format="json").status_code
        for cpf in CPFS[:2]
    ]

    response = client.post(URL, {"document": CPFS[2], "branch": branch.pk}, format="json")

    assert statuses == [202, 202]
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 55 <= wait <= 60  # a minute from the first attempt, a moment ago
    assert response.json() == {
        "code": "rate_limited",
        "detail": f"Limite de consultas por minuto atingido. Tente novamente em {wait} segundos.",
    }
    # the refused attempt never reached the query service
    assert sorted(CreditQuery.objects.values_list("document", flat=True)) == sorted(CPFS[:2])
    # and reading the history is not limited
    assert client.get(URL).status_code == 200


def test_api_rate_is_per_user(
    two_per_minute: None,
    api_client_for: Callable[[User], APIClient],
    attendant: User,
    seller: User,
    branch: Branch,
    sandbox: RunningSandbox,
) -> None:
    integration_on(branch, sandbox)
    first = api_client_for(attendant)
    for cpf in CPFS[:2]:
        first.post(URL, {"document": cpf, "branch": branch.pk}, format="json")

    response = api_client_for(seller).post(
        URL, {"document": CPFS[2], "branch": branch.pk}, format="json"
    )

    assert response.status_code == 202


def test_screen_post_over_rate_shows_message_and_does_not_query(
    two_per_minute: None,
    client: Client,
    attendant: User,
    branch: Branch,
    sandbox: RunningSandbox,
) -> None:
    integration_on(branch, sandbox)
    customers = [CustomerFactory.create(document=cpf, branch=branch) for cpf in CPFS]
    client.force_login(attendant)
    # Given two queries asked from the API (one rule for both entry points)
    api = APIClient()
    api.force_authenticate(user=attendant)
    for cpf in CPFS[:2]:
        api.post(URL, {"document": cpf, "branch": branch.pk}, format="json")

    response = client.post(NEW_URL, {"customer": str(customers[2].pk), "branch": str(branch.pk)})

    assert response.status_code == 429
    page: lxml.html.HtmlElement = lxml.html.fromstring(response.content.decode())
    [text] = [
        " ".join(node.text_content().split())
        for node in page.xpath('//*[@data-testid="rate-limited-alert"]')
    ]
    assert text.startswith(
        "Consulta não realizada. Limite de consultas por minuto atingido. Tente novamente em "
    )
    assert text.endswith(" segundos.")
    assert CreditQuery.objects.filter(document=CPFS[2]).count() == 0


def _redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.parametrize("shared", [False, True], ids=["local-cache", "redis-cache"])
def test_parallel_attempts_of_one_user_never_exceed_the_rate(
    settings: Any, attendant: User, shared: bool
) -> None:
    """A script with many threads: each attempt counts, none is lost between read and write.

    With Redis (production's shared cache) the read and the write are apart long enough for
    the threads to interleave; that case is the one the turn-taking is for.
    """
    if shared:
        require_service(_redis_reachable(), "needs Redis on 127.0.0.1:6379")
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": "redis://127.0.0.1:6379/13",
            }
        }
        cache.clear()
    settings.CREDIT_QUERY_RATE = "5/min"
    start = threading.Barrier(12)

    def attempt() -> int | None:
        start.wait()
        return credit_query_rate_hit(user=attendant)

    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(lambda _: attempt(), range(12)))

    assert sum(answer is None for answer in answers) == 5
