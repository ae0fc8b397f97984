"""Settings and branch integrations through the API: flags, encrypted write-only credentials."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from creditcheck.core.models import Branch
from creditcheck.integrations.models import BranchIntegration, CreditAnalysisSettings
from creditcheck.integrations.secrets import decrypt_credentials
from providers import registry
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch, sandbox_credentials

SETTINGS_URL = "/api/v1/settings/credit-analysis/"
URL = "/api/v1/branch-integrations/"

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], APIClient]


def test_settings_get_defaults_disabled(api_client_for: ClientFor, attendant: User) -> None:
    body = api_client_for(attendant).get(SETTINGS_URL).json()
    assert (body["enabled"], body["requery_interval_days"]) == (False, 0)


def test_settings_put_by_attendant_forbidden(api_client_for: ClientFor, attendant: User) -> None:
    response = api_client_for(attendant).put(SETTINGS_URL, {"enabled": True}, format="json")
    assert response.status_code == 403
    assert CreditAnalysisSettings.load().enabled is False


def test_settings_put_enables_with_interval(api_client_for: ClientFor, administrator: User) -> None:
    response = api_client_for(administrator).put(
        SETTINGS_URL, {"enabled": True, "requery_interval_days": 30}, format="json"
    )
    assert response.status_code == 200
    row = CreditAnalysisSettings.load()
    assert (row.enabled, row.requery_interval_days, row.updated_by) == (True, 30, administrator)


def test_settings_interval_not_editable_while_disabled(
    api_client_for: ClientFor, administrator: User
) -> None:
    response = api_client_for(administrator).put(
        SETTINGS_URL, {"enabled": False, "requery_interval_days": 10}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    # The same message as the screen's (one rule, in credit_settings_update).
    assert (body["requery_interval_days"], body["codes"]["requery_interval_days"]) == (
        ["O intervalo só pode ser alterado com a integração ativa (Sim)."],
        ["interval_requires_enabled"],
    )
    row = CreditAnalysisSettings.load()
    assert (row.enabled, row.requery_interval_days) == (False, 0)


def test_create_integration_credentials_encrypted_and_never_returned(
    api_client_for: ClientFor, administrator: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    credentials = sandbox_credentials("spcbrasil")
    response = api_client_for(administrator).post(
        URL,
        {
            "branch": branch.pk,
            "platform": "spcbrasil",
            "environment": "sandbox",
            "base_url": f"{sandbox.url}/spcbrasil",
            "cost_per_query": "9.80",
            "credentials": credentials,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert "credentials" not in body and body["has_credentials"] is True
    secrets = [credentials[f.name] for f in registry.get("spcbrasil").credential_fields if f.secret]
    assert secrets and all(secret not in response.content.decode() for secret in secrets)
    stored = BranchIntegration.objects.get(pk=body["id"])
    assert all(value not in stored.credentials_encrypted for value in credentials.values())
    assert decrypt_credentials(stored.credentials_encrypted) == credentials
    assert stored.is_default is True  # a branch's only integration is its default


def test_create_integration_missing_credentials_is_400(
    api_client_for: ClientFor, administrator: User, branch: Branch
) -> None:
    response = api_client_for(administrator).post(
        URL,
        {
            "branch": branch.pk,
            "platform": "spcbrasil",
            "environment": "sandbox",
            "credentials": {},
        },
        format="json",
    )
    assert response.status_code == 400
    assert "credentials" in response.json()


def test_update_blank_credentials_keep_stored_values(
    api_client_for: ClientFor, administrator: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    credentials = sandbox_credentials("spcbrasil")
    client = api_client_for(administrator)
    created = client.post(
        URL,
        {
            "branch": branch.pk,
            "platform": "spcbrasil",
            "environment": "sandbox",
            "credentials": credentials,
        },
        format="json",
    ).json()
    response = client.patch(
        f"{URL}{created['id']}/", {"cost_per_query": "5.00", "credentials": {}}, format="json"
    )
    assert response.status_code == 200
    stored = BranchIntegration.objects.get(pk=created["id"])
    assert decrypt_credentials(stored.credentials_encrypted) == credentials
    assert str(stored.cost_per_query) == "5.00"


def test_test_action_reports_ok_and_bad_credentials(
    api_client_for: ClientFor, administrator: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    client = api_client_for(administrator)
    good = client.post(
        URL,
        {
            "branch": branch.pk,
            "platform": "spcbrasil",
            "environment": "sandbox",
            "base_url": f"{sandbox.url}/spcbrasil",
            "credentials": sandbox_credentials("spcbrasil"),
        },
        format="json",
    ).json()
    assert client.post(f"{URL}{good['id']}/test/").json() == {
        "ok": True,
        "message": "Conexão e credenciais válidas.",
    }
    wrong = {name: "errado" for name in sandbox_credentials("spcbrasil")}
    client.patch(f"{URL}{good['id']}/", {"credentials": wrong}, format="json")
    result = client.post(f"{URL}{good['id']}/test/").json()
    assert result["ok"] is False
    assert "credenciais" in result["message"]


def test_sync_products_stores_catalogue(
    api_client_for: ClientFor, administrator: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    client = api_client_for(administrator)
    created = client.post(
        URL,
        {
            "branch": branch.pk,
            "platform": "spcbrasil",
            "environment": "sandbox",
            "base_url": f"{sandbox.url}/spcbrasil",
            "credentials": sandbox_credentials("spcbrasil"),
        },
        format="json",
    ).json()
    body = client.post(f"{URL}{created['id']}/sync-products/").json()
    assert [p["code"] for p in body["products"]] == ["257", "634"]
    assert body["product"] == "257"


def test_attendant_cannot_list_integrations(api_client_for: ClientFor, attendant: User) -> None:
    assert api_client_for(attendant).get(URL).status_code == 403


# --- The branch's default platform -----------------------------------------------------------


def defaults_of(branch: Branch) -> dict[str, bool]:
    return dict(
        BranchIntegration.objects.filter(branch=branch).values_list("platform", "is_default")
    )


def test_patch_is_default_true_on_another_integration_moves_the_default(
    api_client_for: ClientFor, administrator: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    spcbrasil = connect_branch(branch, sandbox, "spcbrasil")
    connect_branch(branch, sandbox, "soawebservice")  # now the default

    response = api_client_for(administrator).patch(
        f"{URL}{spcbrasil.pk}/", {"is_default": True}, format="json"
    )

    assert response.status_code == 200, response.json()  # was 400 from the unique validator
    assert response.json()["is_default"] is True
    assert defaults_of(branch) == {"spcbrasil": True, "soawebservice": False}


def test_patch_is_default_false_on_the_default_is_400_default_required(
    api_client_for: ClientFor, administrator: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    connect_branch(branch, sandbox, "spcbrasil")
    default = connect_branch(branch, sandbox, "soawebservice")

    response = api_client_for(administrator).patch(
        f"{URL}{default.pk}/", {"is_default": False}, format="json"
    )

    assert response.status_code == 400  # was 200, and the default silently kept
    assert response.json() == {
        "is_default": [
            "A filial precisa de uma plataforma padrão para as consultas: para trocar, marque "
            "outra integração desta filial como padrão."
        ],
        "code": "invalid",
        "codes": {"is_default": ["default_required"]},
    }
    assert defaults_of(branch) == {"spcbrasil": False, "soawebservice": True}


def test_patch_is_default_false_on_another_integration_changes_nothing_else(
    api_client_for: ClientFor, administrator: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    spcbrasil = connect_branch(branch, sandbox, "spcbrasil")
    connect_branch(branch, sandbox, "soawebservice")

    response = api_client_for(administrator).patch(
        f"{URL}{spcbrasil.pk}/", {"is_default": False, "cost_per_query": "4.00"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["is_default"] is False
    assert response.json()["cost_per_query"] == "4.00"
    assert defaults_of(branch) == {"spcbrasil": False, "soawebservice": True}


def test_post_of_a_new_default_moves_the_default(
    api_client_for: ClientFor, administrator: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    connect_branch(branch, sandbox, "spcbrasil")

    response = api_client_for(administrator).post(
        URL,
        {
            "branch": branch.pk,
            "platform": "soawebservice",
            "environment": "sandbox",
            "base_url": f"{sandbox.url}/soawebservice",
            "credentials": sandbox_credentials("soawebservice"),
            "is_default": True,
        },
        format="json",
    )

    assert response.status_code == 201, response.json()  # was 400 from the unique validator
    assert defaults_of(branch) == {"spcbrasil": False, "soawebservice": True}
