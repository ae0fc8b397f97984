"""API of consents to electronic notice and of notices."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.test import APIClient

from tests.negativation.conftest import MakeInvoice
from tests.notice_setup import letter_posted

pytestmark = pytest.mark.django_db


def test_consent_recorded_listed_and_revoked(
    api_client_for: Callable[[User], APIClient], attendant: User, make_overdue_invoice: MakeInvoice
) -> None:
    customer = make_overdue_invoice(noticed=False).contract.customer
    client = api_client_for(attendant)
    today = timezone.localdate().isoformat()

    created = client.post(
        "/api/v1/notice-consents/",
        {"customer": customer.pk, "channel": "sms", "given_on": today, "source": "Portal"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["channel"], body["given_on"], body["recorded_by"], body["revoked_on"]) == (
        "sms",
        today,
        attendant.username,
        None,
    )
    listed = client.get(f"/api/v1/notice-consents/?customer={customer.pk}").json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]
    revoked = client.post(
        f"/api/v1/notice-consents/{body['id']}/revoke/", {"revoked_on": today}, format="json"
    )
    assert revoked.json()["revoked_on"] == today
    again = client.post(
        f"/api/v1/notice-consents/{body['id']}/revoke/", {"revoked_on": today}, format="json"
    )
    assert (again.status_code, again.json()["code"]) == (400, "consent_revoked")


def test_consent_bad_input_answers_field_errors(
    api_client_for: Callable[[User], APIClient], attendant: User, make_overdue_invoice: MakeInvoice
) -> None:
    customer = make_overdue_invoice(noticed=False).contract.customer

    response = api_client_for(attendant).post(
        "/api/v1/notice-consents/",
        {"customer": customer.pk, "channel": "letter", "given_on": "2099-01-01", "source": ""},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()) >= {"channel", "source"}
    future = api_client_for(attendant).post(
        "/api/v1/notice-consents/",
        {"customer": customer.pk, "channel": "email", "given_on": "2099-01-01", "source": "x"},
        format="json",
    )
    assert (future.status_code, future.json()["code"]) == (400, "future_date")


def test_notices_list_their_events(
    api_client_for: Callable[[User], APIClient], financial: User, make_overdue_invoice: MakeInvoice
) -> None:
    invoice = make_overdue_invoice(noticed=False)
    letter = letter_posted(invoice)

    body = api_client_for(financial).get(f"/api/v1/notices/?invoice={invoice.pk}").json()

    (row,) = body["results"]
    assert (row["id"], row["channel"], row["status"]) == (letter.pk, "letter", "posted")
    assert [event["kind"] for event in row["events"]] == ["posted"]


def test_plan_ending_before_it_starts_answers_its_code(
    api_client_for: Callable[[User], APIClient], financial: User, make_overdue_invoice: MakeInvoice
) -> None:
    invoice = make_overdue_invoice(noticed=False)

    response = api_client_for(financial).post(
        "/api/v1/repayment-plans/",
        {
            "customer": invoice.contract.customer_id,
            "kind": "court",
            "reference": "0001",
            "starts_on": "2026-12-01",
            "ends_on": "2026-11-30",
            "removal_on": "2026-12-01",
            "invoices": [invoice.pk],
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "plan_ends_before_start",
        "detail": "O término do plano não pode ser antes do início.",
    }
