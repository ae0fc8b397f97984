"""The bugs the fuzzers of this folder found, pinned as plain examples.

The fuzzers draw new cases on every run; these cases run every time, so a fix cannot quietly
regress while the fuzzers look elsewhere.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from creditcheck.core.models import Branch
from providers.base import Billed, CreditReport, ProviderProtocolError
from providers.connectsa import parse as connectsa
from providers.connectsa import values as connectsa_values
from providers.creditonamedida import parse as creditonamedida
from providers.sandbox.server import RunningSandbox
from providers.soawebservice import parse as soawebservice
from tests.credit_setup import connect_branch, sandbox_credentials
from tests.factories import BranchFactory, InvoiceFactory
from tests.fuzz.test_provider_parsers import (
    read_creditonamedida,
    read_soawebservice,
    read_spcbrasil,
)

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], APIClient]
HUGE_ID = "99999999999999999999999"  # beyond SQLite's 64-bit integers


# --------------------------------------------------------------------------------------------
# API (schemathesis)


def test_branch_with_a_cnpj_already_used_is_a_400_not_a_database_error(
    api_client_for: ClientFor, administrator: User, branch: Branch
) -> None:
    body = {"name": "Filial Nova", "cnpj": branch.cnpj, "state": "SP", "city": "Santos"}

    response = api_client_for(administrator).post("/api/v1/branches/", body, format="json")

    assert response.status_code == 400
    assert response.json()["codes"] == {"cnpj": ["unique"]}


@pytest.mark.parametrize("filter_", ["branch", "customer"])
def test_invoice_filters_by_id_refuse_an_id_beyond_the_database_integers(
    api_client_for: ClientFor, administrator: User, filter_: str
) -> None:
    response = api_client_for(administrator).get("/api/v1/invoices/", {filter_: HUGE_ID})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_invoice_filter_by_customer_still_filters(
    api_client_for: ClientFor, administrator: User
) -> None:
    invoice, _other = InvoiceFactory.create(), InvoiceFactory.create()
    customer = invoice.contract.customer_id

    response = api_client_for(administrator).get("/api/v1/invoices/", {"customer": customer})

    assert [row["id"] for row in response.json()["results"]] == [invoice.pk]


@pytest.mark.parametrize("params", [{"branch": HUGE_ID}, {"user": HUGE_ID}, {"branch": "\u00b2"}])
def test_credit_query_list_refuses_ids_that_are_no_database_integer(
    api_client_for: ClientFor, administrator: User, params: dict[str, str]
) -> None:
    # "²" is a digit to str.isdigit() but not to int(); both crashed the list before.
    response = api_client_for(administrator).get("/api/v1/credit-queries/", params)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


@pytest.mark.parametrize(
    "path", ["/api/v1/branches/1.5/", "/api/v1/credit-queries/-1/", "/api/v1/nada/"]
)
def test_unknown_api_url_answers_the_api_error_body(
    api_client_for: ClientFor, administrator: User, path: str
) -> None:
    response = api_client_for(administrator).get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Não encontrado.", "code": "not_found"}


@pytest.mark.parametrize("download", ["report.pdf", "provider-report"])
def test_pdf_download_asked_for_as_pdf_is_not_refused_before_the_view(
    api_client_for: ClientFor, administrator: User, download: str
) -> None:
    response = api_client_for(administrator).get(
        f"/api/v1/credit-queries/{HUGE_ID[:9]}/{download}", HTTP_ACCEPT="application/pdf"
    )

    assert response.status_code == 404  # was 406: DRF had no renderer for application/pdf
    assert response.json()["code"] == "not_found"


def test_unknown_screen_url_keeps_the_html_page(client: Any) -> None:
    response = client.get("/nada/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_product_sync_refused_by_the_platform_is_a_409_not_a_server_error(
    api_client_for: ClientFor, administrator: User, sandbox: RunningSandbox
) -> None:
    branch = BranchFactory.create()
    integration = connect_branch(branch, sandbox, "spcbrasil")
    client = api_client_for(administrator)
    wrong = {name: "errado" for name in sandbox_credentials("spcbrasil")}
    url = f"/api/v1/branch-integrations/{integration.pk}/"
    client.patch(url, {"credentials": wrong}, format="json")

    response = client.post(f"{url}sync-products/")

    assert response.status_code == 409
    assert response.json()["code"] == "provider_error"


# --------------------------------------------------------------------------------------------
# Provider parsers (hypothesis)

HUGE_AMOUNT = b"1e999999999"  # Decimal reads it; adding it to anything raised decimal.Overflow


def _reports(results: list[Any]) -> list[CreditReport]:
    return [result for result in results if isinstance(result, CreditReport)]


def test_soawebservice_ignores_an_amount_beyond_any_debt() -> None:
    content = (
        b'{"transacao": {"status": true}, "dadosNegativos": {"protestos": {"resumo": '
        b'{"totalOcorrencias": 1, "valorTotal": ' + HUGE_AMOUNT + b"}}}}"
    )

    [report] = _reports(read_soawebservice(content))

    assert [(t.count, t.amount) for t in report.totals] == [(1, 0)]


def test_spcbrasil_refuses_an_amount_beyond_any_debt() -> None:
    content = (
        b'<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>'
        b'<resultado><protesto><resumo quantidade-total="1" valor-total="'
        + HUGE_AMOUNT
        + b'"/></protesto></resultado></S:Body></S:Envelope>'
    )

    assert _reports(read_spcbrasil(content)) == []


def test_creditonamedida_refuses_an_amount_beyond_any_debt() -> None:
    content = b'{"protocolo": "P1", "restricoes": [{"tipo": "PEFIN", "valor": "%s"}]}' % (
        HUGE_AMOUNT
    )

    assert _reports(read_creditonamedida(content)) == []


def test_connectsa_refuses_a_count_longer_than_int_reads() -> None:
    with pytest.raises(ProviderProtocolError):
        connectsa_values.optional_count("1" * 5000)  # int() refuses more than 4300 digits


@pytest.mark.parametrize(
    "read",
    [
        lambda content: soawebservice.decode(content),
        lambda content: connectsa.load(content, billed=Billed.NO),
        lambda content: creditonamedida.snake_keys(json.loads(content)),
    ],
    ids=["soawebservice", "connectsa", "creditonamedida"],
)
@pytest.mark.parametrize(
    "content",
    [
        b'{"nome": "A\\ud800B"}',  # an unpaired surrogate: no database stores it
        b'{"a": ' + b"[" * 900 + b"]" * 900 + b"}",  # deeper than the parsers recurse
    ],
    ids=["surrogate", "nesting"],
)
def test_json_answers_no_parser_can_walk_or_store_are_protocol_errors(
    read: Callable[[bytes], Any], content: bytes
) -> None:
    with pytest.raises(ProviderProtocolError):
        read(content)


def test_creditonamedida_error_body_nested_beyond_json_loads_is_unreadable() -> None:
    error = creditonamedida.error_for_response(422, b"[" * 100_000)

    assert isinstance(error, ProviderProtocolError)
