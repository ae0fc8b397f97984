"""Governance in the browser: the integration switched off everywhere, credentials only ever
shown masked, and Configurações closed to attendants.

(tests/browser/test_credit_query.py turns the integration on; test_integrations.py creates an
integration and tests it.)
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect

from creditcheck.core.models import Branch
from creditcheck.crm.models import Lead, Prospect
from creditcheck.integrations import secrets
from creditcheck.integrations.models import CreditAnalysisSettings
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch, integration_on
from tests.factories import (
    PASSWORD,
    ContractFactory,
    CustomerFactory,
    InvoiceFactory,
    LeadFactory,
    ProspectFactory,
)

# Links that start a query or a negativação; none may be left while the integration is off.
ACTION_LINKS = 'a[href^="/analise-credito/nova/"], a[href*="/negativar/"]'

pytestmark = pytest.mark.browser


def sign_out(page: Page) -> None:
    page.context.clear_cookies()


def test_integration_off_removes_every_query_and_negativation_action(
    page: Page,
    log_in: Callable[[str, str], None],
    screenshot: Callable[[str], Path],
    sandbox: RunningSandbox,
    branch: Branch,
    administrator: User,
    attendant: User,
    financial: User,
) -> None:
    integration_on(branch, sandbox, "spcbrasil", interval_days=30)
    customer = CustomerFactory.create(branch=branch, state="SP")
    contract = ContractFactory.create(customer=customer, start_date=dt.date(2020, 1, 10))
    invoice = InvoiceFactory.create(
        contract=contract,
        amount=Decimal("129.90"),
        due_date=timezone.localdate() - dt.timedelta(days=40),
    )
    lead: Lead = LeadFactory.create(branch=branch)
    prospect: Prospect = ProspectFactory.create(branch=branch)

    # Given the integration on, the attendant can consult from the customer list
    log_in(attendant.username, PASSWORD)
    page.goto("/clientes/")
    expect(page.get_by_role("link", name="Consultar")).to_have_count(1)

    # When an admin chooses Não in Configurações > Integrações (the interval greys out) and saves
    sign_out(page)
    log_in(administrator.username, PASSWORD)
    page.get_by_role("button", name="Configurações").click()
    page.get_by_role("link", name="Integrações").click()
    interval = page.get_by_label("Intervalo de dias para consultar o mesmo CPF/CNPJ")
    expect(page.get_by_label("Sim")).to_be_checked()
    expect(interval).to_be_enabled()
    expect(interval).to_have_value("30")
    page.get_by_label("Não").check()
    expect(interval).to_be_disabled()
    screenshot("governance_integration_off")
    page.get_by_role("button", name="Salvar").click()
    expect(page.get_by_role("alert")).to_contain_text("Configurações de análise de crédito salvas.")
    expect(page.get_by_label("Não")).to_be_checked()
    expect(interval).to_be_disabled()
    assert CreditAnalysisSettings.load().enabled is False

    # Then the attendant finds every query action absent or disabled
    sign_out(page)
    log_in(attendant.username, PASSWORD)
    page.goto("/clientes/")
    expect(page.get_by_role("button", name="Consultar")).to_be_disabled()
    expect(page.locator(ACTION_LINKS)).to_have_count(0)

    page.goto(f"/clientes/{customer.pk}/")
    disabled = page.get_by_test_id("consult-credit-disabled")
    expect(disabled.get_by_role("button", name="Consultar análise de crédito")).to_be_disabled()
    expect(disabled).to_contain_text("Integração com análise de crédito desativada")
    expect(page.locator(ACTION_LINKS)).to_have_count(0)
    screenshot("governance_attendant_customer_off")

    page.goto("/crm/leads/")
    page.get_by_test_id("lead-table").get_by_role("button", name="Ações").click()
    expect(
        page.get_by_test_id("lead-table").locator('.dropdown-item[aria-disabled="true"]')
    ).to_have_text("Análise de crédito")
    expect(page.locator(ACTION_LINKS)).to_have_count(0)

    page.goto("/crm/prospeccoes/")
    expect(page.locator(ACTION_LINKS)).to_have_count(0)

    page.goto(f"/crm/prospeccoes/{prospect.pk}/")
    page.get_by_role("button", name="Análise de crédito").click()
    expect(page.get_by_text("Integração com análise de crédito desativada")).to_be_visible()
    expect(page.locator(ACTION_LINKS)).to_have_count(0)

    page.goto(f"/analise-credito/nova/?lead={lead.pk}")
    expect(page.get_by_test_id("integration-disabled")).to_contain_text(
        "Peça ao administrador para ativá-la em Configurações > Integrações."
    )
    expect(page.get_by_role("button", name="Consultar")).to_have_count(0)

    page.goto(f"/financeiro/faturas/{invoice.pk}/")
    expect(page.locator(ACTION_LINKS)).to_have_count(0)
    page.goto("/financeiro/negativacoes/")
    expect(page.get_by_role("button", name="Solicitar baixa")).to_have_count(0)

    # and so does the financial staff for negativações
    sign_out(page)
    log_in(financial.username, PASSWORD)
    page.goto(f"/financeiro/faturas/{invoice.pk}/")
    expect(page.get_by_test_id("negativate-disabled")).to_be_disabled()
    expect(page.locator(ACTION_LINKS)).to_have_count(0)
    page.goto(f"/financeiro/negativacoes/elegiveis/?branch={branch.pk}")
    expect(page.get_by_test_id("branch-blocker").first).to_contain_text(
        "integração com análise de crédito está desativada"
    )
    expect(page.get_by_role("button", name="Negativar selecionadas")).to_have_count(0)
    screenshot("governance_financial_eligible_off")


def test_saved_credential_is_shown_masked_only(
    page: Page,
    log_in: Callable[[str, str], None],
    sandbox: RunningSandbox,
    branch: Branch,
    administrator: User,
) -> None:
    integration = connect_branch(branch, sandbox, "soawebservice")
    new_email = "cobranca@provedor.example"
    new_secret = "Nova-Senha-Secreta-987"
    log_in(administrator.username, PASSWORD)

    # Given the admin replaces the credentials of an integration
    page.goto(f"/configuracoes/integracoes/{integration.pk}/")
    page.get_by_label("E-mail").fill(new_email)
    page.get_by_label("Senha", exact=True).fill(new_secret)
    page.get_by_role("button", name="Salvar").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Integração SOAWebService da Filial São Paulo salva."
    )
    integration.refresh_from_db()
    assert secrets.decrypt_credentials(integration.credentials_encrypted) == {
        "email": new_email,
        "senha": new_secret,
    }
    assert new_secret not in page.content()

    # When they open it again
    page.goto(f"/configuracoes/integracoes/{integration.pk}/")

    # Then the form shows that something is stored, masked, and never the secret
    expect(page.get_by_label("Senha", exact=True)).to_have_value("")
    expect(page.get_by_test_id("credentials")).to_contain_text("Salvo: ••••••••.")
    assert new_secret not in page.content()
    # and the API does not return it either
    api = page.request.get(f"/api/v1/branch-integrations/{integration.pk}/")
    assert api.status == 200
    assert api.json()["has_credentials"] is True
    assert "credentials" not in api.json()
    assert new_secret not in api.text()


def test_attendant_cannot_open_configuracoes(
    page: Page, log_in: Callable[[str, str], None], attendant: User
) -> None:
    log_in(attendant.username, PASSWORD)
    expect(page.get_by_role("button", name="Clientes")).to_have_count(0)  # a plain link, not a menu
    expect(page.get_by_role("link", name="Clientes")).to_be_visible()
    expect(page.get_by_role("button", name="Configurações")).to_have_count(0)
    expect(page.get_by_role("link", name="Integrações")).to_have_count(0)

    for url in (
        "/configuracoes/integracoes/",
        "/configuracoes/negativacao/",
        "/configuracoes/filiais/",
    ):
        response = page.goto(url)
        assert response is not None
        assert (url, response.status) == (url, 403)
