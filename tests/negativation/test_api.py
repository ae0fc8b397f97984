"""POST/GET /api/v1/negativations/, removal, and POST /api/v1/invoices/{id}/pay/."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.test import APIClient

from creditcheck.core.models import Branch
from creditcheck.negativation.enums import NegativationStatus as S
from creditcheck.negativation.models import Negativation
from providers.sandbox.server import RunningSandbox
from tests.conftest import Connect
from tests.credit_setup import connect_branch, enable_credit_analysis, integration_on
from tests.negativation.conftest import MakeInvoice
from tests.sandbox_client import inject_fault

URL = "/api/v1/negativations/"
ClientFor = Callable[[User], APIClient]
pytestmark = pytest.mark.django_db(transaction=True)


def test_post_ineligible_invoice_answers_400_with_reasons(
    api_client_for: ClientFor,
    financial: User,
    branch: Branch,
    sandbox: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    integration_on(branch, sandbox)
    invoice = make_overdue_invoice(days_overdue=3)
    response = api_client_for(financial).post(URL, {"invoice": invoice.pk}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "code": "not_eligible",
        "detail": "A fatura não pode ser negativada.",
        "reasons": [
            {
                "code": "not_overdue_enough",
                "message": "Vencida há 3 dia(s); a regra da filial exige 30.",
            }
        ],
    }
    assert Negativation.objects.count() == 0


def test_post_then_pay_removes_with_deadline(
    api_client_for: ClientFor,
    financial: User,
    branch: Branch,
    sandbox: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    integration_on(branch, sandbox, "soawebservice")
    invoice = make_overdue_invoice()
    client = api_client_for(financial)
    created = client.post(URL, {"invoice": invoice.pk}, format="json")
    assert created.status_code == 201
    body = created.json()
    assert (body["status"], body["platform"], body["amount"]) == (
        "awaiting_notice",
        "soawebservice",
        "129.90",
    )
    assert [e["to_status"] for e in body["events"]] == ["requested", "sent", "awaiting_notice"]

    paid_on = timezone.localdate()
    paid = client.post(
        f"/api/v1/invoices/{invoice.pk}/pay/",
        {"paid_at": paid_on.isoformat(), "amount": "129.90"},
        format="json",
    )
    assert (paid.status_code, paid.json()["status"]) == (200, "paid")
    detail = client.get(f"{URL}{body['id']}/").json()
    assert (detail["status"], detail["removal_reason"]) == ("removed", "paid")
    assert dt.date.fromisoformat(detail["removal_deadline"]) > paid_on


def test_pay_twice_is_400(
    api_client_for: ClientFor, financial: User, make_overdue_invoice: MakeInvoice
) -> None:
    invoice = make_overdue_invoice()
    client = api_client_for(financial)
    body = {"paid_at": timezone.localdate().isoformat(), "amount": "129.90"}
    assert (
        client.post(f"/api/v1/invoices/{invoice.pk}/pay/", body, format="json").status_code == 200
    )
    again = client.post(f"/api/v1/invoices/{invoice.pk}/pay/", body, format="json")
    assert again.status_code == 400
    assert again.json()["codes"] == {"status": ["not_open"]}


def test_manual_remove_with_reason(
    api_client_for: ClientFor,
    financial: User,
    branch: Branch,
    sandbox: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    integration_on(branch, sandbox, "spcbrasil")
    client = api_client_for(financial)
    created = client.post(URL, {"invoice": make_overdue_invoice().pk}, format="json").json()
    removed = client.post(f"{URL}{created['id']}/remove/", {"reason": "error"}, format="json")
    assert removed.status_code == 200
    assert (removed.json()["status"], removed.json()["removal_reason"]) == ("removed", "error")
    again = client.post(f"{URL}{created['id']}/remove/", {"reason": "error"}, format="json")
    assert (again.status_code, again.json()) == (
        409,
        {"code": "invalid_transition", "detail": "Negativação baixada: nada a baixar."},
    )


def test_attendant_may_read_but_not_negativate(
    api_client_for: ClientFor,
    attendant: User,
    branch: Branch,
    sandbox: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    integration_on(branch, sandbox)
    client = api_client_for(attendant)
    response = client.post(URL, {"invoice": make_overdue_invoice().pk}, format="json")
    assert response.status_code == 403
    assert client.get(URL).status_code == 200


def test_other_branch_invoice_is_400_and_list_is_scoped(
    api_client_for: ClientFor,
    financial: User,
    administrator: User,
    other_branch: Branch,
    sandbox: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    integration_on(other_branch, sandbox)
    invoice = make_overdue_invoice(branch_=other_branch)
    response = api_client_for(financial).post(URL, {"invoice": invoice.pk}, format="json")
    assert (response.status_code, response.json()["codes"]) == (
        400,
        {"invoice": ["does_not_exist"]},
    )
    created = api_client_for(administrator).post(URL, {"invoice": invoice.pk}, format="json")
    assert created.status_code == 201
    assert api_client_for(financial).get(URL).json()["results"] == []
    assert api_client_for(financial).get(f"{URL}{created.json()['id']}/").status_code == 404
    assert Negativation.objects.get().status == S.AWAITING_NOTICE


def test_remove_of_failed_inclusion_withdraws_it(
    api_client_for: ClientFor,
    financial: User,
    connect: Connect,
    sandbox: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    connect("soawebservice")
    inject_fault(sandbox, "soawebservice", "auth", count=1)
    client = api_client_for(financial)
    created = client.post(URL, {"invoice": make_overdue_invoice().pk}, format="json").json()
    assert created["status"] == "failed"

    removed = client.post(f"{URL}{created['id']}/remove/", {"reason": "manual"}, format="json")

    assert removed.status_code == 200
    body = removed.json()
    assert (body["status"], body["removal_reason"], body["removal_deadline"]) == (
        "rejected",
        "manual",
        None,
    )
    assert [e["to_status"] for e in body["events"]] == ["requested", "failed", "rejected"]


def test_post_with_reason_nature_platform_and_amount(
    api_client_for: ClientFor,
    financial: User,
    branch: Branch,
    sandbox: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    enable_credit_analysis()
    spc = connect_branch(branch, sandbox, "spcbrasil")
    connect_branch(branch, sandbox, "soawebservice")
    invoice = make_overdue_invoice(amount="129.90")
    body = {
        "invoice": invoice.pk,
        "reason": "agreement_broken",
        "reason_code": "2",
        "integration": spc.pk,
        "amount": "80.00",
    }

    created = api_client_for(financial).post(URL, body, format="json")

    assert created.status_code == 201, created.json()
    answer = created.json()
    assert (answer["reason"], answer["reason_code"], answer["platform"], answer["amount"]) == (
        "agreement_broken",
        "2",
        "spcbrasil",
        "80.00",
    )


def test_post_with_an_amount_above_the_open_amount_answers_400_invalid_request(
    api_client_for: ClientFor,
    financial: User,
    connect: Connect,
    make_overdue_invoice: MakeInvoice,
) -> None:
    connect("spcbrasil")
    invoice = make_overdue_invoice(amount="129.90")

    response = api_client_for(financial).post(
        URL, {"invoice": invoice.pk, "amount": "500.00"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_request",
        "detail": "Revise os dados da negativação.",
        "errors": {
            "amount": [
                {
                    "code": "amount_above_open",
                    "message": "O valor não pode passar do valor em aberto da fatura (R$ 129,90).",
                }
            ]
        },
    }
    assert Negativation.objects.count() == 0
