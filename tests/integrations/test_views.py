"""Configurações > Integrações screens with the Django test client; "Testar" and "Sincronizar
produtos" reach the sandboxes over real HTTP.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from creditcheck.core.enums import Role
from creditcheck.core.models import Branch
from creditcheck.integrations import secrets
from creditcheck.integrations.models import BranchIntegration, CreditAnalysisSettings
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch, enable_credit_analysis, sandbox_credentials
from tests.html import field_errors, parse, texts

if TYPE_CHECKING:  # the test client's response type exists only in django-stubs
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

# The form is filled with this platform's credential fields (E-mail, Senha).
PLATFORM = "soawebservice"
SETTINGS_URL = "/configuracoes/integracoes/"
CREATE_URL = "/configuracoes/integracoes/nova/"

pytestmark = pytest.mark.django_db


def flash_messages(response: Response) -> list[str]:
    """The texts of the messages framework's alerts on the page."""
    return texts(response, '//div[@class="messages"]/div[@role="alert"]')


def integration_post(branch: Branch, **overrides: str) -> dict[str, str]:
    data = {
        "branch": str(branch.pk),
        "platform": PLATFORM,
        "environment": "sandbox",
        "base_url": "",
        "product": "",
        "cost_per_query": "12,50",
        "is_default": "on",
        "active": "on",
        "credential_email": "filial@provedor.com.br",
        "credential_senha": "segredo-da-filial-123",
    }
    data.update(overrides)
    return data


# --- Global settings --------------------------------------------------------------------------


def test_settings_page_without_permission_is_forbidden(
    client_for: Callable[[User], Client], attendant: User
) -> None:
    response = client_for(attendant).get(SETTINGS_URL)
    assert response.status_code == 403


