"""The one status setter of credit queries: the transitions table decides, one conditional UPDATE
writes the status and the named fields only, and a second run of the same step writes nothing."""

from __future__ import annotations

import threading
import time

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

from creditcheck.analysis.enums import TRANSITIONS, Billed, QueryStatus, SubjectType
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.services import (
    STALE_RUNNING_AFTER,
    credit_query_close_stale,
    credit_query_request,
    credit_query_run,
)
from creditcheck.analysis.services.status import InvalidQueryTransition, credit_query_set_status
from creditcheck.analysis.subjects import subject_from_document
from creditcheck.core.enums import AuditAction
from creditcheck.core.models import AuditEntry, Branch
from creditcheck.costs.models import QueryUsageDaily
from providers.sandbox.scenarios import CLEAN_CPF
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch, integration_on
from tests.sandbox_client import billed_calls

pytestmark = pytest.mark.django_db


def stored(user: User, branch: Branch, status: QueryStatus) -> CreditQuery:
    return CreditQuery.objects.create(
        subject_type=SubjectType.DOCUMENT,
        document=CLEAN_CPF,
        person_type="F",
        branch=branch,
        user=user,
        status=status,
    )


def test_transitions_table_has_every_status_and_final_states_go_nowhere() -> None:
    assert set(TRANSITIONS) == set(QueryStatus.values)
    assert {s for s, targets in TRANSITIONS.items() if not targets} == {
        QueryStatus.SUCCEEDED,
        QueryStatus.FAILED,
        QueryStatus.REFUSED,
    }


def test_set_status_saves_status_and_named_fields_only(attendant: User, branch: Branch) -> None:
    query = stored(attendant, branch, QueryStatus.PENDING)
    started = timezone.now()
    query.started_at = started
    query.error_message = "not named: stays out of the database"

    moved = credit_query_set_status(
        query=query, status=QueryStatus.RUNNING, update_fields=["started_at"]
    )

    assert (moved, query.status) == (True, QueryStatus.RUNNING)
    row = CreditQuery.objects.get(pk=query.pk)
    assert (row.status, row.started_at, row.error_message) == (QueryStatus.RUNNING, started, "")


def test_set_status_outside_the_table_refused_and_nothing_written(
    attendant: User, branch: Branch
) -> None:
    query = stored(attendant, branch, QueryStatus.SUCCEEDED)

    with pytest.raises(InvalidQueryTransition):
        credit_query_set_status(query=query, status=QueryStatus.RUNNING)

    assert query.status == QueryStatus.SUCCEEDED
    assert CreditQuery.objects.get(pk=query.pk).status == QueryStatus.SUCCEEDED


def test_set_status_from_a_stale_copy_writes_nothing(attendant: User, branch: Branch) -> None:
    query = stored(attendant, branch, QueryStatus.PENDING)
    stale_copy = CreditQuery.objects.get(pk=query.pk)
    first_start = timezone.now()
    query.started_at = first_start
    assert credit_query_set_status(
        query=query, status=QueryStatus.RUNNING, update_fields=["started_at"]
    )

    stale_copy.billed = Billed.NO
    moved = credit_query_set_status(
        query=stale_copy, status=QueryStatus.FAILED, update_fields=["billed"]
    )

    assert (moved, stale_copy.status) == (False, QueryStatus.PENDING)
    row = CreditQuery.objects.get(pk=query.pk)
    assert (row.status, row.started_at) == (QueryStatus.RUNNING, first_start)


def test_run_of_a_query_already_running_makes_no_call(
    attendant: User, branch: Branch, sandbox: RunningSandbox, django_capture_on_commit_callbacks
) -> None:
    integration_on(branch, sandbox)
    with django_capture_on_commit_callbacks(execute=False):
        query = credit_query_request(
            subject=subject_from_document(CLEAN_CPF), branch=branch, user=attendant
        ).query
    credit_query_run(query_id=query.pk)

    credit_query_run(query_id=query.pk)  # the same task delivered twice

    assert billed_calls(sandbox, document=CLEAN_CPF) == 1
    assert CreditQuery.objects.get(pk=query.pk).status == QueryStatus.SUCCEEDED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_late_answer_after_the_query_was_closed_as_interrupted_is_not_stored(
    attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    """The maintenance job closes a query it takes for cut short while the platform still
    answers: the late answer does not reopen it, nor count it twice in the usage figures."""
    integration = connect_branch(branch, sandbox, cost="9.90")
    sandbox.state.latency_ms["spcbrasil"] = 1500
    query = stored(attendant, branch, QueryStatus.PENDING)
    CreditQuery.objects.filter(pk=query.pk).update(integration=integration, platform="spcbrasil")

    def run() -> None:
        try:
            credit_query_run(query_id=query.pk)
        finally:
            connection.close()

    worker = threading.Thread(target=run)
    worker.start()
    deadline = time.monotonic() + 10
    while CreditQuery.objects.get(pk=query.pk).status != QueryStatus.RUNNING:
        assert time.monotonic() < deadline, "the run never claimed the query"
        time.sleep(0.05)
    closed = credit_query_close_stale(now=timezone.now() + STALE_RUNNING_AFTER * 2)
    worker.join(timeout=30)

    assert closed == 1
    row = CreditQuery.objects.get(pk=query.pk)
    assert (row.status, row.error_code, row.billed) == (
        QueryStatus.FAILED,
        "interrupted",
        Billed.UNKNOWN,
    )
    assert list(QueryUsageDaily.objects.values_list("sent", flat=True)) == [1]
    outcomes = AuditEntry.objects.filter(
        action=AuditAction.CREDIT_QUERY, target_id=str(query.pk)
    ).order_by("seq")
    assert list(outcomes.values_list("outcome", flat=True)) == ["falhou: interrupted"]
