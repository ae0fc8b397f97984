"""The daily usage figures follow the queries as they end, and a rebuild gives the same rows."""

from __future__ import annotations

import contextlib
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from creditcheck.analysis.services import CreditQueryRefused, credit_query_request
from creditcheck.analysis.subjects import subject_from_document
from creditcheck.core.models import Branch
from creditcheck.costs.models import QueryUsageDaily
from creditcheck.costs.usage import usage_rebuild
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch, enable_credit_analysis

pytestmark = pytest.mark.django_db(transaction=True)


def usage_rows() -> list[tuple[object, ...]]:
    return list(
        QueryUsageDaily.objects.order_by("platform").values_list(
            "platform", "user__username", "sent", "cost", "avoided", "saved"
        )
    )


def test_queries_update_usage_and_rebuild_agrees(
    attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    enable_credit_analysis(interval_days=30)
    connect_branch(branch, sandbox, cost="16.00")
    for document in ("52998224725", "12345678909", "52998224725", "111.111.111-11"):
        # The repeated CPF (interval) and the invalid one are refused.
        with contextlib.suppress(CreditQueryRefused):
            credit_query_request(
                subject=subject_from_document(document), branch=branch, user=attendant
            )
    expected = [("spcbrasil", "atendente", 2, Decimal("32.00"), 1, Decimal("16.00"))]
    assert usage_rows() == expected
    assert usage_rebuild() == 1
    assert usage_rows() == expected
