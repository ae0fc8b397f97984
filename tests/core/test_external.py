"""The ERP's own ids (creditcheck/core/external.py): unique per source, shown and searched."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.test import Client

from creditcheck.core.models import Branch
from tests.factories import ContractFactory, CustomerFactory, InvoiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def synced(branch: Branch) -> dict[str, object]:
    customer = CustomerFactory.create(branch=branch, external_source="ixc", external_id="C-881")
    contract = ContractFactory.create(customer=customer, external_source="ixc", external_id="K-882")
    invoice = InvoiceFactory.create(contract=contract, external_source="ixc", external_id="F-883")
    CustomerFactory.create(branch=branch, name="Outro Cliente")
    return {"customer": customer, "contract": contract, "invoice": invoice}


@pytest.mark.parametrize(
    ("url", "term", "row"),
    [
        ("/clientes/", "C-881", "customer"),
        ("/contratos/", "K-882", "contract"),
        ("/financeiro/faturas/", "F-883", "invoice"),
    ],
)
def test_list_search_finds_by_external_id_and_shows_it(
    client: Client, administrator: User, synced: dict[str, object], url: str, term: str, row: str
) -> None:
    client.force_login(administrator)

    page = client.get(url, {"q": term}).content.decode()

    assert f"ERP: ixc {term}" in page
    assert page.count('data-testid="external-id"') == 1
    assert "Outro Cliente" not in page


@pytest.mark.parametrize(
    ("url", "term"),
    [
        ("/api/v1/customers/", "C-881"),
        ("/api/v1/contracts/", "K-882"),
        ("/api/v1/invoices/", "F-883"),
    ],
)
def test_api_filters_by_external_id_and_answers_it(
    client: Client, administrator: User, synced: dict[str, object], url: str, term: str
) -> None:
    client.force_login(administrator)

    body = client.get(url, {"external_source": "ixc", "external_id": term}).json()

    assert [(r["external_source"], r["external_id"]) for r in body["results"]] == [("ixc", term)]


def test_same_external_id_twice_in_one_source_is_refused(branch: Branch) -> None:
    CustomerFactory.create(branch=branch, external_source="ixc", external_id="9")
    CustomerFactory.create(branch=branch, external_source="hubsoft", external_id="9")
    CustomerFactory.create(branch=branch)  # typed here: no external id, any number of them
    CustomerFactory.create(branch=branch)

    with pytest.raises(IntegrityError), transaction.atomic():
        CustomerFactory.create(branch=branch, external_source="ixc", external_id="9")


def test_detail_screens_show_the_origin(
    client: Client, administrator: User, synced: dict[str, object]
) -> None:
    client.force_login(administrator)
    customer, contract, invoice = synced["customer"], synced["contract"], synced["invoice"]

    assert "ERP: ixc C-881" in client.get(f"/clientes/{customer.pk}/").content.decode()  # type: ignore[attr-defined]
    assert "ixc K-882" in client.get(f"/contratos/{contract.pk}/").content.decode()  # type: ignore[attr-defined]
    assert "ixc F-883" in client.get(f"/financeiro/faturas/{invoice.pk}/").content.decode()  # type: ignore[attr-defined]
