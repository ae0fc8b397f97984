"""POST/GET /api/v1/credit-queries/ and the report downloads, over the sandboxes."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.test import APIClient

from creditcheck.analysis.enums import QueryStatus
from creditcheck.analysis.models import CreditQuery
from creditcheck.core.models import Branch
from providers.sandbox.scenarios import (
    CLEAN_CPF,
    SMALL_RESTRICTION_CPF,
)
from providers.sandbox.server import RunningSandbox
from tests.api_helpers import list_query_count
from tests.credit_setup import (
    connect_branch,
    enable_credit_analysis,
    identity_divergent_customer,
    integration_on,
)
from tests.factories import CustomerFactory
from tests.sandbox_client import billed_calls, ledger

URL = "/api/v1/credit-queries/"

pytestmark = pytest.mark.django_db(transaction=True)

ClientFor = Callable[[User], APIClient]


def test_post_disabled_answers_403_integration_disabled(
    api_client_for: ClientFor, attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    connect_branch(branch, sandbox)
    response = api_client_for(attendant).post(URL, {"document": CLEAN_CPF, "branch": branch.pk})
    assert response.status_code == 403
    assert response.json()["code"] == "integration_disabled"
    assert ledger(sandbox) == []


def test_post_invalid_document_answers_400(
    api_client_for: ClientFor, attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    integration_on(branch, sandbox)
    response = api_client_for(attendant).post(
        URL, {"document": "111.111.111-11", "branch": branch.pk}
    )
    body = response.json()
    assert (response.status_code, body["code"]) == (400, "invalid_document")
    assert body["document"] == ["CPF inválido: todos os dígitos são iguais."]
    assert ledger(sandbox) == []


def test_post_branch_without_integration_answers_409(
    api_client_for: ClientFor, attendant: User, branch: Branch
) -> None:
    enable_credit_analysis()
    response = api_client_for(attendant).post(URL, {"document": CLEAN_CPF, "branch": branch.pk})
    assert (response.status_code, response.json()["code"]) == (409, "branch_without_integration")


def test_post_other_branch_answers_400_on_branch(
    api_client_for: ClientFor, attendant: User, other_branch: Branch
) -> None:
    enable_credit_analysis()
    response = api_client_for(attendant).post(
        URL, {"document": CLEAN_CPF, "branch": other_branch.pk}
    )
    assert response.status_code == 400
    assert response.json()["codes"] == {"branch": ["does_not_exist"]}


def test_post_needs_exactly_one_subject(
    api_client_for: ClientFor, attendant: User, branch: Branch
) -> None:
    customer = CustomerFactory.create(branch=branch)
    response = api_client_for(attendant).post(
        URL, {"document": CLEAN_CPF, "customer": customer.pk, "branch": branch.pk}
    )
    assert response.status_code == 400
    assert response.json()["codes"] == {"non_field_errors": ["one_subject"]}


def test_post_customer_returns_201_with_stored_result(
    api_client_for: ClientFor, attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    integration_on(branch, sandbox, cost="16.00", interval_days=30)
    customer = CustomerFactory.create(
        branch=branch, document=SMALL_RESTRICTION_CPF, person_type="F"
    )
    response = api_client_for(attendant).post(URL, {"customer": customer.pk, "branch": branch.pk})
    body = response.json()
    assert response.status_code == 201
    query = CreditQuery.objects.get(pk=body["id"])
    assert {
        k: body[k]
        for k in (
            "status",
            "document",
            "branch",
            "platform",
            "has_restrictions",
            "score",
            "cost",
            "error_code",
            "error_message",
        )
    } == {
        "status": "succeeded",
        "document": SMALL_RESTRICTION_CPF,
        "branch": branch.pk,
        "platform": "spcbrasil",
        "has_restrictions": True,
        "score": 520,
        "cost": "16.00",
        "error_code": "",
        "error_message": "",
    }
    assert [(r["kind"], r["creditor"], r["amount"]) for r in body["restrictions"]] == [
        ("pefin", "NET RAPIDA TELECOM LTDA", "189.90")
    ]
    assert body["totals"] == [{"kind": "pefin", "count": 1, "amount": "189.90", "unvalued": 0}]
    assert body["report_url"] == f"/api/v1/credit-queries/{query.pk}/report.pdf"
    assert query.customer == customer


def test_company_query_answers_company_data_and_other_information(
    api_client_for: ClientFor, attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    integration_on(branch, sandbox)

    body = (
        api_client_for(attendant)
        .post(URL, {"document": "12ABC34501DE35", "branch": branch.pk})  # company_partners
        .json()
    )

    assert body["company"] == {
        "trade_name": "COMERCIO EXEMPLO",
        "legal_nature": {"code": "2062", "description": "SOCIEDADE EMPRESARIA LIMITADA"},
        "main_activity": {
            "code": "4711302",
            "description": "COMERCIO VAREJISTA DE MERCADORIAS EM GERAL - SUPERMERCADOS",
        },
        "secondary_activities": [],
        "capital": "150000.00",
        "situation_on": "2021-01-13",
        "state_registration": "",
        "headquarters": "",
    }
    assert {
        "label": "Operador do SPC: nome",
        "value": "OPERADOR SANDBOX",
        "path": "operador/@nome",
    } in body["other_information"]


def test_post_inside_interval_answers_409_with_dates(
    api_client_for: ClientFor, attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    integration_on(branch, sandbox, interval_days=30)
    client = api_client_for(attendant)
    first = client.post(URL, {"document": CLEAN_CPF, "branch": branch.pk}).json()
    response = client.post(URL, {"document": "529.982.247-25", "branch": branch.pk})
    body = response.json()
    last = CreditQuery.objects.get(pk=first["id"])
    assert (response.status_code, body["code"], body["last_query_id"]) == (
        409,
        "requery_interval",
        last.pk,
    )
    assert dt.datetime.fromisoformat(body["last_query_at"]) == last.created_at
    assert dt.datetime.fromisoformat(body["next_allowed_at"]) == (
        last.created_at + dt.timedelta(days=30)
    )
    assert billed_calls(sandbox) == 1


def test_post_inside_interval_of_another_branch_names_neither_who_nor_when(
    api_client_for: ClientFor,
    attendant: User,
    other_branch_attendant: User,
    branch: Branch,
    other_branch: Branch,
    sandbox: RunningSandbox,
) -> None:
    other = other_branch_attendant
    first = api_client_for(attendant).post(URL, {"document": CLEAN_CPF, "branch": branch.pk})
    last = CreditQuery.objects.get(pk=first.json()["id"])

    response = api_client_for(other).post(URL, {"document": CLEAN_CPF, "branch": other_branch.pk})

    next_allowed_at = last.created_at + dt.timedelta(days=30)
    refused = CreditQuery.objects.get(branch=other_branch)
    assert (response.status_code, response.json()) == (
        409,
        {
            "code": "requery_interval",
            "detail": "Este CPF/CNPJ já foi consultado em outra filial. Uma nova consulta só é "
            f"permitida a partir de {timezone.localtime(next_allowed_at):%d/%m/%Y %H:%M}.",
            "query_id": refused.pk,
            "other_branch": True,
            "next_allowed_at": next_allowed_at.isoformat(),
        },
    )
    assert refused.error_message == response.json()["detail"]
    assert billed_calls(sandbox) == 1


def test_get_list_scoped_filtered_with_totals(
    api_client_for: ClientFor,
    attendant: User,
    administrator: User,
    branch: Branch,
    other_branch: Branch,
    sandbox: RunningSandbox,
) -> None:
    integration_on(branch, sandbox, cost="10.00")
    connect_branch(other_branch, sandbox, cost="20.00")
    admin = api_client_for(administrator)
    admin.post(URL, {"document": CLEAN_CPF, "branch": branch.pk})
    admin.post(URL, {"document": SMALL_RESTRICTION_CPF, "branch": other_branch.pk})
    own = api_client_for(attendant).get(URL).json()
    assert [q["branch"] for q in own["results"]] == [branch.pk]
    assert own["totals"] == {
        "count": 1,
        "performed": 1,
        "refused": 0,
        "cost": "10.00",
        "with_restrictions": 0,
    }
    everything = admin.get(URL, {"result": "with_restrictions"}).json()
    assert [q["document"] for q in everything["results"]] == [SMALL_RESTRICTION_CPF]
    by_document = admin.get(URL, {"document": "529.982.247-25"}).json()
    assert [q["document"] for q in by_document["results"]] == [CLEAN_CPF]


def test_get_detail_of_other_branch_is_404(
    api_client_for: ClientFor,
    attendant: User,
    administrator: User,
    other_branch: Branch,
    sandbox: RunningSandbox,
) -> None:
    integration_on(other_branch, sandbox)
    created = (
        api_client_for(administrator)
        .post(URL, {"document": CLEAN_CPF, "branch": other_branch.pk})
        .json()
    )
    response = api_client_for(attendant).get(f"{URL}{created['id']}/")
    assert response.status_code == 404


def test_report_pdf_downloads_with_subject_and_restrictions(
    api_client_for: ClientFor,
    attendant: User,
    branch: Branch,
    sandbox: RunningSandbox,
    tmp_path: Any,
) -> None:
    integration_on(branch, sandbox)
    client = api_client_for(attendant)
    created = client.post(URL, {"document": SMALL_RESTRICTION_CPF, "branch": branch.pk}).json()
    response = client.get(created["report_url"])
    pdf = response.content
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert pdf.startswith(b"%PDF-")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Relatório de análise de crédito" in text
    assert "123.456.789-09" in text
    assert "NET RAPIDA TELECOM LTDA" in text
    assert "R$ 189,90" in text


def test_report_pdf_of_refused_query_is_403(
    api_client_for: ClientFor, attendant: User, branch: Branch
) -> None:
    response = api_client_for(attendant).post(URL, {"document": CLEAN_CPF, "branch": branch.pk})
    query_id = response.json()["query_id"]
    assert CreditQuery.objects.get(pk=query_id).status == QueryStatus.REFUSED
    download = api_client_for(attendant).get(f"{URL}{query_id}/report.pdf")
    assert download.status_code == 403


def test_provider_report_missing_is_404(
    api_client_for: ClientFor, attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    integration_on(branch, sandbox)
    created = (
        api_client_for(attendant).post(URL, {"document": CLEAN_CPF, "branch": branch.pk}).json()
    )
    assert created["provider_report_url"] is None
    response = api_client_for(attendant).get(f"{URL}{created['id']}/provider-report")
    assert response.status_code == 404


def settle_url(query: CreditQuery) -> str:
    return f"{URL}{query.pk}/settle-billing/"


def test_settle_billing_as_billed_answers_the_settled_query(
    api_client_for: ClientFor, financial: User, uncertain_query: CreditQuery
) -> None:
    query = uncertain_query

    response = api_client_for(financial).post(settle_url(query), {"billed": "yes"}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["billed"], body["cost"], body["status"]) == (
        query.pk,
        "yes",
        "12.50",
        "failed",
    )


def test_settle_billing_twice_answers_409_and_a_bad_value_400(
    api_client_for: ClientFor, financial: User, uncertain_query: CreditQuery
) -> None:
    query = uncertain_query
    client = api_client_for(financial)

    bad = client.post(settle_url(query), {"billed": "unknown"}, format="json")
    first = client.post(settle_url(query), {"billed": "no"}, format="json")
    second = client.post(settle_url(query), {"billed": "yes"}, format="json")

    assert bad.status_code == 400
    assert bad.json()["billed"] == ['"unknown" não é uma escolha válida.']
    assert (first.status_code, first.json()["cost"]) == (200, "0.00")
    assert (second.status_code, second.json()) == (
        409,
        {
            "code": "billing_not_uncertain",
            "detail": "A cobrança desta consulta já está definida: Não.",
        },
    )
    assert CreditQuery.objects.get(pk=query.pk).billed == "no"


def test_post_with_platform_queries_through_that_integration(
    api_client_for: ClientFor, attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    integration_on(branch, sandbox, "soawebservice", cost="7.00")
    connect_branch(branch, sandbox, "spcbrasil", cost="12.50")
    client = api_client_for(attendant)

    chosen = client.post(
        URL, {"document": CLEAN_CPF, "branch": branch.pk, "platform": "soawebservice"}
    )
    missing = client.post(
        URL, {"document": SMALL_RESTRICTION_CPF, "branch": branch.pk, "platform": "connectsa"}
    )
    unknown = client.post(URL, {"document": CLEAN_CPF, "branch": branch.pk, "platform": "xyz"})

    assert chosen.status_code == 201, chosen.content
    assert (chosen.json()["platform"], chosen.json()["cost"]) == ("soawebservice", "7.00")
    assert (missing.status_code, missing.json()["code"]) == (409, "branch_without_integration")
    assert unknown.status_code == 400
    assert unknown.json()["codes"] == {"platform": ["invalid_choice"]}
    assert billed_calls(sandbox, document=SMALL_RESTRICTION_CPF) == 0


def test_query_answers_its_identity_divergences(
    api_client_for: ClientFor, attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    enable_credit_analysis()
    connect_branch(branch, sandbox, "connectsa")
    customer = identity_divergent_customer(branch)
    client = api_client_for(attendant)

    body = client.post(URL, {"customer": customer.pk, "branch": branch.pk}).json()

    assert body["identity_divergences"] == [
        {
            "field": "name",
            "label": "Nome",
            "ours": "Roberta Carla de Oliveira",
            "bureau": "ROBERTO CARLOS DE OLIVEIRA",
            "message": "Nome: no cadastro “Roberta Carla de Oliveira”, "
            "na plataforma “ROBERTO CARLOS DE OLIVEIRA”",
        },
        {
            "field": "birth_date",
            "label": "Data de nascimento",
            "ours": "1979-02-06",
            "bureau": "1979-06-02",
            "message": "Data de nascimento: no cadastro “06/02/1979”, na plataforma “02/06/1979”",
        },
    ]
    assert (
        client.get(f"{URL}{body['id']}/").json()["identity_divergences"]
        == (body["identity_divergences"])
    )
    bare = client.post(URL, {"document": CLEAN_CPF, "branch": branch.pk}).json()
    assert bare["identity_divergences"] == []


def test_list_reads_identity_divergences_without_a_query_per_row(
    api_client_for: ClientFor, attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    enable_credit_analysis()
    connect_branch(branch, sandbox, "connectsa")
    client = api_client_for(attendant)
    for document in (CLEAN_CPF, SMALL_RESTRICTION_CPF):
        customer = CustomerFactory.create(branch=branch, document=document)
        client.post(URL, {"customer": customer.pk, "branch": branch.pk})
        if document == CLEAN_CPF:
            one_row = list_query_count(client, URL, expected_rows=1)

    assert list_query_count(client, URL, expected_rows=2) == one_row


def test_schema_documents_identity_divergences(api_client_for: ClientFor, attendant: User) -> None:
    schema = api_client_for(attendant).get("/api/v1/schema/", {"format": "json"}).json()

    schemas = schema["components"]["schemas"]
    field = schemas["CreditQuery"]["properties"]["identity_divergences"]
    assert field["type"] == "array"
    assert field["items"] == {"$ref": "#/components/schemas/IdentityDivergence"}
    assert sorted(schemas["IdentityDivergence"]["properties"]) == [
        "bureau",
        "field",
        "label",
        "message",
        "ours",
    ]
