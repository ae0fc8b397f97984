"""The daily usage figures follow the queries as they end, and a rebuild gives the same rows."""

from __future__ import annotations

import contextlib
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from creditcheck.analysis.enums import Billed
from creditcheck.analysis.services import (
    CreditQueryRefused,
    credit_query_request,
    credit_query_settle_billing,
)
from creditcheck.analysis.subjects import subject_from_document
from creditcheck.core.models import Branch
from creditcheck.costs.models import QueryUsageDaily
from creditcheck.costs.usage import usage_rebuild
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import (
    integration_on,
    query_with_uncertain_billing,
)

pytestmark = pytest.mark.django_db(transaction=True)


def usage_rows() -> list[tuple[object, ...]]:
    return list(
        QueryUsageDaily.objects.order_by("platform").values_list(
            "platform", "user__username", "sent", "cost", "avoided", "saved"
        )
    )


def uncertain_rows() -> list[tuple[object, ...]]:
    return list(
        QueryUsageDaily.objects.values_list(
            "platform", "sent", "cost", "uncertain", "uncertain_cost"
        )
    )


def test_queries_update_usage_and_rebuild_agrees(
    attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    integration_on(branch, sandbox, cost="16.00", interval_days=30)
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


def test_uncertain_billing_counts_apart_until_settled_and_rebuild_agrees(
    attendant: User, financial: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    integration_on(branch, sandbox, "connectsa", cost="12.50")
    first = query_with_uncertain_billing(attendant, branch, sandbox, "52998224725")
    query_with_uncertain_billing(attendant, branch, sandbox, "22233344405")
    credit_query_request(
        subject=subject_from_document("12345678909"), branch=branch, user=attendant
    )

    # sent, cost, uncertain, uncertain_cost
    before = [("connectsa", 3, Decimal("12.50"), 2, Decimal("25.00"))]
    assert uncertain_rows() == before
    assert usage_rebuild() == 1
    assert uncertain_rows() == before

    credit_query_settle_billing(query_id=first.pk, billed=Billed.YES, user=financial)

    after = [("connectsa", 3, Decimal("25.00"), 1, Decimal("12.50"))]
    assert uncertain_rows() == after
    assert usage_rebuild() == 1
    assert uncertain_rows() == after
