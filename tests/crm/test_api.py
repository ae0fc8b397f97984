from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from creditcheck.core.models import Branch
from creditcheck.crm.models import Lead, Prospect
from tests.api_helpers import list_query_count
from tests.factories import LeadFactory, ProspectFactory

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], APIClient]


def test_lead_create_without_document(
    api_client_for: ClientFor, seller: User, branch: Branch
) -> None:
    response = api_client_for(seller).post(
        "/api/v1/leads/",
        {"name": "Paulo Mendes", "phone": "11955554444", "source": "phone", "branch": branch.pk},
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["document"] == ""
    assert body["document_formatted"] == ""
    assert Lead.objects.get(pk=body["id"]).name == "Paulo Mendes"


def test_lead_create_with_masked_alphanumeric_cnpj(
    api_client_for: ClientFor, seller: User, branch: Branch
) -> None:
    response = api_client_for(seller).post(
        "/api/v1/leads/",
        {"name": "Mercado Bom Preço", "document": "12.ABC.345/01DE-35", "branch": branch.pk},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["document"] == "12ABC34501DE35"
    assert response.json()["document_formatted"] == "12.ABC.345/01DE-35"


def test_lead_create_with_invalid_document_is_400_on_document(
    api_client_for: ClientFor, seller: User, branch: Branch
) -> None:
    response = api_client_for(seller).post(
        "/api/v1/leads/",
        {"name": "Paulo Mendes", "document": "123.456.789-00", "branch": branch.pk},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["document"] == ["CPF inválido: os dígitos verificadores não conferem."]
    assert response.json()["codes"] == {"document": ["invalid_document"]}


def test_lead_create_is_forbidden_for_attendant(
    api_client_for: ClientFor, attendant: User, branch: Branch
) -> None:
    response = api_client_for(attendant).post(
        "/api/v1/leads/", {"name": "Paulo Mendes", "branch": branch.pk}, format="json"
    )

    assert response.status_code == 403
    assert Lead.objects.count() == 0


def test_lead_retrieve_of_other_branch_is_404(
    api_client_for: ClientFor, seller: User, other_branch: Branch
) -> None:
    foreign = LeadFactory.create(branch=other_branch)

    response = api_client_for(seller).get(f"/api/v1/leads/{foreign.pk}/")

    assert response.status_code == 404


def test_lead_list_filters_by_document(
    api_client_for: ClientFor, seller: User, branch: Branch
) -> None:
    wanted = LeadFactory.create(branch=branch, document="52998224725")
    LeadFactory.create(branch=branch)

    response = api_client_for(seller).get("/api/v1/leads/", {"document": "529.982.247-25"})

    assert [row["id"] for row in response.json()["results"]] == [wanted.pk]


def test_lead_list_query_count_does_not_grow_with_rows(
    api_client_for: ClientFor, seller: User, branch: Branch
) -> None:
    LeadFactory.create(branch=branch)
    one_row = list_query_count(api_client_for(seller), "/api/v1/leads/", expected_rows=1)
    LeadFactory.create_batch(2, branch=branch)

    assert list_query_count(api_client_for(seller), "/api/v1/leads/", expected_rows=3) == one_row


def test_prospect_create_with_address_and_stage(
    api_client_for: ClientFor, seller: User, branch: Branch
) -> None:
    lead = LeadFactory.create(branch=branch)

    response = api_client_for(seller).post(
        "/api/v1/prospects/",
        {
            "name": "Rita Campos",
            "document": "529.982.247-25",
            "branch": branch.pk,
            "lead": lead.pk,
            "cep": "01310-100",
            "street": "Avenida Paulista",
            "number": "900",
            "district": "Bela Vista",
            "city": "São Paulo",
            "state": "SP",
            "desired_plan": "Fibra 1 Giga",
            "stage": "negotiating",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    prospect = Prospect.objects.get(pk=response.json()["id"])
    assert prospect.document == "52998224725"
    assert prospect.cep == "01310100"
    assert prospect.lead == lead
    assert prospect.get_stage_display() == "Em negociação"
    assert response.json()["converted_customer"] is None


def test_prospect_create_with_lead_of_other_branch_is_400_on_lead(
    api_client_for: ClientFor, seller: User, branch: Branch, other_branch: Branch
) -> None:
    foreign_lead = LeadFactory.create(branch=other_branch)

    response = api_client_for(seller).post(
        "/api/v1/prospects/",
        {"name": "Rita Campos", "branch": branch.pk, "lead": foreign_lead.pk},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["lead"] == [
        "Registro inexistente ou de uma filial à qual você não tem acesso."
    ]


def test_prospect_update_of_other_branch_is_404(
    api_client_for: ClientFor, seller: User, other_branch: Branch
) -> None:
    foreign = ProspectFactory.create(branch=other_branch, stage="new")

    response = api_client_for(seller).patch(
        f"/api/v1/prospects/{foreign.pk}/", {"stage": "lost"}, format="json"
    )

    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.stage == "new"


def test_prospect_list_filters_by_stage_and_branch(
    api_client_for: ClientFor, administrator: User, branch: Branch, other_branch: Branch
) -> None:
    wanted = ProspectFactory.create(branch=branch, stage="negotiating")
    ProspectFactory.create(branch=branch, stage="new")
    ProspectFactory.create(branch=other_branch, stage="negotiating")

    response = api_client_for(administrator).get(
        "/api/v1/prospects/", {"stage": "negotiating", "branch": str(branch.pk)}
    )

    assert [row["id"] for row in response.json()["results"]] == [wanted.pk]


def test_prospect_list_query_count_does_not_grow_with_rows(
    api_client_for: ClientFor, seller: User, branch: Branch
) -> None:
    ProspectFactory.create(branch=branch)
    one_row = list_query_count(api_client_for(seller), "/api/v1/prospects/", expected_rows=1)
    ProspectFactory.create_batch(2, branch=branch)

    three_rows = list_query_count(api_client_for(seller), "/api/v1/prospects/", expected_rows=3)

    assert three_rows == one_row
