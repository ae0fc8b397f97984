"""Fixtures for the ERP and payments tests: payment sources and a negativated invoice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from creditcheck.contracts.models import Invoice
from creditcheck.core.models import Branch
from creditcheck.erp.enums import SourceKind
from creditcheck.erp.models import PaymentSource
from creditcheck.negativation.enums import NegativationStatus
from creditcheck.negativation.models import Negativation
from creditcheck.negativation.services import negativation_include
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch, enable_credit_analysis
from tests.factories import ContractFactory, CustomerFactory, InvoiceFactory
from tests.sandbox_client import ledger

SECRET = "s3cr3t-token-of-the-webhook-0123456789"
PLATFORM = "soawebservice"

MakeSource = Callable[..., PaymentSource]
MakeInvoice = Callable[..., Invoice]


@pytest.fixture
def make_source(branch: Branch) -> MakeSource:
    def make(kind: str, key: str = "", secret: str = SECRET, **fields: Any) -> PaymentSource:
        source = PaymentSource(key=key or f"{kind}-principal", name=f"Fonte {kind}", kind=kind)
        for name, value in fields.items():
            setattr(source, name, value)
        source.set_secret(secret)
        source.save()
        return source

    return make


@pytest.fixture
def asaas_source(make_source: MakeSource) -> PaymentSource:
    return make_source(SourceKind.ASAAS, invoice_source="ixc")


@pytest.fixture
def make_invoice(branch: Branch) -> MakeInvoice:
    def make(days_overdue: int = 40, **fields: Any) -> Invoice:
        owner = CustomerFactory.create(branch=branch, state="SP")
        contract = ContractFactory.create(customer=owner, start_date=dt.date(2020, 1, 10))
        return InvoiceFactory.create(
            contract=contract,
            amount=Decimal("129.90"),
            due_date=timezone.localdate() - dt.timedelta(days=days_overdue),
            **fields,
        )

    return make


@pytest.fixture
def negativated(
    branch: Branch, sandbox: RunningSandbox, financial: User, make_invoice: MakeInvoice
) -> Negativation:
    """An invoice (IXC id 7001, Pix txid TXID7001...) negativated at the SOAWebService sandbox."""
    enable_credit_analysis()
    connect_branch(branch, sandbox, PLATFORM)
    invoice = make_invoice(
        external_source="ixc", external_id="7001", pix_txid="TXID7001ABCDEFGHIJKLMNOPQRSTU"
    )
    negativation = negativation_include(invoice=invoice, user=financial)
    negativation.refresh_from_db()
    assert negativation.status == NegativationStatus.AWAITING_NOTICE
    return negativation


def removal_calls(sandbox: RunningSandbox) -> int:
    """How many removals (Excluir) the platform sandbox received."""
    return len(ledger(sandbox, platform=PLATFORM, operation="Excluir"))
