"""Configurações > Integrações in the browser: an admin connects a filial to a platform's sandbox,
switching platforms on the form, and checks it with "Testar"."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from creditcheck.core.models import Branch
from creditcheck.integrations import secrets
from creditcheck.integrations.models import BranchIntegration
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import sandbox_credentials
from tests.factories import PASSWORD

# The form is filled with this platform's credential fields (E-mail, Senha).
PLATFORM = "soawebservice"

pytestmark = pytest.mark.browser


def test_admin_connects_branch_and_tests_credentials(
    page: Page,
    log_in: Callable[[str, str], None],
    screenshot: Callable[[str], Path],
    sandbox: RunningSandbox,
    branch: Branch,
    administrator: User,
) -> None:
    credentials = sandbox_credentials(PLATFORM)
    log_in(administrator.username, PASSWORD)
    page.goto("/configuracoes/integracoes/")
    expect(page.get_by_test_id("integration-table")).to_contain_text(
        "Nenhuma filial está integrada a uma plataforma de análise de crédito."
    )

    # Given the new-integration form, choosing a platform brings its own credential fields
    page.get_by_role("link", name="Nova integração").click()
    page.get_by_label("Filial", exact=True).select_option(label="Filial São Paulo")
    page.get_by_label("Plataforma").select_option(label="Crédito na Medida")
    expect(page.get_by_label("Client Secret")).to_be_visible()
    page.get_by_label("Plataforma").select_option(label="SOAWebService")
    expect(page.get_by_label("Client Secret")).to_have_count(0)
    page.get_by_label("Ambiente").select_option(label="Sandbox (simulador local)")
    # (the environment's default address arrives with the swapped fields)
    expect(page.get_by_label("URL base")).to_have_attribute(
        "placeholder", "http://127.0.0.1:8700/soawebservice"
    )
    expect(page.get_by_test_id("credentials")).to_contain_text("Credenciais — SOAWebService")

    # When the admin leaves the password out, the error says so and the other values stay
    page.get_by_label("URL base").fill(f"{sandbox.url}/{PLATFORM}")
    page.get_by_label("E-mail").fill(credentials["email"])
    page.get_by_label("Custo por consulta (R$)").fill("12,50")
    page.get_by_role("button", name="Salvar").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text("Corrija os campos destacados")
    expect(page.locator('[data-field-error="credential_senha"]')).to_have_text(
        "Este campo é obrigatório."
    )
    expect(page.get_by_label("URL base")).to_have_value(f"{sandbox.url}/{PLATFORM}")
    expect(page.get_by_label("Custo por consulta (R$)")).to_have_value("12,50")
    screenshot("integration_form_error")

    # and saves once the password is typed
    page.get_by_label("Senha", exact=True).fill(credentials["senha"])
    page.get_by_role("button", name="Salvar").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Integração SOAWebService da Filial São Paulo salva."
    )
    integration = BranchIntegration.objects.get()
    assert secrets.decrypt_credentials(integration.credentials_encrypted) == {
        "email": credentials["email"],
        "senha": credentials["senha"],
    }

    # Then "Testar" reports the platform's answer on the list
    row = page.locator(f'tr[data-integration="{integration.pk}"]')
    row.get_by_role("button", name="Testar").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Teste de Filial São Paulo — SOAWebService: Conexão e credenciais válidas."
    )
    expect(
        page.locator(f'tr[data-integration="{integration.pk}"]').get_by_test_id("last-test")
    ).to_contain_text("Conexão e credenciais válidas.")
    screenshot("integrations_list")

    # and the edit form shows what is stored only masked, never the password
    page.locator(f'tr[data-integration="{integration.pk}"]').get_by_role(
        "link", name="Editar"
    ).click()
    expect(page).to_have_url(re.compile(rf"/configuracoes/integracoes/{integration.pk}/$"))
    expect(page.get_by_label("Senha", exact=True)).to_have_value("")
    expect(page.get_by_label("E-mail")).to_have_value("")
    expect(page.get_by_test_id("credentials")).to_contain_text("Salvo: ••••••••.")
    assert credentials["senha"] not in page.content()
    screenshot("integration_form_edit")
