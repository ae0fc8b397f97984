import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from creditcheck.contracts.enums import ContractStatus, InvoiceStatus
from tests.factories import ContractFactory, InvoiceFactory

pytestmark = pytest.mark.django_db


def test_contract_clean_requires_cancellation_date_when_cancelled() -> None:
    contract = ContractFactory.create()
    contract.status = ContractStatus.CANCELLED

    with pytest.raises(ValidationError) as excinfo:
        contract.full_clean()

    assert excinfo.value.message_dict == {
        "cancelled_at": ["Informe a data de cancelamento do contrato cancelado."]
    }


def test_contract_clean_rejects_cancellation_before_start() -> None:
    contract = ContractFactory.create(start_date=datetime.date(2024, 1, 10))
    contract.status = ContractStatus.CANCELLED
    contract.cancelled_at = datetime.date(2023, 12, 31)

    with pytest.raises(ValidationError) as excinfo:
        contract.full_clean()

    assert excinfo.value.message_dict == {
        "cancelled_at": ["A data de cancelamento não pode ser anterior ao início do contrato."]
    }


def test_invoice_clean_requires_payment_data_when_paid() -> None:
    invoice = InvoiceFactory.create()
    invoice.status = InvoiceStatus.PAID

    with pytest.raises(ValidationError) as excinfo:
        invoice.full_clean()

    assert excinfo.value.message_dict == {
        "paid_at": ["Informe a data de pagamento da fatura paga."],
        "paid_amount": ["Informe o valor pago da fatura paga."],
    }


def test_invoice_days_overdue_counts_from_due_date_while_open() -> None:
    invoice = InvoiceFactory.create(due_date=datetime.date(2025, 3, 10))
    paid = InvoiceFactory.create(due_date=datetime.date(2025, 3, 10), paid=True)

    assert invoice.days_overdue(datetime.date(2025, 4, 14)) == 35
    assert invoice.days_overdue(datetime.date(2025, 3, 1)) == 0
    assert paid.days_overdue(datetime.date(2025, 4, 14)) == 0
    assert paid.paid_amount == Decimal("99.90")
