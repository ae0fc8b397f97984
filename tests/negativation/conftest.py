"""Fixtures for negativação tests: an overdue invoice of a customer with a complete address.

Credit analysis on and the branch connected (`connect`) come from tests/conftest.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from creditcheck.contracts.models import Invoice
from creditcheck.core.models import Branch
from creditcheck.customers.models import Customer
from tests.factories import ContractFactory, CustomerFactory, InvoiceFactory
from tests.notice_setup import letter_posted

MakeInvoice = Callable[..., Invoice]


@pytest.fixture
def make_overdue_invoice(branch: Branch) -> MakeInvoice:
    def make(
        days_overdue: int = 40,
        state: str = "SP",
        amount: str = "129.90",
        branch_: Branch | None = None,
        noticed: bool = True,
        **customer: Any,
    ) -> Invoice:
        """`noticed`: with a letter of notice posted long enough ago for every UF's rule."""
        # A branch has one customer per CPF/CNPJ: a second invoice of a document is theirs.
        where = branch_ or branch
        owner = (
            Customer.objects.filter(branch=where, document=customer["document"]).first()
            if "document" in customer
            else None
        ) or CustomerFactory.create(branch=where, state=state, **customer)
        contract = ContractFactory.create(customer=owner, start_date=dt.date(2020, 1, 10))
        invoice = InvoiceFactory.create(
            contract=contract,
            amount=Decimal(amount),
            due_date=timezone.localdate() - dt.timedelta(days=days_overdue),
        )
        if noticed:
            letter_posted(invoice)
        return invoice

    return make
