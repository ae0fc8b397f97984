"""The platforms as the integration settings see them: all derived from providers/registry.py, so
a platform added there reaches Configurações > Integrações, the API and the filters with no other
edit and no migration (CONTRIBUTING.md, "Adding a platform")."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import lxml.html
import pytest
from django import forms
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from creditcheck.analysis.forms import QueryReportFilterForm
from creditcheck.core.models import Branch
from creditcheck.integrations.models import BranchIntegration
from creditcheck.integrations.platforms import default_base_url, platform_filter_choices
from creditcheck.negativation.forms import NegativationFilterForm
from providers import registry
from providers.base import CredentialField
from providers.registry import Capability, Platform
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import sandbox_credentials

# A bureau that speaks SPC Brasil's protocol, so "Testar" can reach the SPC sandbox through the
# adapter its entry names.
NEW_PLATFORM = Platform(
    key="bureauteste",
    name="Bureau de Teste",
    capabilities=frozenset({Capability.CONSULT, Capability.PRODUCTS}),
    credential_fields=(
        CredentialField("operador", "Código do associado"),
        CredentialField("senha", "Senha de acesso", secret=True),
    ),
    hosts={registry.PRODUCTION: "https://ws.bureauteste.example"},
    adapter="providers.spcbrasil.Adapter",
)
FOUR_PLATFORMS = [
    ("soawebservice", "SOAWebService"),
    ("connectsa", "ConnectSA"),
    ("creditonamedida", "Crédito na Medida"),
    ("spcbrasil", "SPC Brasil"),
]
CREATE_URL = "/configuracoes/integracoes/nova/"


@pytest.fixture
def new_platform() -> Iterator[Platform]:
    registry.register(NEW_PLATFORM)
    yield NEW_PLATFORM
    registry.unregister(NEW_PLATFORM.key)


def _nodes(html: bytes, xpath: str) -> list[lxml.html.HtmlElement]:
    page: lxml.html.HtmlElement = lxml.html.fromstring(html.decode())
    return list(page.xpath(xpath))


def _texts(html: bytes, xpath: str) -> list[str]:
    return [" ".join(node.text_content().split()) for node in _nodes(html, xpath)]


def _options(html: bytes, select_id: str) -> list[tuple[str, str]]:
    options = _nodes(html, f'//*[@id="{select_id}"]/option')
    return [(str(o.get("value")), o.text_content()) for o in options]


def test_default_base_url_comes_from_the_registry_hosts() -> None:
    assert default_base_url("spcbrasil", "homologation") == "https://treina.spc.org.br"
    assert default_base_url("creditonamedida", "production") == ""
    assert default_base_url("spcbrasil", "sandbox") == "http://127.0.0.1:8700/spcbrasil"
    assert default_base_url("antiga", "production") == ""


def test_filter_choices_are_every_platform_after_all() -> None:
    assert platform_filter_choices() == [("", "Todas"), *FOUR_PLATFORMS]


@pytest.mark.django_db
@pytest.mark.usefixtures("new_platform")
def test_new_platform_is_offered_on_the_integration_form(
    client: Client, administrator: User
) -> None:
    client.force_login(administrator)

    response = client.get(CREATE_URL)

    assert _options(response.content, "id_platform") == [
        *FOUR_PLATFORMS,
        ("bureauteste", "Bureau de Teste"),
    ]


@pytest.mark.django_db
@pytest.mark.usefixtures("new_platform")
def test_choosing_the_new_platform_shows_its_credentials_and_host(
    client: Client, administrator: User
) -> None:
    client.force_login(administrator)

    response = client.get(
        CREATE_URL,
        {"platform": "bureauteste", "environment": "production"},
        headers={"HX-Request": "true"},
    )

    assert _texts(response.content, '//*[@data-testid="credentials"]/legend') == [
        "Credenciais — Bureau de Teste"
    ]
    inputs = _nodes(response.content, '//*[@data-testid="credentials"]//input')
    assert [(i.get("name"), i.get("type")) for i in inputs] == [
        ("credential_operador", "text"),
        ("credential_senha", "password"),
    ]
    assert _texts(response.content, '//*[@data-testid="credentials"]//label') == [
        "Código do associado",
        "Senha de acesso",
    ]
    base_url = _nodes(response.content, '//input[@name="base_url"]')
    assert [i.get("placeholder") for i in base_url] == ["https://ws.bureauteste.example"]


@pytest.mark.django_db
@pytest.mark.usefixtures("new_platform")
def test_new_platform_integration_is_saved_listed_and_tested_on_screen(
    client: Client, administrator: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    client.force_login(administrator)
    credentials = sandbox_credentials("spcbrasil")

    saved = client.post(
        CREATE_URL,
        {
            "branch": str(branch.pk),
            "platform": "bureauteste",
            "environment": "production",
            "base_url": f"{sandbox.url}/spcbrasil",
            "cost_per_query": "3,20",
            "is_default": "on",
            "active": "on",
            "credential_operador": credentials["operador"],
            "credential_senha": credentials["senha"],
        },
        follow=True,
    )
    integration = BranchIntegration.objects.get()
    tested = client.post(f"/configuracoes/integracoes/{integration.pk}/testar/", follow=True)

    assert (integration.platform, integration.get_platform_display()) == (
        "bureauteste",
        "Bureau de Teste",
    )
    assert _texts(saved.content, "//table//tbody/tr/td[2]") == ["Bureau de Teste"]
    integration.refresh_from_db()
    assert (integration.last_test_ok, integration.last_test_message) == (
        True,
        "Conexão e credenciais válidas.",
    )
    assert "Teste de Filial São Paulo — Bureau de Teste: Conexão e credenciais válidas." in (
        tested.content.decode()
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("new_platform")
def test_new_platform_is_accepted_by_the_api_choices(
    api_client_for: Callable[[User], APIClient], administrator: User, branch: Branch
) -> None:
    api = api_client_for(administrator)
    body = {
        "branch": branch.pk,
        "platform": "bureauteste",
        "environment": "production",
        "credentials": {"operador": "associado-1", "senha": "segredo"},
    }

    created = api.post("/api/v1/branch-integrations/", body, format="json")
    filtered = api.get("/api/v1/credit-queries/", {"platform": "bureauteste"})
    unknown = api.post(
        "/api/v1/branch-integrations/", {**body, "platform": "naoexiste"}, format="json"
    )

    assert created.status_code == 201, created.json()
    assert (created.json()["platform"], created.json()["base_url"]) == (
        "bureauteste",
        "https://ws.bureauteste.example",
    )
    assert (filtered.status_code, filtered.json()["results"]) == (200, [])
    assert (unknown.status_code, unknown.json()["codes"]) == (400, {"platform": ["invalid_choice"]})


@pytest.mark.usefixtures("new_platform")
def test_new_platform_is_offered_by_the_list_filters() -> None:
    expected = [("", "Todas"), *FOUR_PLATFORMS, ("bureauteste", "Bureau de Teste")]
    for form in (QueryReportFilterForm, NegativationFilterForm):
        field = form.base_fields["platform"]
        assert isinstance(field, forms.ChoiceField)
        # django-stubs types `choices` as what may be assigned, not what iterating it yields.
        assert list(field.choices) == expected  # type: ignore[arg-type]


@pytest.mark.django_db
@pytest.mark.usefixtures("new_platform")
def test_new_platform_needs_no_migration() -> None:
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
