"""invoice_pay: the one way a payment is registered, with its rules and who registered it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone

from creditcheck.contracts.enums import InvoiceStatus
from creditcheck.contracts.models import Invoice
from creditcheck.contracts.services import invoice_pay
from creditcheck.core.models import Branch
from tests.factories import InvoiceFactory

pytestmark = pytest.mark.django_db


def test_invoice_pay_records_date_amount_and_who(financial: User, branch: Branch) -> None:
    invoice = InvoiceFactory.create(contract__customer__branch=branch)
    today = timezone.localdate()

    invoice_pay(invoice=invoice, paid_at=today, amount=Decimal("99.90"), user=financial)

    stored = Invoice.objects.get(pk=invoice.pk)
    assert (stored.status, stored.paid_at, stored.paid_amount, stored.paid_by) == (
        InvoiceStatus.PAID,
        today,
        Decimal("99.90"),
        financial,
    )


def test_invoice_pay_by_the_system_records_no_user(branch: Branch) -> None:
    invoice = InvoiceFactory.create(contract__customer__branch=branch)

    invoice_pay(invoice=invoice, paid_at=timezone.localdate(), amount=Decimal("1.00"), user=None)

    assert Invoice.objects.get(pk=invoice.pk).paid_by is None


def test_invoice_pay_refuses_a_future_date_on_paid_at(financial: User, branch: Branch) -> None:
    invoice = InvoiceFactory.create(contract__customer__branch=branch)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        invoice_pay(invoice=invoice, paid_at=tomorrow, amount=Decimal("99.90"), user=financial)

    error = refused.value.error_dict["paid_at"][0]
    assert (error.message, error.code) == (
        "A data do pagamento não pode estar no futuro.",
        "future_date",
    )
    stored = Invoice.objects.get(pk=invoice.pk)
    assert (stored.status, stored.paid_at, stored.paid_by) == (InvoiceStatus.OPEN, None, None)