def test_settings_page_disabled_renders_interval_input_disabled(
    client_for: Callable[[User], Client], administrator: User
) -> None:
    response = client_for(administrator).get(SETTINGS_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Utiliza integração com análise de crédito" in html
    assert "Intervalo de dias para consultar o mesmo CPF/CNPJ" in html
    doc = parse(response)
    interval = doc.get_element_by_id("id_requery_interval_days")
    assert "disabled" in interval.attrib
    assert interval.get("value") == "0"
    checked = doc.xpath('//input[@name="enabled"][@checked]')
    assert [radio.get("value") for radio in checked] == ["0"]


def test_settings_enable_with_interval_saves_both(
    client_for: Callable[[User], Client], administrator: User
) -> None:
    response = client_for(administrator).post(
        SETTINGS_URL, {"enabled": "1", "requery_interval_days": "30"}, follow=True
    )

    row = CreditAnalysisSettings.load()
    assert (row.enabled, row.requery_interval_days, row.updated_by) == (True, 30, administrator)
    assert response.redirect_chain == [(SETTINGS_URL, 302)]
    assert flash_messages(response) == ["Configurações de análise de crédito salvas."]


def test_settings_interval_change_while_disabled_is_refused(
    client_for: Callable[[User], Client], administrator: User
) -> None:
    response = client_for(administrator).post(
        SETTINGS_URL, {"enabled": "0", "requery_interval_days": "15"}
    )

    row = CreditAnalysisSettings.load()
    assert (row.enabled, row.requery_interval_days) == (False, 0)
    assert response.status_code == 200
    assert field_errors(response, "requery_interval_days") == [
        "O intervalo só pode ser alterado com a integração ativa (Sim)."
    ]


def test_settings_disable_keeps_stored_interval(
    client_for: Callable[[User], Client], administrator: User
) -> None:
    enable_credit_analysis(interval_days=30)

    # The browser does not send a disabled input: only "enabled" arrives.
    response = client_for(administrator).post(SETTINGS_URL, {"enabled": "0"})

    row = CreditAnalysisSettings.load()
    assert response.status_code == 302
    assert (row.enabled, row.requery_interval_days) == (False, 30)


def test_settings_negative_interval_shows_field_error(
    client_for: Callable[[User], Client], administrator: User
) -> None:
    response = client_for(administrator).post(
        SETTINGS_URL, {"enabled": "1", "requery_interval_days": "-1"}
    )

    assert response.status_code == 200
    assert field_errors(response, "requery_interval_days") == [
        "Certifique-se que este valor seja maior ou igual a 0."
    ]
    assert CreditAnalysisSettings.load().enabled is False


# --- Branch integrations ----------------------------------------------------------------------


def test_integration_create_stores_encrypted_credentials_never_shown(
    client_for: Callable[[User], Client], administrator: User, branch: Branch
) -> None:
    client = client_for(administrator)

    response = client.post(CREATE_URL, integration_post(branch))

    assert response.status_code == 302
    integration = BranchIntegration.objects.get()
    assert (integration.branch, integration.platform, integration.cost_per_query) == (
        branch,
        PLATFORM,
        Decimal("12.50"),
    )
    assert integration.base_url == "http://127.0.0.1:8700/soawebservice"
    assert "segredo-da-filial-123" not in integration.credentials_encrypted
    assert secrets.decrypt_credentials(integration.credentials_encrypted) == {
        "email": "filial@provedor.com.br",
        "senha": "segredo-da-filial-123",
    }
    edit_html = client.get(f"{SETTINGS_URL}{integration.pk}/").content.decode()
    assert "segredo-da-filial-123" not in edit_html
    assert "filial@provedor.com.br" not in edit_html
    assert "Salvo: ••••••••. Em branco: mantém o valor salvo." in edit_html
    assert "Salvo: fi••••••••••••••••••••. Em branco: mantém o valor salvo." in edit_html


def test_integration_create_error_keeps_values_but_never_echoes_secret(
    client_for: Callable[[User], Client], administrator: User, branch: Branch
) -> None:
    response = client_for(administrator).post(
        CREATE_URL,
        integration_post(branch, credential_email="", base_url="https://api.exemplo.com.br"),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert BranchIntegration.objects.count() == 0
    assert field_errors(response, "credential_email") == ["Este campo é obrigatório."]
    assert 'value="https://api.exemplo.com.br"' in html
    assert 'value="12,50"' in html
    assert "segredo-da-filial-123" not in html
    assert "senhas e chaves digitadas não são\n      reenviadas à tela" in html


def test_integration_create_invalid_cost_shows_field_error(
    client_for: Callable[[User], Client], administrator: User, branch: Branch
) -> None:
    response = client_for(administrator).post(
        CREATE_URL, integration_post(branch, cost_per_query="-3")
    )

    assert response.status_code == 200
    assert field_errors(response, "cost_per_query") == ["Informe um valor igual ou maior que zero."]


def test_integration_edit_blank_secret_keeps_stored_one(
    client_for: Callable[[User], Client],
    administrator: User,
    branch: Branch,
    sandbox: RunningSandbox,
) -> None:
    integration = connect_branch(branch, sandbox, PLATFORM)
    stored = secrets.decrypt_credentials(integration.credentials_encrypted)

    response = client_for(administrator).post(
        f"{SETTINGS_URL}{integration.pk}/",
        integration_post(
            branch,
            credential_email="",
            credential_senha="",
            cost_per_query="7,90",
            base_url=integration.base_url,
        ),
    )

    integration.refresh_from_db()
    assert response.status_code == 302
    assert integration.cost_per_query == Decimal("7.90")
    assert secrets.decrypt_credentials(integration.credentials_encrypted) == stored


@pytest.fixture
def admin_screens(client_for: Callable[[User], Client], administrator: User) -> Client:
    return client_for(administrator)


def test_integration_made_default_on_the_screen_moves_the_branch_default(
    admin_screens: Client, branch: Branch, sandbox: RunningSandbox
) -> None:
    first = connect_branch(branch, sandbox, PLATFORM)
    connect_branch(branch, sandbox, "spcbrasil")  # now the default

    response = admin_screens.post(
        f"{SETTINGS_URL}{first.pk}/", integration_post(branch, base_url=first.base_url)
    )

    assert response.status_code == 302
    assert defaults_of(branch) == {PLATFORM: True, "spcbrasil": False}


def test_integration_default_unticked_on_the_screen_is_refused_with_a_field_error(
    admin_screens: Client, branch: Branch, sandbox: RunningSandbox
) -> None:
    integration = connect_branch(branch, sandbox, PLATFORM)
    data = integration_post(branch, base_url=integration.base_url)
    del data["is_default"]

    response = admin_screens.post(f"{SETTINGS_URL}{integration.pk}/", data)

    assert response.status_code == 200  # was a redirect, the default silently kept
    assert field_errors(response, "is_default") == [
        "A filial precisa de uma plataforma padrão para as consultas: para trocar, marque "
        "outra integração desta filial como padrão."
    ]
    assert defaults_of(branch) == {PLATFORM: True}


def defaults_of(branch: Branch) -> dict[str, bool]:
    return dict(
        BranchIntegration.objects.filter(branch=branch).values_list("platform", "is_default")
    )


def test_integration_branch_outside_users_branches_is_refused(
    client_for: Callable[[User], Client],
    make_user: Callable[..., User],
    branch: Branch,
    other_branch: Branch,
) -> None:
    manager = make_user(Role.ATTENDANT, [branch], username="gerente")
    manager.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["add_branchintegration", "change_branchintegration"]
        )
    )

    response = client_for(manager).post(CREATE_URL, integration_post(other_branch))

    assert response.status_code == 200
    assert BranchIntegration.objects.count() == 0
    assert field_errors(response, "branch") == [
        "Faça uma escolha válida. Sua escolha não é uma das disponíveis."
    ]


