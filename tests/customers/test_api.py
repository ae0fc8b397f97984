from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from creditcheck.core.models import Branch
from creditcheck.customers.models import Customer
from tests.api_helpers import list_query_count
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], APIClient]


def customer_payload(branch: Branch, **overrides: Any) -> dict[str, Any]:
    payload = {
        "person_type": "F",
        "name": "Maria da Silva",
        "document": "529.982.247-25",
        "birth_date": "1980-05-17",
        "mother_name": "Ana da Silva",
        "cep": "01310-100",
        "street": "Avenida Paulista",
        "number": "1578",
        "complement": "Sala 2",
        "district": "Bela Vista",
        "city": "São Paulo",
        "state": "SP",
        "email": "maria@example.com",
        "phone": "11987654321",
        "branch": branch.pk,
        "status": "active",
    }
    payload.update(overrides)
    return payload


@pytest.mark.parametrize(
    ("person_type", "typed", "stored", "formatted"),
    [
        ("F", "529.982.247-25", "52998224725", "529.982.247-25"),
        ("F", "52998224725", "52998224725", "529.982.247-25"),
        ("J", "11.222.333/0001-81", "11222333000181", "11.222.333/0001-81"),
        ("J", "11222333000181", "11222333000181", "11.222.333/0001-81"),
        ("J", "12.ABC.345/01DE-35", "12ABC34501DE35", "12.ABC.345/01DE-35"),
        ("J", "12abc34501de35", "12ABC34501DE35", "12.ABC.345/01DE-35"),
    ],
)
def test_customer_create_accepts_masked_and_bare_documents(
    api_client_for: ClientFor,
    attendant: User,
    branch: Branch,
    person_type: str,
    typed: str,
    stored: str,
    formatted: str,
) -> None:
    response = api_client_for(attendant).post(
        "/api/v1/customers/",
        customer_payload(branch, person_type=person_type, document=typed),
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["document"] == stored
    assert body["document_formatted"] == formatted
    assert body["person_type"] == person_type
    assert body["cep"] == "01310100"
    customer = Customer.objects.get(pk=body["id"])
    assert customer.document == stored
    assert customer.branch_id == branch.pk


def test_customer_create_returns_exactly_the_documented_fields(
    api_client_for: ClientFor, attendant: User, branch: Branch
) -> None:
    response = api_client_for(attendant).post(
        "/api/v1/customers/", customer_payload(branch), format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert body == {
        "id": body["id"],
        "person_type": "F",
        "name": "Maria da Silva",
        "document": "52998224725",
        "document_formatted": "529.982.247-25",
        "birth_date": "1980-05-17",
        "mother_name": "Ana da Silva",
        "cep": "01310100",
        "street": "Avenida Paulista",
        "number": "1578",
        "complement": "Sala 2",
        "district": "Bela Vista",
        "city": "São Paulo",
        "state": "SP",
        "email": "maria@example.com",
        "phone": "11987654321",
        "branch": branch.pk,
        "status": "active",
        "external_source": "",
        "external_id": "",
    }


def test_customer_create_infers_person_type_from_document_when_missing(
    api_client_for: ClientFor, attendant: User, branch: Branch
) -> None:
    payload = customer_payload(branch, document="12.ABC.345/01DE-35", name="Provedor XYZ Ltda")
    del payload["person_type"]

    response = api_client_for(attendant).post("/api/v1/customers/", payload, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["person_type"] == "J"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("529.982.247-24", "CPF inválido: os dígitos verificadores não conferem."),
        ("111.111.111-11", "CPF inválido: todos os dígitos são iguais."),
        ("11.222.333/0001-82", "CNPJ inválido: os dígitos verificadores não conferem."),
        ("12.ABC.345/01DE-36", "CNPJ inválido: os dígitos verificadores não conferem."),
        (
            "1234",
            "CPF/CNPJ inválido: informe um CPF com 11 dígitos ou um CNPJ com 14 caracteres.",
        ),
    ],
)
def test_customer_create_rejects_invalid_document_with_400_on_document(
    api_client_for: ClientFor, attendant: User, branch: Branch, typed: str, message: str
) -> None:
    response = api_client_for(attendant).post(
        "/api/v1/customers/", customer_payload(branch, document=typed), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "document": [message],
        "code": "invalid",
        "codes": {"document": ["invalid_document"]},
    }
    assert Customer.objects.count() == 0


def test_customer_create_rejects_cpf_for_company_on_document(
    api_client_for: ClientFor, attendant: User, branch: Branch
) -> None:
    response = api_client_for(attendant).post(
        "/api/v1/customers/",
        customer_payload(branch, person_type="J", document="529.982.247-25"),
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["document"] == [
        "Pessoa jurídica deve ter um CNPJ (14 caracteres), não um CPF."
    ]
    assert response.json()["codes"] == {"document": ["person_type_mismatch"]}


def test_customer_create_rejects_invalid_cep(
    api_client_for: ClientFor, attendant: User, branch: Branch
) -> None:
    response = api_client_for(attendant).post(
        "/api/v1/customers/", customer_payload(branch, cep="0131-01"), format="json"
    )

    assert response.status_code == 400
    assert response.json()["cep"] == ["CEP inválido: informe 8 dígitos."]


def test_customer_create_into_foreign_branch_is_400_on_branch(
    api_client_for: ClientFor, attendant: User, other_branch: Branch
) -> None:
    response = api_client_for(attendant).post(
        "/api/v1/customers/", customer_payload(other_branch), format="json"
    )

    assert response.status_code == 400
    assert response.json()["branch"] == ["Filial inexistente ou você não tem acesso a ela."]
    assert Customer.objects.count() == 0


def test_customer_retrieve_of_other_branch_is_404(
    api_client_for: ClientFor, attendant: User, other_branch: Branch
) -> None:
    foreign = CustomerFactory.create(branch=other_branch)

    response = api_client_for(attendant).get(f"/api/v1/customers/{foreign.pk}/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_customer_update_of_other_branch_is_404_and_changes_nothing(
    api_client_for: ClientFor, attendant: User, other_branch: Branch
) -> None:
    foreign = CustomerFactory.create(branch=other_branch, name="Cliente Alheio")

    response = api_client_for(attendant).patch(
        f"/api/v1/customers/{foreign.pk}/", {"name": "Alterado"}, format="json"
    )

    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.name == "Cliente Alheio"


def test_customer_partial_update_normalizes_document(
    api_client_for: ClientFor, attendant: User, branch: Branch
) -> None:
    customer = CustomerFactory.create(branch=branch)

    response = api_client_for(attendant).patch(
        f"/api/v1/customers/{customer.pk}/", {"document": "529.982.247-25"}, format="json"
    )

    assert response.status_code == 200, response.json()
    customer.refresh_from_db()
    assert customer.document == "52998224725"


def test_customer_list_shows_only_own_branches(
    api_client_for: ClientFor, attendant: User, branch: Branch, other_branch: Branch
) -> None:
    own = CustomerFactory.create(branch=branch)
    CustomerFactory.create(branch=other_branch)

    response = api_client_for(attendant).get("/api/v1/customers/")

    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert [row["id"] for row in response.json()["results"]] == [own.pk]


def test_customer_list_for_administrator_shows_every_branch(
    api_client_for: ClientFor, administrator: User, branch: Branch, other_branch: Branch
) -> None:
    CustomerFactory.create(branch=branch)
    CustomerFactory.create(branch=other_branch)

    response = api_client_for(administrator).get("/api/v1/customers/")

    assert response.json()["count"] == 2


@pytest.mark.parametrize("typed", ["529.982.247-25", "52998224725"])
def test_customer_list_filters_by_masked_or_bare_document(
    api_client_for: ClientFor, attendant: User, branch: Branch, typed: str
) -> None:
    wanted = CustomerFactory.create(branch=branch, document="52998224725")
    CustomerFactory.create(branch=branch)

    response = api_client_for(attendant).get("/api/v1/customers/", {"document": typed})

    assert [row["id"] for row in response.json()["results"]] == [wanted.pk]


def test_customer_list_filters_by_alphanumeric_cnpj(
    api_client_for: ClientFor, attendant: User, branch: Branch
) -> None:
    wanted = CustomerFactory.create(branch=branch, alphanumeric=True, document="12ABC34501DE35")
    CustomerFactory.create(branch=branch, company=True)

    response = api_client_for(attendant).get(
        "/api/v1/customers/", {"document": "12.abc.345/01de-35"}
    )

    assert [row["id"] for row in response.json()["results"]] == [wanted.pk]


def test_customer_list_filters_by_branch(
    api_client_for: ClientFor, make_user: Callable[..., User], branch: Branch, other_branch: Branch
) -> None:
    from creditcheck.core.enums import Role

    user = make_user(Role.ATTENDANT, [branch, other_branch])
    CustomerFactory.create(branch=branch)
    wanted = CustomerFactory.create(branch=other_branch)

    response = api_client_for(user).get("/api/v1/customers/", {"branch": other_branch.pk})

    assert [row["id"] for row in response.json()["results"]] == [wanted.pk]


def test_customer_list_paginates_by_25(
    api_client_for: ClientFor, attendant: User, branch: Branch
) -> None:
    CustomerFactory.create_batch(27, branch=branch)

    first = api_client_for(attendant).get("/api/v1/customers/").json()
    second = api_client_for(attendant).get("/api/v1/customers/", {"page": 2}).json()

    assert first["count"] == 27
    assert len(first["results"]) == 25
    assert first["next"] == "http://testserver/api/v1/customers/?page=2"
    assert len(second["results"]) == 2
    assert second["next"] is None


def test_customer_list_query_count_does_not_grow_with_rows(
    api_client_for: ClientFor, attendant: User, branch: Branch
) -> None:
    CustomerFactory.create(branch=branch)
    one_row = list_query_count(api_client_for(attendant), "/api/v1/customers/", expected_rows=1)
    CustomerFactory.create_batch(2, branch=branch)

    three_rows = list_query_count(api_client_for(attendant), "/api/v1/customers/", expected_rows=3)

    assert three_rows == one_row


def test_customer_api_requires_authentication(branch: Branch) -> None:
    response = APIClient().get("/api/v1/customers/")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_customer_api_accepts_token_authentication(attendant: User, branch: Branch) -> None:
    from rest_framework.authtoken.models import Token

    CustomerFactory.create(branch=branch)
    token = Token.objects.create(user=attendant)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = client.get("/api/v1/customers/")

    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_customer_create_refuses_a_document_the_branch_has_with_its_customer(
    api_client_for: ClientFor, attendant: User, branch: Branch
) -> None:
    existing = CustomerFactory.create(branch=branch, document="52998224725", name="Maria Antiga")

    response = api_client_for(attendant).post(
        "/api/v1/customers/", customer_payload(branch), format="json"
    )

    assert response.status_code == 400
    body = response.json()
    assert body["document"] == [
        "Já existe um cliente com este CPF/CNPJ nesta filial: Maria Antiga "
        f"(cliente nº {existing.pk})."
    ]
    assert body["codes"] == {"document": ["duplicate_customer"]}
    assert Customer.objects.count() == 1


def test_customer_create_accepts_a_document_of_another_branch(
    api_client_for: ClientFor, attendant: User, branch: Branch, other_branch: Branch
) -> None:
    CustomerFactory.create(branch=other_branch, document="52998224725")

    response = api_client_for(attendant).post(
        "/api/v1/customers/", customer_payload(branch), format="json"
    )

    assert response.status_code == 201, response.json()


def test_customer_update_to_a_document_the_branch_has_is_refused(
    api_client_for: ClientFor, attendant: User, branch: Branch
) -> None:
    CustomerFactory.create(branch=branch, document="52998224725")
    other = CustomerFactory.create(branch=branch, document="12345678909")
    client = api_client_for(attendant)

    renamed = client.patch(f"/api/v1/customers/{other.pk}/", {"name": "Novo Nome"}, format="json")
    moved = client.patch(
        f"/api/v1/customers/{other.pk}/", {"document": "529.982.247-25"}, format="json"
    )

    assert renamed.status_code == 200
    assert (moved.status_code, moved.json()["codes"]) == (
        400,
        {"document": ["duplicate_customer"]},
    )
