"""The subject reaches the platform whole: birth date, UF and CEP of the customer, lead or
prospect that was consulted, in the request the platform receives over real HTTP."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from urllib.parse import parse_qs

import pytest
from django.contrib.auth.models import User
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
