import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.utils import timezone
from rest_framework.test import APIClient

from creditcheck.contracts.enums import InvoiceStatus
from creditcheck.contracts.models import Contract, Invoice
from creditcheck.core.models import Branch
from tests.api_helpers import list_query_count
from tests.factories import ContractFactory, CustomerFactory, InvoiceFactory

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], APIClient]


def test_contract_create_for_own_customer(
    api_client_for: ClientFor, administrator: User, branch: Branch
) -> None:
    customer = CustomerFactory.create(branch=branch, name="Joana Prado")

    response = api_client_for(administrator).post(
        "/api/v1/contracts/",
        {
            "customer": customer.pk,
            "branch": branch.pk,
            "plan": "Fibra 500 Mega",
            "monthly_amount": "129.90",
            "start_date": "2025-02-01",
            "status": "active",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body == {
        "id": body["id"],
        "customer": customer.pk,
        "customer_name": "Joana Prado",
        "branch": branch.pk,
        "plan": "Fibra 500 Mega",
        "monthly_amount": "129.90",
        "start_date": "2025-02-01",
        "status": "active",
        "cancelled_at": None,
        "external_source": "",
        "external_id": "",
    }


def test_contract_create_for_other_branch_customer_is_400_on_customer(
    api_client_for: ClientFor, financial: User, branch: Branch, other_branch: Branch
) -> None:
    # given a financial user of one branch granted "add contract" individually
    financial.user_permissions.add(Permission.objects.get(codename="add_contract"))
    foreign = CustomerFactory.create(branch=other_branch)

    response = api_client_for(financial).post(
        "/api/v1/contracts/",
        {
            "customer": foreign.pk,
            "branch": branch.pk,
            "plan": "Fibra 100 Mega",
            "monthly_amount": "79.90",
            "start_date": "2025-02-01",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["customer"] == [
        "Registro inexistente ou de uma filial à qual você não tem acesso."
    ]
    assert Contract.objects.count() == 0


def test_contract_create_is_forbidden_without_the_role_permission(
    api_client_for: ClientFor, financial: User, branch: Branch
) -> None:
    customer = CustomerFactory.create(branch=branch)

    response = api_client_for(financial).post(
        "/api/v1/contracts/",
        {
            "customer": customer.pk,
            "branch": branch.pk,
            "plan": "Fibra 100 Mega",
            "monthly_amount": "79.90",
            "start_date": "2025-02-01",
        },
        format="json",
    )

    assert response.status_code == 403
    assert Contract.objects.count() == 0


def test_contract_cancel_without_date_is_400_on_cancelled_at(
    api_client_for: ClientFor, financial: User, branch: Branch
) -> None:
    contract = ContractFactory.create(customer__branch=branch)

    response = api_client_for(financial).patch(
        f"/api/v1/contracts/{contract.pk}/", {"status": "cancelled"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["cancelled_at"] == [
        "Informe a data de cancelamento do contrato cancelado."
    ]


def test_contract_list_filters_by_masked_customer_document(
    api_client_for: ClientFor, financial: User, branch: Branch
) -> None:
    wanted = ContractFactory.create(customer__branch=branch, customer__document="52998224725")
    ContractFactory.create(customer__branch=branch)

    response = api_client_for(financial).get("/api/v1/contracts/", {"document": "529.982.247-25"})

    assert [row["id"] for row in response.json()["results"]] == [wanted.pk]


def test_contract_list_query_count_does_not_grow_with_rows(
    api_client_for: ClientFor, financial: User, branch: Branch
) -> None:
    ContractFactory.create(customer__branch=branch)
    one_row = list_query_count(api_client_for(financial), "/api/v1/contracts/", expected_rows=1)
    ContractFactory.create_batch(2, customer__branch=branch)

    three_rows = list_query_count(api_client_for(financial), "/api/v1/contracts/", expected_rows=3)

    assert three_rows == one_row


def test_invoice_create_for_own_contract_includes_customer(
    api_client_for: ClientFor, financial: User, branch: Branch
) -> None:
    contract = ContractFactory.create(customer__branch=branch)

    response = api_client_for(financial).post(
        "/api/v1/invoices/",
        {
            "contract": contract.pk,
            "number": "FAT-9001",
            "amount": "99.90",
            "due_date": "2025-05-10",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body == {
        "id": body["id"],
        "contract": contract.pk,
        "customer": contract.customer_id,
        "number": "FAT-9001",
        "amount": "99.90",
        "due_date": "2025-05-10",
        "status": "open",
        "paid_at": None,
        "paid_amount": None,
        "paid_by": None,
        "paid_via": "",
        "disputed": False,
        "days_overdue": body["days_overdue"],
        "external_source": "",
        "external_id": "",
        "pix_txid": "",
        "digitable_line": "",
        "pix_code": "",
    }
    assert body["days_overdue"] == Invoice.objects.get(pk=body["id"]).days_overdue()


def test_invoice_create_for_other_branch_contract_is_400_on_contract(
    api_client_for: ClientFor, financial: User, other_branch: Branch
) -> None:
    foreign = ContractFactory.create(customer__branch=other_branch)

    response = api_client_for(financial).post(
        "/api/v1/invoices/",
        {"contract": foreign.pk, "number": "FAT-9002", "amount": "99.90", "due_date": "2025-05-10"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["contract"] == [
        "Registro inexistente ou de uma filial à qual você não tem acesso."
    ]


def test_invoice_patch_to_paid_is_refused_use_payment(
    api_client_for: ClientFor, financial: User, branch: Branch
) -> None:
    invoice = InvoiceFactory.create(contract__customer__branch=branch)

    response = api_client_for(financial).patch(
        f"/api/v1/invoices/{invoice.pk}/",
        {"status": "paid", "paid_at": "2020-01-01", "paid_amount": "1.00"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["codes"] == {"status": ["use_payment"]}
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_at, invoice.paid_amount) == ("open", None, None)


def test_invoice_create_already_paid_is_refused_use_payment(
    api_client_for: ClientFor, financial: User, branch: Branch
) -> None:
    contract = ContractFactory.create(customer__branch=branch)

    response = api_client_for(financial).post(
        "/api/v1/invoices/",
        {
            "contract": contract.pk,
            "number": "FAT-9003",
            "amount": "9.90",
            "due_date": "2025-05-10",
            "status": "paid",
        },
        format="json",
    )

    assert (response.status_code, response.json()["codes"]) == (400, {"status": ["use_payment"]})
    assert not Invoice.objects.filter(number="FAT-9003").exists()


def test_invoice_paid_does_not_reopen_by_patch(
    api_client_for: ClientFor, financial: User, branch: Branch
) -> None:
    invoice = InvoiceFactory.create(contract__customer__branch=branch, paid=True)

    response = api_client_for(financial).patch(
        f"/api/v1/invoices/{invoice.pk}/", {"status": "open"}, format="json"
    )

    assert (response.status_code, response.json()["codes"]) == (400, {"status": ["paid_invoice"]})
    assert Invoice.objects.get(pk=invoice.pk).status == "paid"


def pay(client: APIClient, invoice: Invoice, paid_at: datetime.date) -> Any:
    return client.post(
        f"/api/v1/invoices/{invoice.pk}/pay/",
        {"paid_at": paid_at.isoformat(), "amount": "99.90"},
        format="json",
    )


def test_invoice_pay_with_future_date_is_400_on_paid_at(
    api_client_for: ClientFor, financial: User, branch: Branch
) -> None:
    invoice = InvoiceFactory.create(contract__customer__branch=branch)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = pay(api_client_for(financial), invoice, tomorrow)

    assert response.status_code == 400
    body = response.json()
    assert (body["paid_at"], body["codes"]) == (
        ["A data do pagamento não pode estar no futuro."],
        {"paid_at": ["future_date"]},
    )
    assert Invoice.objects.get(pk=invoice.pk).status == InvoiceStatus.OPEN


def test_invoice_pay_answers_who_registered_it(
    api_client_for: ClientFor, financial: User, branch: Branch
) -> None:
    invoice = InvoiceFactory.create(contract__customer__branch=branch)
    today = timezone.localdate()

    response = pay(api_client_for(financial), invoice, today)

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["paid_at"], body["paid_by"]) == (
        "paid",
        today.isoformat(),
        financial.pk,
    )
    assert Invoice.objects.get(pk=invoice.pk).paid_by == financial


def test_invoice_paid_by_is_not_writable(
    api_client_for: ClientFor, financial: User, administrator: User, branch: Branch
) -> None:
    invoice = InvoiceFactory.create(contract__customer__branch=branch)

    response = api_client_for(financial).patch(
        f"/api/v1/invoices/{invoice.pk}/", {"paid_by": administrator.pk}, format="json"
    )

    assert (response.status_code, response.json()["paid_by"]) == (200, None)
    assert Invoice.objects.get(pk=invoice.pk).paid_by is None


def test_invoice_retrieve_of_other_branch_is_404(
    api_client_for: ClientFor, financial: User, other_branch: Branch
) -> None:
    foreign = InvoiceFactory.create(contract__customer__branch=other_branch)

    response = api_client_for(financial).get(f"/api/v1/invoices/{foreign.pk}/")

    assert response.status_code == 404


def test_invoice_list_filters_by_branch_document_and_status(
    api_client_for: ClientFor, administrator: User, branch: Branch, other_branch: Branch
) -> None:
    customer = CustomerFactory.create(branch=branch, document="52998224725")
    wanted = InvoiceFactory.create(contract__customer=customer)
    InvoiceFactory.create(contract__customer=customer, paid=True)
    InvoiceFactory.create(contract__customer__branch=other_branch)

    response = api_client_for(administrator).get(
        "/api/v1/invoices/",
        {"branch": str(branch.pk), "document": "529.982.247-25", "status": "open"},
    )

    assert [row["id"] for row in response.json()["results"]] == [wanted.pk]


def test_invoice_list_filters_by_due_date_range(
    api_client_for: ClientFor, financial: User, branch: Branch
) -> None:
    wanted = InvoiceFactory.create(
        contract__customer__branch=branch, due_date=datetime.date(2025, 3, 10)
    )
    InvoiceFactory.create(contract__customer__branch=branch, due_date=datetime.date(2025, 4, 10))

    response = api_client_for(financial).get(
        "/api/v1/invoices/", {"due_after": "2025-03-01", "due_before": "2025-03-31"}
    )

    assert [row["id"] for row in response.json()["results"]] == [wanted.pk]


def test_invoice_list_query_count_does_not_grow_with_rows(
    api_client_for: ClientFor, financial: User, branch: Branch
) -> None:
    InvoiceFactory.create(contract__customer__branch=branch)
    one_row = list_query_count(api_client_for(financial), "/api/v1/invoices/", expected_rows=1)
    InvoiceFactory.create_batch(2, contract__customer__branch=branch)

    three_rows = list_query_count(api_client_for(financial), "/api/v1/invoices/", expected_rows=3)

    assert three_rows == one_row


def test_invoice_list_is_forbidden_for_seller(api_client_for: ClientFor, seller: User) -> None:
    response = api_client_for(seller).get("/api/v1/invoices/")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
