"""The contract screen offers the credit query of its customer."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from creditcheck.core.models import Branch
from tests.credit_setup import enable_credit_analysis
from tests.factories import ContractFactory, CustomerFactory
from tests.html import parse, text

pytestmark = pytest.mark.django_db


def test_contract_detail_offers_the_query_of_its_customer(
    client: Client, attendant: User, branch: Branch
) -> None:
    enable_credit_analysis()
    customer = CustomerFactory.create(document="52998224725", branch=branch)
    contract = ContractFactory.create(customer=customer)
    client.force_login(attendant)

    response = client.get(f"/contratos/{contract.pk}/")

    assert [
        (text(a), a.get("href"))
        for a in parse(response).xpath('//a[@data-testid="consult-credit"]')
    ] == [
        (
            "Consultar análise de crédito do cliente",
            f"/analise-credito/nova/?customer={customer.pk}",
        )
    ]
