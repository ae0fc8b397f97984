"""Single flight on a real database: concurrent requests for one document make one platform call."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection

from creditcheck.analysis.enums import QueryStatus
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.services import CreditQueryRefused, credit_query_request
from creditcheck.analysis.subjects import subject_from_document
from creditcheck.core.models import Branch
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch, enable_credit_analysis
from tests.sandbox_client import billed_calls

CPF = "12345678909"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_requests_make_one_billed_call(
    attendant: User, seller: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    enable_credit_analysis(interval_days=30)
    connect_branch(branch, sandbox)
    sandbox.state.latency_ms["spcbrasil"] = 400  # keep the first call in flight while others come
    barrier = threading.Barrier(10)
    results: list[Any] = []
    lock = threading.Lock()

    def attempt(user: User) -> None:
        try:
            barrier.wait(timeout=10)
            try:
                outcome = credit_query_request(
                    subject=subject_from_document(CPF), branch=branch, user=user
                )
                result: Any = outcome.query.pk
            except CreditQueryRefused as refusal:
                result = (refusal.code, refusal.last_query.pk if refusal.last_query else None)
            with lock:
                results.append(result)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=(attendant if n % 2 else seller,)) for n in range(10)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    queries = list(CreditQuery.objects.exclude(status=QueryStatus.REFUSED))
    assert len(queries) == 1 and queries[0].status == QueryStatus.SUCCEEDED
    only = queries[0].pk
    # Everyone got that query: as joiners, or (arriving after it finished) as the interval's
    # "last query" to look at.
    assert len(results) == 10
    assert all(r == only or r == ("requery_interval", only) for r in results), results
    assert billed_calls(sandbox, document=CPF) == 1