def test_integration_platform_change_swaps_credential_inputs(
    client_for: Callable[[User], Client], administrator: User
) -> None:
    response = client_for(administrator).get(
        CREATE_URL,
        {"platform": "creditonamedida", "environment": "production"},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert '<div id="platform-fields">' in html
    assert "<!doctype html>" not in html
    assert "Credenciais — Crédito na Medida" in html
    assert '<input type="text" name="credential_client_id"' in html
    assert '<input type="password" name="credential_client_secret"' in html
    assert "Obrigatória: esta plataforma não publica um endereço padrão." in html


def test_integration_test_button_shows_success(
    client_for: Callable[[User], Client],
    administrator: User,
    branch: Branch,
    sandbox: RunningSandbox,
) -> None:
    integration = connect_branch(branch, sandbox, PLATFORM)

    response = client_for(administrator).post(
        f"{SETTINGS_URL}{integration.pk}/testar/", follow=True
    )

    integration.refresh_from_db()
    assert (integration.last_test_ok, integration.last_test_message) == (
        True,
        "Conexão e credenciais válidas.",
    )
    assert flash_messages(response) == [
        "Teste de Filial São Paulo — SOAWebService: Conexão e credenciais válidas."
    ]


def test_integration_test_button_shows_refused_credentials(
    client_for: Callable[[User], Client],
    administrator: User,
    branch: Branch,
    sandbox: RunningSandbox,
) -> None:
    integration = connect_branch(branch, sandbox, PLATFORM)
    client = client_for(administrator)
    client.post(
        f"{SETTINGS_URL}{integration.pk}/",
        integration_post(
            branch,
            credential_senha="senha-errada",
            base_url=integration.base_url,
            credential_email=sandbox_credentials(PLATFORM)["email"],
        ),
        follow=True,
    )

    response = client.post(f"{SETTINGS_URL}{integration.pk}/testar/", follow=True)

    integration.refresh_from_db()
    assert integration.last_test_ok is False
    assert flash_messages(response) == [
        "Teste de Filial São Paulo — SOAWebService falhou: A SOAWebService recusou o e-mail e a "
        "senha da filial. Verifique as credenciais em Configurações > Integrações. (G000M000)"
    ]
    assert integration.last_test_message == (
        "A SOAWebService recusou o e-mail e a senha da filial. Verifique as credenciais em "
        "Configurações > Integrações. (G000M000)"
    )


def test_integration_sync_products_lists_them_in_the_form(
    client_for: Callable[[User], Client],
    administrator: User,
    branch: Branch,
    sandbox: RunningSandbox,
) -> None:
    integration = connect_branch(branch, sandbox, PLATFORM)
    client = client_for(administrator)

    response = client.post(f"{SETTINGS_URL}{integration.pk}/sincronizar-produtos/", follow=True)

    integration.refresh_from_db()
    count = len(integration.products)
    assert count > 0
    assert flash_messages(response) == [
        f"{count} produtos sincronizados de Filial São Paulo — SOAWebService."
    ]
    form_html = client.get(f"{SETTINGS_URL}{integration.pk}/").content.decode()
    first = integration.products[0]
    assert (
        f'<option value="{first["code"]}" selected>{first["name"]} ({first["code"]})</option>'
        in form_html
    )
