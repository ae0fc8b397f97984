"""SQL-like, wildcard, control and oversized strings in every filter of every list, API and screen.

The user works in one branch holding two rows of each kind; another branch holds a third. Each
hostile value in each filter must never cause a 500, never list more than the honest answer
(none of them matches a row) and never the other branch's row; a value the field's type cannot
hold is a field-level error: 400 with code "invalid" in the API, a Portuguese message on the
screen. The filters are read from the OpenAPI schema and from each screen's filter bar.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote, quote_from_bytes

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse
from lxml import html as lxml_html

from creditcheck.analysis.enums import QueryStatus, SubjectType
from creditcheck.analysis.models import CreditQuery
from creditcheck.core.audit import audit_record
from creditcheck.core.enums import AuditAction, Role
from creditcheck.core.models import Branch
from creditcheck.notices.models import NoticeConsent, RepaymentPlan
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch, integration_on
from tests.factories import (
    BranchFactory,
    ContractFactory,
    CustomerFactory,
    InvoiceFactory,
    LeadFactory,
    ProspectFactory,
    UserFactory,
)
from tests.notice_setup import letter_posted
from tests.security.conftest import (
    ApiOperation,
    Route,
    active_negativation,
    api_operations,
    ui_routes,
)

if TYPE_CHECKING:  # the test client's response type exists only in django-stubs
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db

HOSTILE_VALUES: list[str | bytes] = [
    "' OR 1=1 --",
    '"; DROP TABLE customers_customer; --',
    "%",
    "_",
    "\\",
    "%_\\%'",
    "\x00",
    "Ana\x00' OR '1'='1",
    "x" * 5000,
    "9" * 5000,  # more digits than any integer column (or Python's int parser) takes
    "1e999999999",  # a number no integer column holds, and costly to expand
    "²",  # a digit to str.isdigit(), not to int()
    "Ação 名前 🙂 \u202e\u200b",
    b"\xff\xfe\xed\xa0\x80",  # sent as raw bytes: not UTF-8 at all
]


def _get(client: Client, path: str, name: str, value: str | bytes) -> Response:
    raw = value if isinstance(value, bytes) else value.encode()
    return client.get(f"{path}?{quote(name)}={quote_from_bytes(raw)}")


OWN_NAMES = ("Ana Registro Um", "Bruno Registro Dois")
OTHER_NAME = "Carla Registro Alheia"
OWN_ROWS = len(OWN_NAMES)


def _seed_branch(branch: Branch, names: tuple[str, ...], sandbox: RunningSandbox) -> None:
    """One customer (with contract, overdue invoice, negativação, letter of notice, consent,
    repayment plan and query), lead, prospect and audit entry per name."""
    integration = connect_branch(branch, sandbox, "spcbrasil")
    requester = UserFactory.create()
    for name in names:
        customer = CustomerFactory.create(branch=branch, name=name)
        invoice = InvoiceFactory.create(
            contract=ContractFactory.create(customer=customer),
            due_date=dt.date.today() - dt.timedelta(days=40),
        )
        active_negativation(invoice, integration)
        letter_posted(invoice)
        NoticeConsent.objects.create(
            customer=customer, channel="email", given_on=invoice.due_date, source=name
        )
        RepaymentPlan.objects.create(
            customer=customer,
            kind="court",
            reference=name,
            starts_on=invoice.due_date,
            ends_on=invoice.due_date,
            removal_on=invoice.due_date,
        )
        CreditQuery.objects.create(
            subject_type=SubjectType.CUSTOMER,
            customer=customer,
            subject_name=name,
            document=customer.document,
            branch=branch,
            user=requester,
            platform="spcbrasil",
            status=QueryStatus.SUCCEEDED,
            has_restrictions=False,
            cost=Decimal("12.50"),
        )
        LeadFactory.create(branch=branch, name=name)
        ProspectFactory.create(branch=branch, name=name)
        audit_record(action=AuditAction.SETTINGS_CHANGE, branch=branch, outcome=name)


@pytest.fixture
def branch_user(sandbox: RunningSandbox) -> User:
    """A user of one branch allowed everything there (not an administrator: scoped)."""
    own, other = BranchFactory.create(), BranchFactory.create()
    _seed_branch(own, OWN_NAMES, sandbox)
    _seed_branch(other, (OTHER_NAME,), sandbox)
    user = UserFactory.create(branches=[own])
    user.user_permissions.set(Permission.objects.all())
    return User.objects.get(pk=user.pk)


# --- API ---------------------------------------------------------------------------------------

API_FILTERS = [
    pytest.param(op, id=op.path)
    for op in api_operations()
    if op.method == "GET" and set(op.query_parameters) - {"page"}
]


def test_every_api_list_is_fuzzed() -> None:
    paths = {param.values[0].path for param in API_FILTERS}  # type: ignore[union-attr]
    assert {"/api/v1/customers/", "/api/v1/credit-queries/", "/api/v1/invoices/"} <= paths


@pytest.mark.parametrize("operation", API_FILTERS)
def test_api_filters_survive_hostile_values(operation: ApiOperation, branch_user: User) -> None:
    client = Client()
    client.force_login(branch_user)
    baseline = client.get(operation.path)
    listing = "results" in baseline.json()
    if listing:  # the honest answer without filters
        own = 1 if operation.path == "/api/v1/branches/" else OWN_ROWS
        assert baseline.json()["count"] == own

    for name in set(operation.query_parameters) - {"page"}:
        for value in HOSTILE_VALUES:
            response = _get(client, operation.path, name, value)
            body = response.json()
            outcome = (name, value[:20], response.status_code, body)
            assert response.status_code in (200, 400), outcome
            if response.status_code == 400:
                assert body["code"] == "invalid" and name in body, outcome
            else:  # a value of the field's type matching nothing: nothing listed
                assert listing and body["count"] == 0, outcome


# --- Screens -----------------------------------------------------------------------------------


def _filter_fields(page: str) -> dict[str, str]:
    """The filter bar's fields: name -> input type (or tag)."""
    document = lxml_html.fromstring(page)
    nodes = cast(list[Any], document.xpath('//form[@method="get" and @role="search"]//*[@name]'))
    return {node.get("name"): node.get("type") or node.tag for node in nodes}


