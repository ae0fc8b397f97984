import datetime
from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from creditcheck.contracts.enums import ContractStatus, InvoiceStatus
from creditcheck.customers.models import Customer
from tests.factories import ContractFactory, InvoiceFactory


def _numbers(content: str, numbers: list[str]) -> list[str]:
    return [number for number in numbers if f">{number}</a>" in content]


def test_contract_detail_shows_contract_and_its_invoices(
    client_for: Callable[[User], Client], attendant: User, customer: Customer
) -> None:
    contract = ContractFactory.create(
        customer=customer,
        plan="Fibra 1 Giga",
        monthly_amount=Decimal("2199.00"),
        start_date=datetime.date(2024, 5, 2),
        status=ContractStatus.CANCELLED,
        cancelled_at=datetime.date(2025, 1, 31),
    )
    InvoiceFactory.create(contract=contract, number="FAT-77")

    response = client_for(attendant).get(f"/contratos/{contract.pk}/")

    content = response.content.decode()
    assert response.status_code == 200
    assert '<dd class="col-sm-4">R$ 2.199,00</dd>' in content
    assert '<dd class="col-sm-4">02/05/2024</dd>' in content
    assert '<dd class="col-sm-4">31/01/2025</dd>' in content
    assert 'data-status="cancelled">Cancelado</span>' in content
    assert _numbers(content, ["FAT-77"]) == ["FAT-77"]


def test_contract_and_invoice_of_other_branch_are_404(
    client_for: Callable[[User], Client], attendant: User, other_customer: Customer
) -> None:
    invoice = InvoiceFactory.create(contract__customer=other_customer)
    client = client_for(attendant)

    assert client.get(f"/contratos/{invoice.contract_id}/").status_code == 404
    assert client.get(f"/financeiro/faturas/{invoice.pk}/").status_code == 404


def test_contract_list_filters_by_status_and_hides_other_branches(
    client_for: Callable[[User], Client],
    attendant: User,
    customer: Customer,
    other_customer: Customer,
) -> None:
    ContractFactory.create(customer=customer, plan="Plano Ativo")
    ContractFactory.create(
        customer=customer,
        plan="Plano Suspenso",
        status=ContractStatus.SUSPENDED,
    )
    ContractFactory.create(
        customer=other_customer, plan="Plano Outra Filial", status=ContractStatus.SUSPENDED
    )

    response = client_for(attendant).get("/contratos/", {"status": "suspended"})

    content = response.content.decode()
    plans = ["Plano Ativo", "Plano Suspenso", "Plano Outra Filial"]
    assert [plan for plan in plans if f">{plan}</a>" in content] == ["Plano Suspenso"]


def test_invoice_list_overdue_filter(
    client_for: Callable[[User], Client], financial: User, customer: Customer
) -> None:
    today = timezone.localdate()
    contract = ContractFactory.create(customer=customer)
    InvoiceFactory.create(
        contract=contract, number="VENCIDA", due_date=today - datetime.timedelta(days=35)
    )
    InvoiceFactory.create(
        contract=contract, number="A-VENCER", due_date=today + datetime.timedelta(days=5)
    )
    InvoiceFactory.create(
        contract=contract, number="PAGA", due_date=today - datetime.timedelta(days=40), paid=True
    )

    response = client_for(financial).get("/financeiro/faturas/", {"overdue": "on"})

    content = response.content.decode()
    assert _numbers(content, ["VENCIDA", "A-VENCER", "PAGA"]) == ["VENCIDA"]
    assert 'data-status="overdue">Vencida há 35 dias</span>' in content


def test_invoice_list_filters_by_status_and_document(
    client_for: Callable[[User], Client],
    administrator: User,
    customer: Customer,
    other_customer: Customer,
) -> None:
    InvoiceFactory.create(contract__customer=customer, number="MARIA-PAGA", paid=True)
    InvoiceFactory.create(contract__customer=customer, number="MARIA-ABERTA")
    InvoiceFactory.create(contract__customer=other_customer, number="JOAO-PAGA", paid=True)

    response = client_for(administrator).get(
        "/financeiro/faturas/", {"status": InvoiceStatus.PAID, "q": "529.982.247-25"}
    )

    content = response.content.decode()
    assert _numbers(content, ["MARIA-PAGA", "MARIA-ABERTA", "JOAO-PAGA"]) == ["MARIA-PAGA"]


def test_invoice_list_requires_invoice_permission(
    client_for: Callable[[User], Client], seller: User
) -> None:
    assert client_for(seller).get("/financeiro/faturas/").status_code == 403


def test_invoice_detail_shows_payment(
    client_for: Callable[[User], Client], financial: User, customer: Customer
) -> None:
    invoice = InvoiceFactory.create(
        contract__customer=customer,
        amount=Decimal("89.90"),
        due_date=datetime.date(2025, 6, 10),
        status=InvoiceStatus.PAID,
        paid_at=datetime.date(2025, 6, 12),
        paid_amount=Decimal("91.70"),
    )

    content = client_for(financial).get(f"/financeiro/faturas/{invoice.pk}/").content.decode()

    assert '<dd class="col-sm-4" data-testid="invoice-amount">R$ 89,90</dd>' in content
    assert '<dd class="col-sm-4">12/06/2025</dd>' in content
    assert '<dd class="col-sm-4">R$ 91,70</dd>' in content
