from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
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


def test_schema_documents_the_size_limit_on_operations_with_a_body(
    api_client_for: ClientFor, attendant: User
) -> None:
    paths = api_client_for(attendant).get("/api/v1/schema/", {"format": "json"}).json()["paths"]

    assert "413" in paths["/api/v1/leads/"]["post"]["responses"]
    assert "413" in paths["/api/v1/leads/{id}/"]["patch"]["responses"]
    assert "413" not in paths["/api/v1/leads/"]["get"]["responses"]


def test_swagger_ui_is_served_from_vendored_assets(
    api_client_for: ClientFor, attendant: User
) -> None:
    response = api_client_for(attendant).get("/api/v1/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn.jsdelivr.net" not in html
    assert "unpkg.com" not in html


def test_json_body_of_30_mb_is_413_in_the_api_error_shape(
    api_client_for: ClientFor, administrator: User
) -> None:
    body = '{"name": "' + "a" * (30 * 1024 * 1024) + '"}'

    response = api_client_for(administrator).post(
        "/api/v1/leads/", body, content_type="application/json"
    )

    assert response.status_code == 413  # was Django's English HTML 400 page
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "O corpo da requisição passa do limite de 2,5 MB.",
        "code": "payload_too_large",
    }


def test_form_body_over_the_limit_on_a_screen_is_a_portuguese_page(
    client: Client, administrator: User
) -> None:
    client.force_login(administrator)

    response = client.post("/configuracoes/filiais/nova/", {"name": "a" * (3 * 1024 * 1024)})

    assert response.status_code == 413
    assert response["Content-Type"] == "text/html; charset=utf-8"
    content = response.content.decode()
    assert (
        '<h1 class="h4"><i class="bi bi-exclamation-octagon me-1"></i>Requisição recusada</h1>'
        in content
    )
    assert "O corpo da requisição passa do limite de 2,5 MB." in content


def test_request_refused_before_the_api_view_answers_the_api_error_body(db: None) -> None:
    response = Client(HTTP_HOST="outro.example").get("/api/v1/branches/")

    assert response.status_code == 400
    assert response.json() == {"detail": "Requisição malformada.", "code": "bad_request"}


@pytest.mark.parametrize("url", ["/api/v1/schema/", "/api/v1/docs/", "/api/v1/docs/?script="])
def test_schema_and_docs_need_a_signed_in_user(url: str, db: None) -> None:
    response = APIClient().get(url)

    assert response.status_code == 401  # was 200: the whole API described to anyone
    assert response.json()["code"] == "not_authenticated"


def test_schema_and_docs_open_to_anyone_when_the_setting_says_so(settings: Any, db: None) -> None:
    settings.API_DOCS_PUBLIC = True

    schema = APIClient().get("/api/v1/schema/", {"format": "json"})
    docs = APIClient().get("/api/v1/docs/")

    assert schema.status_code == 200
    assert "/api/v1/customers/" in schema.json()["paths"]
    assert docs.status_code == 200


def test_swagger_ui_start_up_script_comes_from_the_docs_url(
    api_client_for: ClientFor, attendant: User
) -> None:
    client = api_client_for(attendant)
    page = client.get("/api/v1/docs/").content.decode()

    script = client.get("/api/v1/docs/?script=")

    assert '<script src="/api/v1/docs/?script="></script>' in page
    assert "<style>" not in page
    assert script["Content-Type"] == "application/javascript"
    assert 'url: "/api/v1/schema/",' in script.content.decode()