def _field_errors(page: str) -> list[str]:
    document = lxml_html.fromstring(page)
    errors = '//form[@role="search"]//div[contains(@class, "text-danger")]'
    nodes = cast(list[Any], document.xpath(errors))
    return [node.text_content().strip() for node in nodes]


def _listed(response: Response) -> list[str]:
    return [own for own in OWN_NAMES if own in response.content.decode()]


PORTUGUESE_ERROR = re.compile(r"válid|Informe |Certifique-se|não são permitidos")
LISTS = [route for route in ui_routes() if not route.arguments]


@pytest.mark.parametrize("route", LISTS, ids=str)
def test_screen_filters_survive_hostile_values(route: Route, branch_user: User) -> None:
    client = Client()
    client.force_login(branch_user)
    url = reverse(route.name)
    page = client.get(url)
    if page.status_code != 200 or "html" not in page["Content-Type"]:
        return  # not a screen (an export, a POST-only action, a redirect)
    fields = _filter_fields(page.content.decode())
    fields.pop("page", None)

    for name, kind in fields.items():
        # A checkbox is on whatever it holds: its honest answer is the list with it checked.
        honest = len(_listed(client.get(url, {name: "on"}))) if kind == "checkbox" else 0
        for value in HOSTILE_VALUES:
            response = _get(client, url, name, value)
            listed = _listed(response)
            outcome = (name, value[:20], response.status_code, listed)
            assert response.status_code == 200, outcome
            assert OTHER_NAME not in response.content.decode(), outcome
            errors = _field_errors(response.content.decode())
            assert [e for e in errors if not PORTUGUESE_ERROR.search(e)] == [], outcome
            # With a field error the list shows every own row (reports: none), as with no
            # filter; a valid value shows the honest answer.
            assert len(listed) in ((0, OWN_ROWS) if errors else (honest,)), outcome


def test_every_screen_filter_bar_is_fuzzed(branch_user: User) -> None:
    client = Client()
    client.force_login(branch_user)
    with_filters = {
        route.name
        for route in LISTS
        if (page := client.get(reverse(route.name))).status_code == 200
        and "html" in page["Content-Type"]
        and _filter_fields(page.content.decode())
    }
    assert {"customers:list", "crm:lead_list", "analysis:report", "compliance:audit_list"} <= (
        with_filters
    )


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("\x00", "Informe o CPF ou o CNPJ."),
        ("' OR 1=1 --", "CPF/CNPJ inválido: informe um CPF com 11 dígitos ou um CNPJ com 14"),
        ("%_\\\x00" * 3, "CPF/CNPJ inválido: informe um CPF com 11 dígitos ou um CNPJ com 14"),
    ],
)
def test_query_screen_refuses_hostile_documents_in_portuguese(
    typed: str, message: str, sandbox: RunningSandbox
) -> None:
    """The bare CPF/CNPJ of the query screen is stored with the refusal: never with a NUL,
    which PostgreSQL cannot store (the screen answered 500 there)."""
    branch = BranchFactory.create()
    integration_on(branch, sandbox, "spcbrasil")
    client = Client()
    client.force_login(UserFactory.create(role=Role.ADMINISTRATOR))

    response = client.post(reverse("analysis:new"), {"document": typed, "branch": branch.pk})

    assert response.status_code == 200
    assert message in response.content.decode()
    refused = CreditQuery.objects.get()
    assert (refused.status, "\x00" in refused.document) == (QueryStatus.REFUSED, False)
