"""Redis restarted mid-run (a private redis-server without persistence, like the machine's).

A restart without persistence loses every queued message, and while Redis is down nothing can
be published. Our rows are the outbox: a request stores its query or negativação and answers
normally even when its message cannot be sent, and the maintenance jobs enqueue again whatever
stayed pending. Each one then completes exactly once, as the sandbox's records show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.test import APIClient

from creditcheck.analysis.enums import QueryStatus
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.services import credit_query_requeue_pending
from creditcheck.celery import app as celery_app
from creditcheck.core.models import Branch
from creditcheck.negativation.enums import NegativationStatus as S
from creditcheck.negativation.models import Negativation
from creditcheck.negativation.services import negativation_retry_due
from providers.sandbox.scenarios import CLEAN_CNPJ, CLEAN_CPF, HIGH_SCORE_CPF
from providers.sandbox.server import RunningSandbox
from tests.faults.conftest import (
    HOLD_MS,
    PrivateRedis,
    Workers,
    broker_client,
    call_in_flight,
    queued_messages,
    wait_until,
)
from tests.negativation.conftest import MakeInvoice
from tests.sandbox_client import billed_calls, inclusions, ledger

pytestmark = pytest.mark.django_db(transaction=True)

ClientFor = Callable[[User], APIClient]
BUSY_CPF = CLEAN_CPF  # held by the worker while Redis restarts
QUEUED_CNPJ = CLEAN_CNPJ  # queued when Redis restarts
DOWN_CPF = HIGH_SCORE_CPF  # asked for while Redis is down
# Past every "message lost" threshold of the maintenance jobs (2 min for queries, 5 for
# negativações), short of the 30 min after which a pending query is no longer sent.
LATER = timedelta(minutes=6)


@dataclass(frozen=True)
class Staff:
    """API clients of the attendant (credit queries) and of the financial staff (negativações)."""

    attendant: APIClient
    financial: APIClient


@pytest.fixture
def staff(api_client_for: ClientFor, attendant: User, financial: User) -> Staff:
    return Staff(api_client_for(attendant), api_client_for(financial))


def _post_query(client: APIClient, branch: Branch, document: str) -> int:
    response = client.post("/api/v1/credit-queries/", {"document": document, "branch": branch.pk})
    assert (response.status_code, response.json()["status"]) == (202, "pending"), response.content
    query_id: int = response.json()["id"]
    return query_id


def _post_negativation(client: APIClient, invoice_id: int) -> int:
    response = client.post("/api/v1/negativations/", {"invoice": invoice_id}, format="json")
    assert (response.status_code, response.json()["status"]) == (201, "requested"), response.content
    negativation_id: int = response.json()["id"]
    return negativation_id


def test_requests_while_the_broker_is_unreachable_answer_and_leave_their_rows_pending(
    unreachable_broker: str,
    staff: Staff,
    spc_branch: Branch,
    sandbox: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
    caplog: pytest.LogCaptureFixture,
) -> None:
    query = _post_query(staff.attendant, spc_branch, DOWN_CPF)
    negativation = _post_negativation(staff.financial, make_overdue_invoice().pk)

    assert CreditQuery.objects.get(pk=query).status == QueryStatus.PENDING
    assert Negativation.objects.get(pk=negativation).status == S.REQUESTED
    assert ledger(sandbox) == []
    not_enqueued = [
        record.getMessage()
        for record in caplog.records
        if record.name == "creditcheck.core.dispatch" and record.levelname == "ERROR"
    ]
    assert len(not_enqueued) == 2 and all("not enqueued" in m for m in not_enqueued)


@pytest.mark.postgres
@pytest.mark.celery_worker
def test_redis_restart_loses_no_query_and_no_negativation(
    private_redis: PrivateRedis,
    workers: Workers,  # after private_redis: the workers stop before their broker does
    staff: Staff,
    spc_branch: Branch,
    sandbox: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    branch = spc_branch
    workers.start(env=private_redis.worker_env)
    broker = broker_client()

    # The worker is busy with a held call; two more wait in the broker.
    sandbox.state.latency_ms["spcbrasil"] = HOLD_MS
    busy = _post_query(staff.attendant, branch, BUSY_CPF)
    call_in_flight(sandbox)
    queries = [_post_query(staff.attendant, branch, QUEUED_CNPJ)]
    negativations = [_post_negativation(staff.financial, make_overdue_invoice().pk)]
    assert queued_messages(broker) == 2

    # Redis goes down: requests still store their rows and answer.
    private_redis.stop()
    queries.append(_post_query(staff.attendant, branch, DOWN_CPF))
    negativations.append(_post_negativation(staff.financial, make_overdue_invoice().pk))
    private_redis.start()
    assert queued_messages(broker) == 0  # the restart lost the queued messages

    # The worker finishes the task it held through the restart and reconnects.
    wait_until(lambda: ledger(sandbox, document=BUSY_CPF), "the held call was answered")
    sandbox.state.latency_ms.clear()
    wait_until(
        lambda: CreditQuery.objects.get(pk=busy).status == QueryStatus.SUCCEEDED,
        "the held query succeeded",
    )
    wait_until(
        lambda: celery_app.control.ping(destination=[workers.hostname(0)], timeout=1.0),
        "the worker is connected to the restarted Redis",
    )
    assert set(CreditQuery.objects.filter(pk__in=queries).values_list("status", flat=True)) == {
        QueryStatus.PENDING
    }
    assert set(
        Negativation.objects.filter(pk__in=negativations).values_list("status", flat=True)
    ) == {S.REQUESTED}

    # The maintenance jobs enqueue them again: each completes once.
    later = timezone.now() + LATER
    assert credit_query_requeue_pending(now=later) == (2, 0)
    assert negativation_retry_due(now=later) == (2, 0)
    wait_until(
        lambda: (
            CreditQuery.objects.filter(pk__in=queries, status=QueryStatus.SUCCEEDED).count() == 2
            and not Negativation.objects.filter(pk__in=negativations, status=S.REQUESTED).exists()
        ),
        "every query and negativação completed",
    )
    assert credit_query_requeue_pending(now=later) == (0, 0)
    assert negativation_retry_due(now=later) == (0, 0)
    for document in (BUSY_CPF, QUEUED_CNPJ, DOWN_CPF):
        assert billed_calls(sandbox, document=document) == 1
    registered = Negativation.objects.filter(pk__in=negativations)
    assert set(registered.values_list("status", flat=True)) == {S.AWAITING_NOTICE}
    assert sorted(str(record["document"]) for record in inclusions(sandbox, "spcbrasil")) == sorted(
        registered.values_list("document", flat=True)
    )
