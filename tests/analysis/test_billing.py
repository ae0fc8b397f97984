"""Settling the billing a platform left unknown: billed, or not, once, audited with who did it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from creditcheck.analysis.enums import Billed
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.services import (
    BillingSettlementRefused,
    credit_query_settle_billing,
)
from creditcheck.core.enums import AuditAction
from creditcheck.core.models import AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)


def test_settle_as_billed_keeps_the_cost_and_is_audited(
    uncertain_query: CreditQuery, financial: User
) -> None:
    settled = credit_query_settle_billing(
        query_id=uncertain_query.pk, billed=Billed.YES, user=financial, ip_address="10.0.0.7"
    )

    assert (settled.billed, settled.cost) == (Billed.YES, Decimal("12.50"))
    row = CreditQuery.objects.get(pk=uncertain_query.pk)
    assert (row.billed, row.cost, row.user) == (Billed.YES, Decimal("12.50"), uncertain_query.user)
    entry = AuditEntry.objects.filter(action=AuditAction.CREDIT_QUERY).order_by("-seq").first()
    assert entry is not None
    assert (entry.user, entry.ip_address, entry.outcome, entry.target_id) == (
        financial,
        "10.0.0.7",
        "cobrança confirmada: cobrada",
        str(uncertain_query.pk),
    )
    assert entry.details == {
        "platform": "connectsa",
        "billed": "yes",
        "cost": "12.50",
        "before": {"billed": "unknown", "cost": "12.50"},
    }


def test_settle_as_not_billed_clears_the_cost(
    uncertain_query: CreditQuery, financial: User
) -> None:
    credit_query_settle_billing(query_id=uncertain_query.pk, billed=Billed.NO, user=financial)

    row = CreditQuery.objects.get(pk=uncertain_query.pk)
    assert (row.billed, row.cost) == (Billed.NO, Decimal("0.00"))


def test_settle_twice_refused_the_second_time(
    uncertain_query: CreditQuery, financial: User
) -> None:
    credit_query_settle_billing(query_id=uncertain_query.pk, billed=Billed.NO, user=financial)

    with pytest.raises(BillingSettlementRefused) as refused:
        credit_query_settle_billing(query_id=uncertain_query.pk, billed=Billed.YES, user=financial)

    assert (refused.value.code, refused.value.message) == (
        "billing_not_uncertain",
        "A cobrança desta consulta já está definida: Não.",
    )
    row = CreditQuery.objects.get(pk=uncertain_query.pk)
    assert (row.billed, row.cost) == (Billed.NO, Decimal("0.00"))


def test_settle_as_unknown_is_not_a_settlement(
    uncertain_query: CreditQuery, financial: User
) -> None:
    with pytest.raises(ValueError, match="billed yes or no"):
        credit_query_settle_billing(
            query_id=uncertain_query.pk, billed=Billed.UNKNOWN, user=financial
        )
