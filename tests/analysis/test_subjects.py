"""The subject reaches the platform whole: birth date, UF and CEP of the customer, lead or
prospect that was consulted, in the request the platform receives over real HTTP."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import pytest
from django.contrib.auth.models import User
from lxml import etree
from rest_framework.test import APIClient

from creditcheck.analysis.enums import SubjectType
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.subjects import Subject, subject_of
from creditcheck.core.enums import State
from creditcheck.core.models import Branch
from creditcheck.crm.models import Lead, Prospect
from providers.connectsa import wire
from providers.sandbox.scenarios import CLEAN_CPF
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import integration_on
from tests.factories import CustomerFactory, LeadFactory, ProspectFactory

pytestmark = pytest.mark.django_db


def consult_sent_to_connectsa(sandbox: RunningSandbox) -> dict[str, str]:
    """The form of the last consult ConnectSA's sandbox received."""
    request = sandbox.state.last_requests["connectsa"]
    assert request.path == wire.CONSULT_PATH  # type: ignore[attr-defined]
    form = parse_qs(request.body.decode(), keep_blank_values=True)  # type: ignore[attr-defined]
    return {key: values[0] for key, values in form.items()}


def test_subject_of_query_reads_the_prospect_uf_and_cep(attendant: User, branch: Branch) -> None:
    prospect = ProspectFactory.create(branch=branch, state=State.MG, cep="30130010")
    query = CreditQuery(subject_type=SubjectType.PROSPECT, prospect=prospect, document=CLEAN_CPF)

    assert subject_of(query) == Subject(
        SubjectType.PROSPECT,
        prospect.document,
        prospect.name,
        prospect=prospect,
        state="MG",
        cep="30130010",
    )


def test_subject_of_query_reads_the_customer_birth_date(attendant: User, branch: Branch) -> None:
    customer = CustomerFactory.create(branch=branch, state=State.RS, cep="90010000")
    query = CreditQuery(subject_type=SubjectType.CUSTOMER, customer=customer, document=CLEAN_CPF)

    subject = subject_of(query)

    assert (subject.birth_date, subject.state, subject.cep) == (
        dt.date(1985, 4, 12),
        "RS",
        "90010000",
    )


def test_subject_of_query_without_a_record_is_the_document_alone() -> None:
    query = CreditQuery(subject_type=SubjectType.DOCUMENT, document=CLEAN_CPF)

    assert subject_of(query) == Subject(SubjectType.DOCUMENT, CLEAN_CPF)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("kind", "expected"),
    [("prospect", ("MG", "30130010")), ("lead", ("", ""))],  # a lead has no address
)
def test_query_sends_the_records_uf_and_cep_to_the_platform(
    kind: str,
    expected: tuple[str, str],
    api_client_for: Callable[[User], APIClient],
    sandbox: RunningSandbox,
    attendant: User,
    branch: Branch,
) -> None:
    integration_on(branch, sandbox, "connectsa")
    if kind == "prospect":
        record: Prospect | Lead = ProspectFactory.create(
            branch=branch, document=CLEAN_CPF, state=State.MG, cep="30130010"
        )
    else:
        record = LeadFactory.create(branch=branch, document=CLEAN_CPF)

    response = api_client_for(attendant).post(
        "/api/v1/credit-queries/", {kind: record.pk, "branch": branch.pk}, format="json"
    )

    assert (response.status_code, response.json()["status"]) == (201, "succeeded")
    sent = consult_sent_to_connectsa(sandbox)
    assert (sent["documento"], sent["uf"], sent["cep"]) == (CLEAN_CPF, *expected)


def _consult_sent(sandbox: RunningSandbox, platform: str) -> Any:
    """The last request `platform`'s sandbox received (the consult: the clean CPF needs one)."""
    return sandbox.state.last_requests[platform]


def _spc_filter(sandbox: RunningSandbox) -> dict[str, str]:
    """The children of `<filtro>` in the `consultar` envelope SPC Brasil's sandbox received."""
    envelope = etree.fromstring(_consult_sent(sandbox, "spcbrasil").body)
    (filtro,) = envelope.iter("filtro")
    return {child.tag: child.text or "" for child in filtro}


# What of the subject each platform's consult carries (/work/shared/docs/PROVIDERS.md): SPC
# Brasil `cep-consumidor`; SOAWebService v2 `uf`; ConnectSA `uf` and `cep`. No consult request
# has a birth-date field, and Crédito na Medida's (assumed) body has none of the three.
SENT: dict[str, Callable[[RunningSandbox], dict[str, object]]] = {
    "spcbrasil": lambda sandbox: {"cep": _spc_filter(sandbox).get("cep-consumidor")},
    "soawebservice": lambda sandbox: {"uf": _consult_sent(sandbox, "soawebservice").json()["uf"]},
    "connectsa": lambda sandbox: {
        key: _consult_sent(sandbox, "connectsa").form()[key] for key in ("uf", "cep")
    },
    "creditonamedida": lambda sandbox: {
        "keys": sorted(_consult_sent(sandbox, "creditonamedida").json())
    },
}
WITH_ADDRESS = {
    "spcbrasil": {"cep": "30130010"},
    "soawebservice": {"uf": "MG"},
    "connectsa": {"uf": "MG", "cep": "30130010"},
    "creditonamedida": {"keys": ["documento", "produto", "tipo_pessoa"]},
}
WITHOUT_ADDRESS = {  # a lead has no address
    "spcbrasil": {"cep": None},
    "soawebservice": {"uf": None},
    "connectsa": {"uf": "", "cep": ""},
    "creditonamedida": {"keys": ["documento", "produto", "tipo_pessoa"]},
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("platform", sorted(SENT))
@pytest.mark.parametrize("kind", ["customer", "lead", "prospect"])
def test_consult_puts_the_consulted_records_uf_and_cep_on_the_wire(
    kind: str,
    platform: str,
    api_client_for: Callable[[User], APIClient],
    sandbox: RunningSandbox,
    attendant: User,
    branch: Branch,
) -> None:
    integration_on(branch, sandbox, platform)
    address = {"state": State.MG, "cep": "30130010"}
    factory: dict[str, Any] = {
        "customer": CustomerFactory,
        "lead": LeadFactory,
        "prospect": ProspectFactory,
    }
    record = factory[kind].create(
        branch=branch, document=CLEAN_CPF, **(address if kind != "lead" else {})
    )

    response = api_client_for(attendant).post(
        "/api/v1/credit-queries/", {kind: record.pk, "branch": branch.pk}, format="json"
    )

    assert (response.status_code, response.json()["status"]) == (201, "succeeded")
    expected = WITHOUT_ADDRESS if kind == "lead" else WITH_ADDRESS
    assert SENT[platform](sandbox) == expected[platform]
