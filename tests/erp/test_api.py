"""Bulk sync API: /api/v1/sync/{customers,contracts,invoices}/ keyed by (source, external id)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.test import APIClient

from creditcheck.contracts.enums import InvoiceStatus
from creditcheck.contracts.models import Contract, Invoice
from creditcheck.core.models import Branch
from creditcheck.customers.models import Customer
from creditcheck.negativation.enums import NegativationStatus as S
from creditcheck.negativation.models import Negativation
from providers.sandbox.server import RunningSandbox
from tests.erp.conftest import removal_calls
from tests.factories import CustomerFactory, cpf_for

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], APIClient]


def customer_item(external_id: str, branch: Branch, **fields: Any) -> dict[str, Any]:
    return {
        "external_id": external_id,
        "name": "Maria da Silva",
        "document": "529.982.247-25",
        "cep": "01310-100",
        "street": "Avenida Paulista",
        "number": "1578",
        "district": "Bela Vista",
        "city": "São Paulo",
        "state": "SP",
        "branch": branch.pk,
        **fields,
    }


def sync(client: APIClient, kind: str, items: list[Any], source: str = "ixc") -> Any:
    return client.post(f"/api/v1/sync/{kind}/", {"source": source, "items": items}, format="json")


def results(response: Any) -> list[tuple[str, str]]:
    assert response.status_code == 200, response.json()
    return [(r["external_id"], r["result"]) for r in response.json()["results"]]


def test_sync_customers_creates_then_unchanged_then_updated(
    api_client_for: ClientFor, administrator: User, branch: Branch
) -> None:
    client = api_client_for(administrator)
    items = [customer_item("10", branch), customer_item("11", branch, document=cpf_for(11))]

    assert results(sync(client, "customers", items)) == [("10", "created"), ("11", "created")]
    assert results(sync(client, "customers", items)) == [("10", "unchanged"), ("11", "unchanged")]
    changed = [customer_item("10", branch, city="Campinas"), items[1]]
    assert results(sync(client, "customers", changed)) == [("10", "updated"), ("11", "unchanged")]

    customer = Customer.objects.get(external_source="ixc", external_id="10")
    assert (customer.city, customer.document, customer.person_type) == (
        "Campinas",
        "52998224725",
        "F",
    )
    assert Customer.objects.count() == 2


def test_sync_item_errors_have_codes_and_the_rest_is_saved(
    api_client_for: ClientFor, administrator: User, branch: Branch
) -> None:
    client = api_client_for(administrator)
    items = [
        customer_item("20", branch, document="111.111.111-11"),
        customer_item("21", branch, document=cpf_for(21)),
        customer_item("21", branch, document=cpf_for(22)),
        {"name": "sem código"},
        "não é objeto",
    ]

    response = sync(client, "customers", items)

    body = response.json()["results"]
    assert [(r["external_id"], r["result"], r.get("code")) for r in body] == [
        ("20", "error", "invalid"),
        ("21", "created", None),
        ("21", "error", "duplicate"),
        ("", "error", "invalid"),
        ("", "error", "invalid"),
    ]
    assert list(body[0]["errors"]) == ["document"]
    assert list(Customer.objects.values_list("external_id", flat=True)) == ["21"]


def test_sync_batch_without_source_or_items_is_400(
    api_client_for: ClientFor, administrator: User
) -> None:
    client = api_client_for(administrator)

    response = client.post("/api/v1/sync/customers/", {"source": "", "items": []}, format="json")

    assert response.status_code == 400
    assert set(response.json()["codes"]) == {"source", "items"}


def test_sync_record_of_a_branch_the_user_cannot_see_is_refused(
    api_client_for: ClientFor, attendant: User, branch: Branch, other_branch: Branch
) -> None:
    CustomerFactory.create(branch=other_branch, external_source="ixc", external_id="30")

    response = sync(api_client_for(attendant), "customers", [customer_item("30", branch)])

    assert response.json()["results"][0]["code"] == "forbidden_branch"
    assert Customer.objects.get(external_id="30").branch == other_branch


def test_sync_contracts_and_invoices_by_parent_external_id(
    api_client_for: ClientFor, administrator: User, branch: Branch
) -> None:
    client = api_client_for(administrator)
    sync(client, "customers", [customer_item("40", branch)])
    contract = {
        "external_id": "C40",
        "customer_external_id": "40",
        "plan": "Fibra 300",
        "monthly_amount": "99.90",
        "start_date": "2024-01-10",
    }
    invoice = {
        "external_id": "F40",
        "contract_external_id": "C40",
        "number": "IXC-F40",
        "amount": "99.90",
        "due_date": "2024-02-10",
        "pix_txid": "TXIDF40",
    }

    assert results(sync(client, "contracts", [contract])) == [("C40", "created")]
    assert results(sync(client, "invoices", [invoice])) == [("F40", "created")]
    assert results(sync(client, "invoices", [invoice])) == [("F40", "unchanged")]
    orphan = {**invoice, "external_id": "F41", "contract_external_id": "nope"}
    assert sync(client, "invoices", [orphan]).json()["results"][0]["code"] == "unknown_parent"

    stored = Invoice.objects.get(external_source="ixc", external_id="F40")
    assert stored.contract == Contract.objects.get(external_id="C40")
    assert (stored.contract.branch, stored.pix_txid) == (branch, "TXIDF40")


def test_sync_paid_invoice_future_date_is_an_item_error(
    api_client_for: ClientFor, administrator: User, branch: Branch
) -> None:
    client = api_client_for(administrator)
    sync(client, "customers", [customer_item("50", branch)])
    sync(
        client,
        "contracts",
        [{"external_id": "C50", "customer_external_id": "50", "plan": "Fibra",
          "monthly_amount": "99.90", "start_date": "2024-01-10"}],
    )  # fmt: skip
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    item = {
        "external_id": "F50", "contract_external_id": "C50", "number": "IXC-F50",
        "amount": "99.90", "due_date": "2024-02-10", "status": "paid", "paid_at": tomorrow,
    }  # fmt: skip

    response = sync(client, "invoices", [item])

    assert response.json()["results"][0]["code"] == "future_date"
    assert not Invoice.objects.filter(external_id="F50").exists()  # never half a row


@pytest.mark.django_db(transaction=True)
def test_sync_paid_invoice_pays_through_invoice_pay_and_removes_once(
    api_client_for: ClientFor,
    financial: User,
    negativated: Negativation,
    sandbox: RunningSandbox,
) -> None:
    invoice = Invoice.objects.get(pk=negativated.invoice_id)
    item = {
        "external_id": "7001",
        "status": "paid",
        "paid_at": timezone.localdate().isoformat(),
        "paid_amount": "129.90",
    }
    client = api_client_for(financial)

    assert results(sync(client, "invoices", [item])) == [("7001", "updated")]
    assert results(sync(client, "invoices", [item])) == [("7001", "unchanged")]

    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_by, invoice.paid_via) == (
        InvoiceStatus.PAID,
        financial,
        "Sincronização ixc",
    )
    negativated.refresh_from_db()
    assert negativated.status == S.REMOVED
    assert removal_calls(sandbox) == 1
