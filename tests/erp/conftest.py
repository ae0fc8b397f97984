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
from tests.notice_setup import letter_posted
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
        invoice = InvoiceFactory.create(
            contract=contract,
            amount=Decimal("129.90"),
            due_date=timezone.localdate() - dt.timedelta(days=days_overdue),
            **fields,
        )
        # Its notice was posted long enough ago for the UF's rule: inclusion goes out at once.
        letter_posted(invoice)
        return invoice

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


# A generic-layout export of one customer, its contract and its invoice per row; two bad rows
# (an invalid CPF, an amount with letters).
COMBINED_CSV = "".join(
    f"{line}\n"
    for line in [
        "codigo_cliente;nome;cpf_cnpj;cep;logradouro;numero;bairro;cidade;uf;codigo_contrato;plano;valor_mensal;data_inicio;codigo_fatura;numero_fatura;valor;vencimento;situacao_fatura;data_pagamento",
        "C1;Maria da Silva;529.982.247-25;01310-100;Avenida Paulista;1578;Bela Vista;São Paulo;SP;K1;Fibra 500;1.129,90;10/01/2024;F1;IMP-F1;1.129,90;10/02/2024;aberta;",  # noqa: E501
        "C1;Maria da Silva;529.982.247-25;01310-100;Avenida Paulista;1578;Bela Vista;São Paulo;SP;K1;Fibra 500;1.129,90;10/01/2024;F2;IMP-F2;1.129,90;10/03/2024;paga;12/03/2024",  # noqa: E501
        "C2;João Souza;111.111.111-11;01310-100;Rua A;10;Centro;São Paulo;SP;K2;Fibra 300;99,90;10/01/2024;F3;IMP-F3;99,90;10/02/2024;aberta;",  # noqa: E501
        "C3;Ana Lima;168.995.350-09;01310-100;Rua B;20;Centro;São Paulo;SP;K3;Fibra 300;99,90;10/01/2024;F4;IMP-F4;99,9O;10/02/2024;aberta;",  # noqa: E501
    ]
)
