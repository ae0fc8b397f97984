"""'Utiliza integração com análise de crédito' = Não turns every query and negativação action off:
on every screen that offers one, and on the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import lxml.html
import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from creditcheck.analysis.enums import QueryStatus, SubjectType
from creditcheck.analysis.models import CreditQuery
from creditcheck.contracts.models import Invoice
from creditcheck.core.models import Branch
from creditcheck.customers.models import Customer
from creditcheck.integrations.models import BranchIntegration, CreditAnalysisSettings
from creditcheck.negativation.enums import NegativationStatus
from creditcheck.negativation.models import Negativation
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import integration_on
from tests.factories import (
    ContractFactory,
    CustomerFactory,
    InvoiceFactory,
    LeadFactory,
    ProspectFactory,
    negativation_for,
)

pytestmark = pytest.mark.django_db

DISABLED = {
    "code": "integration_disabled",
    "detail": "A integração com análise de crédito está desativada "
    "(Configurações > Integrações): as ações de negativação estão indisponíveis.",
}
# What a screen offers as a query or negativação action: links to the query page or to
# "Negativar", and enabled submit buttons of the negativação forms.
ACTIONS_XPATH = (
    '//a[starts-with(@href, "/analise-credito/nova/") or contains(@href, "/negativar/")]'
    '|//button[not(@disabled)][@form="batch-form"'
    ' or ancestor::form[@method="post"][contains(@action, "/negativacoes/")]]'
)


def set_enabled(enabled: bool) -> None:
    row = CreditAnalysisSettings.load()
    row.enabled = enabled
    row.save()


def overdue_invoice(customer: Customer) -> Invoice:
    contract = ContractFactory.create(customer=customer, start_date=dt.date(2020, 1, 10))
    return InvoiceFactory.create(
        contract=contract,
        amount=Decimal("129.90"),
        due_date=timezone.localdate() - dt.timedelta(days=40),
    )


def active_negativation(integration: BranchIntegration, invoice: Invoice) -> Negativation:
    return negativation_for(invoice, integration, platform_id="NEG-1", active_at=timezone.now())


@pytest.fixture
def integration(branch: Branch, sandbox: RunningSandbox) -> BranchIntegration:
    return integration_on(branch, sandbox, "soawebservice")


@pytest.fixture
def pages(branch: Branch, integration: BranchIntegration, administrator: User) -> list[str]:
    """Every screen that offers a query or negativação action, with something to act on."""
    customer = CustomerFactory.create(branch=branch, state="SP")
    invoice = overdue_invoice(customer)
    negativation = active_negativation(integration, overdue_invoice(customer))
    lead = LeadFactory.create(branch=branch)
    prospect = ProspectFactory.create(branch=branch)
    failed = CreditQuery.objects.create(
        subject_type=SubjectType.CUSTOMER,
        customer=customer,
        document=customer.document,
        branch=branch,
        user=administrator,
        status=QueryStatus.FAILED,
    )
    return [
        "/clientes/",
        f"/clientes/{customer.pk}/",
        f"/clientes/{customer.pk}/faturas/",
        f"/analise-credito/historico/?customer={customer.pk}",
        "/crm/leads/",
        "/crm/prospeccoes/",
        f"/crm/prospeccoes/{prospect.pk}/",
        f"/crm/leads/{lead.pk}/",
        f"/contratos/{invoice.contract_id}/",
        f"/financeiro/faturas/{invoice.pk}/",
        "/financeiro/negativacoes/",
        f"/financeiro/negativacoes/{negativation.pk}/",
        f"/financeiro/negativacoes/elegiveis/?branch={branch.pk}",
        "/relatorios/consultas/",
        f"/analise-credito/{failed.pk}/",
    ]


def parse(content: bytes) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(content.decode())


def offered_actions(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    nodes = parse(response.content).xpath(ACTIONS_XPATH)
    return [" ".join(node.text_content().split()) or node.get("href", "") for node in nodes]


def test_every_screen_action_is_gone_while_integration_is_off(
    client: Client, administrator: User, pages: list[str]
) -> None:
    client.force_login(administrator)
    # Given the integration on, every one of these screens offers an action (the probe works)
    offered = {url: offered_actions(client, url) for url in pages}
    assert [url for url, actions in offered.items() if not actions] == []

    # When an administrator switches it off
    set_enabled(False)

    # Then no screen offers any
    assert {url: offered_actions(client, url) for url in pages} == {url: [] for url in pages}


def test_api_refuses_queries_and_negativacoes_while_integration_is_off(
    api_client_for: Callable[[User], APIClient],
    administrator: User,
    branch: Branch,
    integration: BranchIntegration,
) -> None:
    customer = CustomerFactory.create(branch=branch, state="SP")
    negativation = active_negativation(integration, overdue_invoice(customer))
    invoice = overdue_invoice(customer)
    set_enabled(False)
    client = api_client_for(administrator)

    query = client.post(
        "/api/v1/credit-queries/", {"customer": customer.pk, "branch": branch.pk}, format="json"
    )
    include = client.post("/api/v1/negativations/", {"invoice": invoice.pk}, format="json")
    remove = client.post(
        f"/api/v1/negativations/{negativation.pk}/remove/", {"reason": "paid"}, format="json"
    )

    assert (query.status_code, query.json()["code"]) == (403, "integration_disabled")
    assert (include.status_code, include.json()) == (403, DISABLED)
    assert (remove.status_code, remove.json()) == (403, DISABLED)
    assert list(Negativation.objects.values_list("pk", "status")) == [
        (negativation.pk, NegativationStatus.ACTIVE)
    ]


def test_integrations_screen_links_negativation_settings(
    client: Client, administrator: User
) -> None:
    client.force_login(administrator)

    integrations = parse(client.get("/configuracoes/integracoes/").content)
    negativation = parse(client.get("/configuracoes/negativacao/").content)

    assert integrations.xpath('//*[@data-testid="negativation-settings-link"]//a/@href') == [
        "/configuracoes/negativacao/"
    ]
    assert [
        " ".join(li.text_content().split())
        for li in negativation.xpath('//ol[@class="breadcrumb small mb-2"]/li')
    ] == ["Configurações", "Integrações", "Negativação"]
    assert negativation.xpath('//ol[@class="breadcrumb small mb-2"]/li/a/@href') == [
        "/configuracoes/integracoes/"
    ]
