from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from creditcheck.core.models import Branch
from tests.api_helpers import list_query_count
from tests.factories import BranchFactory

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], APIClient]


def test_branch_list_shows_only_the_users_branches(
    api_client_for: ClientFor, attendant: User, branch: Branch, other_branch: Branch
) -> None:
    response = api_client_for(attendant).get("/api/v1/branches/")

    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "id": branch.pk,
            "name": "Filial São Paulo",
            "cnpj": branch.cnpj,
            "cnpj_formatted": branch.cnpj_formatted,
            "state": "SP",
            "city": "São Paulo",
            "active": True,
        }
    ]


def test_branch_retrieve_of_other_branch_is_404(
    api_client_for: ClientFor, attendant: User, other_branch: Branch
) -> None:
    response = api_client_for(attendant).get(f"/api/v1/branches/{other_branch.pk}/")

    assert response.status_code == 404


def test_branch_create_by_administrator_normalizes_alphanumeric_cnpj(
    api_client_for: ClientFor, administrator: User
) -> None:
    response = api_client_for(administrator).post(
        "/api/v1/branches/",
        {
            "name": "Filial Curitiba",
            "cnpj": "12.ABC.345/01DE-35",
            "state": "PR",
            "city": "Curitiba",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert Branch.objects.get(pk=response.json()["id"]).cnpj == "12ABC34501DE35"


def test_branch_create_with_cpf_is_400_on_cnpj(
    api_client_for: ClientFor, administrator: User
) -> None:
    response = api_client_for(administrator).post(
        "/api/v1/branches/",
        {"name": "Filial Errada", "cnpj": "529.982.247-25", "state": "PR", "city": "Curitiba"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["cnpj"] == ["Informe um CNPJ, não um CPF."]


def test_branch_create_is_forbidden_for_attendant(
    api_client_for: ClientFor, attendant: User
) -> None:
    response = api_client_for(attendant).post(
        "/api/v1/branches/",
        {"name": "Filial X", "cnpj": "11222333000181", "state": "PR", "city": "Curitiba"},
        format="json",
    )

    assert response.status_code == 403
    assert Branch.objects.filter(name="Filial X").exists() is False


def test_branch_list_query_count_does_not_grow_with_rows(
    api_client_for: ClientFor, administrator: User
) -> None:
    BranchFactory.create()
    one_row = list_query_count(api_client_for(administrator), "/api/v1/branches/", expected_rows=1)
    BranchFactory.create_batch(2)

    three_rows = list_query_count(
        api_client_for(administrator), "/api/v1/branches/", expected_rows=3
    )

    assert three_rows == one_row


def test_schema_lists_every_resource(api_client_for: ClientFor, attendant: User) -> None:
    response = api_client_for(attendant).get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200
    paths = response.json()["paths"]
    for resource in ("branches", "customers", "contracts", "invoices", "leads", "prospects"):
        assert f"/api/v1/{resource}/" in paths
        assert f"/api/v1/{resource}/{{id}}/" in paths


def test_swagger_ui_is_served_from_vendored_assets(
    api_client_for: ClientFor, attendant: User
) -> None:
    response = api_client_for(attendant).get("/api/v1/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn.jsdelivr.net" not in html
    assert "unpkg.com" not in html
