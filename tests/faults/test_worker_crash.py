"""A Celery worker killed (SIGKILL) in the middle of a platform call, on PostgreSQL and Redis.

"Exactly once", as the platform's own records (the sandbox's ledger and inclusions) show it:
- a credit query whose call reached the platform is never sent again: nobody can know whether
  the platform billed it. It ends failed ("interrompida", billing unknown) with one call in the
  ledger, closed by the maintenance job once stale, not by waiting for the broker;
- a credit query whose worker died before claiming it runs once after the restart;
- a negativação ends with one record at the platform and ours registered with its id: the
  re-send after the restart gets the platform's "already registered" answer, a success.

Two deaths: the pool process only (the worker hands its task back at once —
task_reject_on_worker_lost — and forks a new pool process), and the whole worker (its task
stays unacknowledged in Redis and goes to the next worker after the visibility timeout, short
in these tests).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User

from creditcheck.analysis.enums import QueryStatus
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.services import credit_query_request
from creditcheck.analysis.subjects import subject_from_document
from creditcheck.core.models import Branch
from creditcheck.negativation.enums import NegativationStatus as S
from creditcheck.negativation.models import Negativation
from creditcheck.negativation.services import negativation_include
from providers.sandbox.scenarios import CLEAN_CNPJ, CLEAN_CPF
from providers.sandbox.server import RunningSandbox
from tests.faults.conftest import (
    HOLD_MS,
    Workers,
    assert_closed_as_interrupted,
    broker_client,
    call_in_flight,
    wait_until,
    wait_until_drained,
    wait_until_redeliverable,
)
from tests.negativation.conftest import MakeInvoice
from tests.sandbox_client import billed_calls, inclusions, ledger

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]

# What is killed -> the worker's pool.
KILLED = {"pool_process": "prefork", "worker": "solo"}
CUT_CPF = CLEAN_CPF
WAITING_CNPJ = CLEAN_CNPJ
RUN_QUERY = "creditcheck.analysis.tasks.task_run_credit_query"
SEND_NEGATIVATIONS = "creditcheck.negativation.tasks.task_send_negativations"


def _request(user: User, branch: Branch, document: str) -> CreditQuery:
    return credit_query_request(
        subject=subject_from_document(document), branch=branch, user=user
    ).query


def _kill_mid_call_and_recover(
    workers: Workers, sandbox: RunningSandbox, killed: str, *, answered: Callable[[], object]
) -> None:
    """Kill the worker holding the call, let the platform finish it, bring a worker back."""
    call_in_flight(sandbox)
    workers.kill(workers.processes[-1], pool_process=killed == "pool_process")
    wait_until(answered, "the platform answered the call cut short")
    sandbox.state.latency_ms.clear()
    if killed == "worker":
        wait_until_redeliverable(broker_client())
        workers.start(pool=KILLED[killed])


@pytest.mark.parametrize("killed", KILLED)
def test_query_cut_by_a_killed_worker_ends_interrupted_and_is_never_sent_again(
    killed: str, workers: Workers, attendant: User, spc_branch: Branch, sandbox: RunningSandbox
) -> None:
    workers.start(pool=KILLED[killed])
    sandbox.state.latency_ms["spcbrasil"] = HOLD_MS
    cut = _request(attendant, spc_branch, CUT_CPF)
    waiting = _request(attendant, spc_branch, WAITING_CNPJ)  # queued behind it (prefetch 1)

    call_in_flight(sandbox)
    assert CreditQuery.objects.get(pk=waiting.pk).status == QueryStatus.PENDING
    _kill_mid_call_and_recover(
        workers, sandbox, killed, answered=lambda: ledger(sandbox, document=CUT_CPF)
    )

    # The query no worker had claimed runs once on the worker that took over.
    wait_until(
        lambda: CreditQuery.objects.get(pk=waiting.pk).status == QueryStatus.SUCCEEDED,
        "the waiting query succeeded",
    )
    # The cut query's task came back (one task id received twice) and found it claimed.
    wait_until_drained(broker_client())
    received = workers.received(RUN_QUERY)
    assert (len(received), len(set(received))) == (3, 2), received
    assert_closed_as_interrupted(cut)
    assert len(ledger(sandbox, document=CUT_CPF)) == 1
    assert len(ledger(sandbox, document=WAITING_CNPJ)) == 1
    assert billed_calls(sandbox) == 2


@pytest.mark.parametrize("killed", KILLED)
def test_negativation_cut_by_a_killed_worker_is_registered_once(
    killed: str,
    workers: Workers,
    financial: User,
    spc_branch: Branch,
    sandbox: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    invoice = make_overdue_invoice()
    workers.start(pool=KILLED[killed])
    sandbox.state.latency_ms["spcbrasil"] = HOLD_MS
    negativation = negativation_include(invoice=invoice, user=financial)

    _kill_mid_call_and_recover(
        workers, sandbox, killed, answered=lambda: inclusions(sandbox, "spcbrasil")
    )

    wait_until(
        lambda: Negativation.objects.get(pk=negativation.pk).status != S.REQUESTED,
        "the negativação was sent again",
    )
    wait_until_drained(broker_client())
    received = workers.received(SEND_NEGATIVATIONS)
    assert (len(received), len(set(received))) == (2, 1), received
    negativation.refresh_from_db()
    records = inclusions(sandbox, "spcbrasil")
    assert [record["document"] for record in records] == [negativation.document]
    assert negativation.status == S.AWAITING_NOTICE and negativation.platform_id
    assert list(negativation.events.values_list("to_status", flat=True).order_by("id")) == [
        S.REQUESTED,
        S.SENT,
        S.AWAITING_NOTICE,
    ]
    sends = ledger(sandbox, operation="incluirSpc")
    assert [entry["billed"] for entry in sends] == [True, False]  # the second: "already exists"
