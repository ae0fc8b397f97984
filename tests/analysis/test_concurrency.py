"""Single flight on a real database: concurrent requests for one document make one platform call."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction

from creditcheck.analysis.enums import IN_FLIGHT, QueryStatus
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.services import CreditQueryRefused, credit_query_request
from creditcheck.analysis.subjects import subject_from_document
from creditcheck.core.models import Branch
from providers.sandbox.scenarios import SMALL_RESTRICTION_CPF
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch, integration_on
from tests.factories import CreditQueryFactory
from tests.sandbox_client import billed_calls

CPF = SMALL_RESTRICTION_CPF


def ask_all_at_once(requests: list[tuple[User, Branch]]) -> list[tuple[User, Any]]:
    """Each (user, branch) asks for CPF in its own thread, all released at the same moment.

    Answers, per request: the query's id, or (refusal code, the refusal's last query id).
    """
    barrier = threading.Barrier(len(requests))
    answers: list[tuple[User, Any]] = []
    lock = threading.Lock()

    def attempt(user: User, branch: Branch) -> None:
        try:
            barrier.wait(timeout=10)
            try:
                outcome = credit_query_request(
                    subject=subject_from_document(CPF), branch=branch, user=user
                )
                answer: Any = outcome.query.pk
            except CreditQueryRefused as refusal:
                answer = (refusal.code, refusal.last_query.pk if refusal.last_query else None)
            with lock:
                answers.append((user, answer))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=request) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_requests_make_one_billed_call(
    attendant: User, seller: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    integration_on(branch, sandbox, interval_days=30)
    sandbox.state.latency_ms["spcbrasil"] = 400  # keep the first call in flight while others come

    answers = ask_all_at_once([(attendant if n % 2 else seller, branch) for n in range(10)])

    queries = list(CreditQuery.objects.exclude(status=QueryStatus.REFUSED))
    assert len(queries) == 1 and queries[0].status == QueryStatus.SUCCEEDED
    only = queries[0].pk
    # Everyone got that query: as joiners, or (arriving after it finished) as the interval's
    # "last query" to look at.
    results = [answer for _user, answer in answers]
    assert len(results) == 10
    assert all(r == only or r == ("requery_interval", only) for r in results), results
    assert billed_calls(sandbox, document=CPF) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_requests_from_two_branches_make_one_billed_call(
    attendant: User,
    other_attendant: User,
    branch: Branch,
    other_branch: Branch,
    sandbox: RunningSandbox,
) -> None:
    """Users of another branch, who cannot open the query in flight, get a query of their own
    branch with its result: one call, and every user sees the result in a query they can open."""
    integration_on(branch, sandbox, interval_days=30)
    connect_branch(other_branch, sandbox)
    sandbox.state.latency_ms["spcbrasil"] = 400

    answers = ask_all_at_once(
        [(attendant, branch) if n % 2 else (other_attendant, other_branch) for n in range(10)]
    )

    assert len(answers) == 10
    assert billed_calls(sandbox, document=CPF) == 1
    sent = CreditQuery.objects.filter(shared_from__isnull=True).exclude(status=QueryStatus.REFUSED)
    assert sent.count() == 1 and sent.get().status == QueryStatus.SUCCEEDED
    for user, answer in answers:
        if isinstance(answer, tuple):  # arrived after the result was stored
            assert answer[0] == "requery_interval", answer
            continue
        query = CreditQuery.objects.get(pk=answer)
        assert query.status == QueryStatus.SUCCEEDED, (query.status, query.error_code)
        assert query.branch.members.filter(pk=user.pk).exists()  # one the user can open
    # Whichever branch won the race, the users of the other one waited for its result.
    copies = CreditQuery.objects.filter(shared_from__isnull=False)
    assert copies.exists()
    assert set(copies.values_list("status", "billed")) == {(QueryStatus.SUCCEEDED, "no")}
    assert not copies.filter(branch=sent.get().branch).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_query_that_finishes_during_admission_is_not_billed_again(
    attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    """The last query of the document succeeds after the interval check and before the pending
    INSERT: the INSERT waits on that query's row in one_inflight_query_per_document, then finds
    no clash. The re-check inside the INSERT's transaction sees the success and refuses."""
    integration_on(branch, sandbox, interval_days=30)
    running = CreditQueryFactory.create(
        document=CPF, branch=branch, user=attendant, status=QueryStatus.RUNNING
    )
    updated, finish = threading.Event(), threading.Event()
    answers: list[Any] = []

    def finish_running_query() -> None:
        try:
            with transaction.atomic():
                CreditQuery.objects.filter(pk=running.pk).update(status=QueryStatus.SUCCEEDED)
                updated.set()
                finish.wait(timeout=20)
        finally:
            connection.close()

    def ask() -> None:
        try:
            credit_query_request(subject=subject_from_document(CPF), branch=branch, user=attendant)
            answers.append("admitted")
        except CreditQueryRefused as refusal:
            answers.append((refusal.code, refusal.last_query.pk if refusal.last_query else None))
        finally:
            connection.close()

    finisher = threading.Thread(target=finish_running_query)
    finisher.start()
    assert updated.wait(timeout=20)
    asker = threading.Thread(target=ask)
    asker.start()
    _wait_until_blocked_on_a_lock()
    finish.set()
    finisher.join(timeout=20)
    asker.join(timeout=20)

    assert answers == [("requery_interval", running.pk)]
    assert not CreditQuery.objects.filter(status__in=IN_FLIGHT).exists()
    assert billed_calls(sandbox, document=CPF) == 0


def _wait_until_blocked_on_a_lock(timeout: float = 20.0) -> None:
    """Until another session of this test database waits on a lock (the asker's INSERT)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the asker never waited on the running query's row")
