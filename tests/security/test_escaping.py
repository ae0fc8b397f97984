"""HTML, script, template syntax and spreadsheet formulas in names, addresses and platform payloads
stay inert: text on every screen, text in our PDFs, plain cells in the CSV exports.

Every screen the URL resolver lists is opened on a world whose every string is hostile (the
operator's name, the branch, customer, lead and prospect fields, and the platform's report).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client
from django.urls import reverse

from creditcheck.analysis.enums import QueryStatus
from creditcheck.analysis.services import credit_query_request
from creditcheck.analysis.subjects import subject_from_customer
from creditcheck.core.csv_export import FORMULA_STARTS
from creditcheck.core.enums import Role
from providers.registry import all_keys
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import integration_on
from tests.factories import BranchFactory, CustomerFactory, UserFactory
from tests.security.conftest import (
    ALL_TAGS,
    BRANCH_TAG,
    CUSTOMER_TAGS,
    HOSTILE_DOCUMENT,
    LEAD_TAG,
    PAYMENT_TAGS,
    PLAN_TAG,
    PLATFORM_TAGS,
    POLICY_TAG,
    PROSPECT_TAGS,
    USER_TAG,
    Route,
    World,
    assert_inert,
    hostile,
    pdf_active_entries,
    register_hostile_scenario,
    response_body,
    shown_escaped,
    shown_in_pdf,
    ui_routes,
)

if TYPE_CHECKING:  # the test client's response type exists only in django-stubs
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

CUSTOMER, PLATFORM = list(CUSTOMER_TAGS.values()), list(PLATFORM_TAGS.values())
ADDRESS = [CUSTOMER_TAGS[name] for name in ("street", "complement", "district", "city")]

# What each screen, PDF and export must show of the hostile values (so the checks below see
# them): lists, edit screens, the query result, reports, the audit trail.
SHOWN: dict[str, list[str]] = {
    "customers:list": [CUSTOMER_TAGS["name"], CUSTOMER_TAGS["city"], BRANCH_TAG, USER_TAG],
    "customers:edit": CUSTOMER,
    "negativation:include": [CUSTOMER_TAGS["name"], *ADDRESS],
    "contracts:list": [CUSTOMER_TAGS["name"], PLAN_TAG],
    "finance:invoice_list": [CUSTOMER_TAGS["name"]],
    "negativation:list": [CUSTOMER_TAGS["name"], BRANCH_TAG],
    "crm:lead_list": [LEAD_TAG],
    "crm:lead_edit": [LEAD_TAG],
    "crm:prospect_list": [PROSPECT_TAGS["name"]],
    "crm:prospect_edit": list(PROSPECT_TAGS.values()),
    "settings:branch_list": [BRANCH_TAG],
    "analysis:detail": [CUSTOMER_TAGS["name"], *PLATFORM, POLICY_TAG],
    "analysis:report": [CUSTOMER_TAGS["name"], BRANCH_TAG],
    "analysis:report_pdf": [*PLATFORM, BRANCH_TAG, USER_TAG, POLICY_TAG],
    "decisions:edit": [POLICY_TAG],
    "reviews:detail": [POLICY_TAG],
    "reviews:request": [POLICY_TAG],
    "reviews:list": [BRANCH_TAG],
    "analysis:report_csv": [CUSTOMER_TAGS["name"], BRANCH_TAG, USER_TAG],
    "costs:csv": [BRANCH_TAG, USER_TAG],
    "compliance:audit_list": [BRANCH_TAG],
    "compliance:audit_csv": [BRANCH_TAG],
    "erp:payment_event_list": list(PAYMENT_TAGS.values())[:1],
    "erp:payment_event_detail": list(PAYMENT_TAGS.values()),
    "erp:ixc_filiais": [PLAN_TAG, BRANCH_TAG],
    "erp:ixc_runs": [PLAN_TAG],
    "integrations:settings": [PLAN_TAG, BRANCH_TAG],
}


def _formula_like(cell: str) -> bool:
    return cell.startswith(FORMULA_STARTS) and not cell.lstrip("-").replace(",", "").isdigit()


def _shown(response: Response) -> list[str]:
    """The hostile values the response shows, after checking each one is inert there."""
    body = response_body(response)
    media_type = response["Content-Type"].split(";")[0]
    if media_type == "application/pdf":
        assert pdf_active_entries(body) == []
        return [tag for tag in ALL_TAGS if shown_in_pdf(body, tag)]
    if media_type == "text/csv":
        cells = [
            cell
            for row in csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";")
            for cell in row
        ]
        assert [cell for cell in cells if _formula_like(cell)] == []
        # A defused cell keeps the value after an apostrophe (a full name adds the last name).
        return [tag for tag in ALL_TAGS if any(c.startswith("'" + hostile(tag)) for c in cells)]
    if media_type == "text/event-stream":  # only states and fixed words, never record text
        assert [tag for tag in ALL_TAGS if hostile(tag) in body.decode()] == []
        return []
    assert media_type == "text/html"
    html = body.decode()
    assert_inert(html, ALL_TAGS)
    return [tag for tag in ALL_TAGS if shown_escaped(html, tag)]


@pytest.mark.parametrize("route", ui_routes(), ids=str)
def test_hostile_text_is_inert_on_every_screen(route: Route, world: World) -> None:
    response = world.client().get(world.url(route))

    # POST-only actions answer 405; the sign-in page sends a signed-in user home; the polling
    # of a finished query answers 204 (nothing to swap in).
    assert response.status_code in (200, 204, 302, 405), route
    shown = _shown(response)
    assert [tag for tag in SHOWN.get(route.name, []) if tag not in shown] == []


def test_every_screen_listed_as_showing_hostile_text_exists() -> None:
    assert set(SHOWN) - {route.name for route in ui_routes()} == set()


def test_lgpd_report_pdf_shows_hostile_names_as_text(world: World) -> None:
    response = world.client().post("/lgpd/", {"document": world.customer.document, "format": "pdf"})

    assert response.status_code == 200
    assert set(_shown(response)) >= {CUSTOMER_TAGS["name"], BRANCH_TAG, USER_TAG}


@pytest.mark.django_db
@pytest.mark.parametrize("platform", sorted(all_keys()))
def test_hostile_platform_payload_is_inert_on_the_result_and_in_the_pdfs(
    platform: str,
    sandbox: RunningSandbox,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    # Given a platform whose report of this CPF carries hostile text in every string
    register_hostile_scenario(sandbox)
    branch = BranchFactory.create()
    integration_on(branch, sandbox, platform)
    user = UserFactory.create(role=Role.ADMINISTRATOR)
    customer = CustomerFactory.create(branch=branch, document=HOSTILE_DOCUMENT)

    # When it is consulted
    with django_capture_on_commit_callbacks(execute=True):
        query = credit_query_request(
            subject=subject_from_customer(customer), branch=branch, user=user
        ).query
    query.refresh_from_db()

    # Then the result screen and our report show that text, inert; so does the platform's
    # own report when it sent one (Crédito na Medida's PDF, ConnectSA's HTML converted by us)
    assert query.status == QueryStatus.SUCCEEDED
    client = Client()
    client.force_login(user)
    urls = [
        reverse("analysis:detail", args=[query.pk]),
        reverse("analysis:report_pdf", args=[query.pk]),
    ]
    for url in urls:
        assert sorted(_shown(client.get(url))) == sorted(PLATFORM)
    if query.provider_file:
        provider_report = client.get(reverse("analysis:provider_report", args=[query.pk]))
        assert {PLATFORM_TAGS["name"], PLATFORM_TAGS["creditor"]} <= set(_shown(provider_report))
