"""PostgreSQL dropping the app's connections (pg_terminate_backend; the server keeps running).

A connection dropped between requests is replaced unnoticed (persistent connections are checked
before reuse). A request whose connection drops in the middle answers 503 — the API with the
code `database_unavailable`, the screens with a page in Portuguese — and the next one works. A
worker's task cut the same way leaves its query to the maintenance job, which closes it; the
worker goes on with the next task.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import psycopg
import pytest
import requests
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from rest_framework.authtoken.models import Token

from creditcheck.analysis.enums import QueryStatus
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.services import credit_query_request
from creditcheck.analysis.subjects import subject_from_document
from creditcheck.core.models import Branch
from creditcheck.customers.models import Customer
from providers.sandbox.server import RunningSandbox
from tests.factories import CustomerFactory
from tests.faults.conftest import (
    HOLD_MS,
    WEB_APPLICATION_NAME,
    Workers,
    assert_closed_as_interrupted,
    backend_pids,
    call_in_flight,
    database_url,
    terminate_backends,
    wait_until,
)
from tests.sandbox_client import ledger

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WORKER_APPLICATION_NAME = "creditcheck-fault-worker"
API_CUSTOMERS = "/api/v1/customers/"
SCREEN_CUSTOMERS = "/clientes/"


@contextmanager
def _customers_locked() -> Iterator[None]:
    """Hold an exclusive lock on the customers table, so a request reading it waits there."""
    with psycopg.connect(**connection.get_connection_params()) as locker:
        locker.execute(f'LOCK TABLE "{Customer._meta.db_table}" IN ACCESS EXCLUSIVE MODE')
        yield
        locker.rollback()


def _get_cut_mid_request(session: requests.Session, url: str) -> requests.Response:
    """GET `url` and drop the server's connection while the request waits on the database."""
    with _customers_locked(), ThreadPoolExecutor(max_workers=1) as pool:
        response = pool.submit(session.get, url, timeout=30)
        wait_until(
            lambda: backend_pids(WEB_APPLICATION_NAME, waiting_on_lock=True),
            "the request waits for the customers table",
        )
        terminate_backends(WEB_APPLICATION_NAME)
        return response.result()


def test_requests_cut_by_a_dropped_connection_answer_503_and_the_next_ones_work(
    app_server: str, attendant: User, branch: Branch
) -> None:
    CustomerFactory.create(branch=branch, name="Maria da Silva")
    api = requests.Session()
    api.headers["Authorization"] = f"Token {Token.objects.create(user=attendant).key}"
    screens = requests.Session()
    browser = Client()
    browser.force_login(attendant)
    screens.cookies.set(
        settings.SESSION_COOKIE_NAME, browser.cookies[settings.SESSION_COOKIE_NAME].value
    )

    # Dropped between requests: replaced before the next request uses it.
    assert api.get(app_server + API_CUSTOMERS).status_code == 200
    dropped = terminate_backends(WEB_APPLICATION_NAME)
    assert dropped
    response = api.get(app_server + API_CUSTOMERS)
    assert (response.status_code, response.json()["count"]) == (200, 1)
    assert set(backend_pids(WEB_APPLICATION_NAME)).isdisjoint(dropped)

    # Dropped in the middle of a request: 503, then the next request works.
    response = _get_cut_mid_request(api, app_server + API_CUSTOMERS)
    assert response.status_code == 503
    assert response.json() == {
        "code": "database_unavailable",
        "detail": "O banco de dados está indisponível no momento. "
        "Tente de novo em alguns instantes.",
    }
    assert response.headers["Retry-After"] == "5"
    assert api.get(app_server + API_CUSTOMERS).json()["count"] == 1

    response = _get_cut_mid_request(screens, app_server + SCREEN_CUSTOMERS)
    assert response.status_code == 503
    assert "Serviço temporariamente indisponível" in response.text
    assert "Tente de novo em alguns instantes." in response.text
    assert "Traceback" not in response.text
    response = screens.get(app_server + SCREEN_CUSTOMERS)
    assert response.status_code == 200
    assert "Maria da Silva" in response.text


@pytest.mark.celery_worker
def test_task_cut_by_a_dropped_connection_leaves_a_closed_query_and_the_worker_goes_on(
    workers: Workers, attendant: User, spc_branch: Branch, sandbox: RunningSandbox
) -> None:
    workers.start(env={"DATABASE_URL": database_url(WORKER_APPLICATION_NAME)})
    sandbox.state.latency_ms["spcbrasil"] = HOLD_MS
    cut = credit_query_request(
        subject=subject_from_document("52998224725"), branch=spc_branch, user=attendant
    ).query
    call_in_flight(sandbox)
    assert terminate_backends(WORKER_APPLICATION_NAME)
    wait_until(lambda: ledger(sandbox, document=cut.document), "the platform answered")
    sandbox.state.latency_ms.clear()

    # The worker's next task gets a new connection.
    after = credit_query_request(
        subject=subject_from_document("11222333000181"), branch=spc_branch, user=attendant
    ).query
    wait_until(
        lambda: CreditQuery.objects.get(pk=after.pk).status == QueryStatus.SUCCEEDED,
        "the next query succeeded on the same worker",
    )
    # The cut task could not store its outcome; the maintenance job closes the query.
    assert_closed_as_interrupted(cut)
    assert len(ledger(sandbox, document=cut.document)) == 1
