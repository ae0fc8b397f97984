"""Shared pieces of the security tests: hostile text, the UI routes as the URL resolver lists them,
a world of rows carrying hostile text on every screen, PDF inspection and a loopback HTTP server.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pypdf
import pytest
import requests
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone
from django.utils.html import escape
from drf_spectacular.generators import SchemaGenerator

from creditcheck import ui_urls
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.services import credit_query_request
from creditcheck.analysis.subjects import subject_from_customer
from creditcheck.contracts.models import Contract, Invoice
from creditcheck.core.enums import Role
from creditcheck.core.models import AuditEntry, Branch
from creditcheck.crm.models import Lead, Prospect
from creditcheck.customers.models import Customer
from creditcheck.decisions.models import CreditDecision, CreditPolicy, CreditReview
from creditcheck.decisions.services import PolicyInput, credit_policy_save
from creditcheck.erp.enums import EventKind, EventStatus, SourceKind
from creditcheck.erp.imports import import_create
from creditcheck.erp.models import (
    ImportJob,
    ImportMode,
    IxcConnection,
    PaymentEvent,
    PaymentSource,
    SyncRun,
)
from creditcheck.integrations.models import BranchIntegration
from creditcheck.negativation.enums import NegativationStatus
from creditcheck.negativation.models import Negativation
from creditcheck.notices.models import DunningStep, Notice, NoticeConsent, RepaymentPlan
from creditcheck.notices.services import creditor_profile_save, notice_record_letter
from providers.sandbox.scenarios import UNLISTED_CPF
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch, enable_credit_analysis
from tests.factories import (
    BranchFactory,
    ContractFactory,
    CustomerFactory,
    InvoiceFactory,
    LeadFactory,
    ProspectFactory,
    UserFactory,
)
from tests.sse_client import stream_body

# --- Hostile text ----------------------------------------------------------------------------

# A spreadsheet formula, a script, an attribute break-out with an event handler and template
# syntax in one value; `tag` tells the fields apart. Under 100 characters: it fits every field.
FORMULA = "=cmd|' /C calc'!A0"


def hostile(tag: str) -> str:
    script = f"<script>alert('{tag}')</script>"
    return f"{FORMULA}{script}\"><img src=x onerror=alert('{tag}')>{{{{ 7*7 }}}}"


def raw_markup(tag: str) -> list[str]:
    """What must never reach a page unescaped: it would run."""
    return [f"<script>alert('{tag}')</script>", f"<img src=x onerror=alert('{tag}')>"]


def shown_escaped(html: str, tag: str) -> bool:
    """The whole hostile value is on the page as text (case-insensitive: platforms shout)."""
    return escape(hostile(tag)).lower() in html.lower()


def assert_inert(html: str, tags: Iterable[str]) -> None:
    page = html.lower()
    leaked = [markup for tag in tags for markup in raw_markup(tag) if markup.lower() in page]
    assert leaked == []


# Fields that carry hostile text, by tag. Rows of the world below and the platform's report.
CUSTOMER_TAGS = {
    "name": "cn",
    "mother_name": "cm",
    "street": "cs",
    "complement": "cc",
    "district": "cd",
    "city": "ct",
}
PROSPECT_TAGS = {"name": "pn", "street": "ps", "district": "pd", "desired_plan": "pp"}
LEAD_TAG, BRANCH_TAG, USER_TAG, PLAN_TAG = "ln", "bn", "un", "kp"
# The reason text of a credit policy's rule (shown with the decision of the query).
POLICY_TAG = "rr"
# What a payment source sent: the reference it named and the raw body.
PAYMENT_TAGS = {"reference": "pr", "raw": "pw"}
# The platform's own strings: identity, restriction and inquiry.
PLATFORM_TAGS = {"name": "xn", "creditor": "xc", "inquirer": "xi", "bank": "xb", "office": "xo"}
ALL_TAGS = [
    *CUSTOMER_TAGS.values(),
    *PROSPECT_TAGS.values(),
    *PLATFORM_TAGS.values(),
    *PAYMENT_TAGS.values(),
    LEAD_TAG,
    BRANCH_TAG,
    USER_TAG,
    PLAN_TAG,
    POLICY_TAG,
]

# A valid CPF in no scenario of the sandbox table: the world registers a hostile one for it.
HOSTILE_DOCUMENT = UNLISTED_CPF


def register_hostile_scenario(sandbox: RunningSandbox, document: str = HOSTILE_DOCUMENT) -> None:
    """The platforms answer `document` with hostile text in every string they report."""
    body = {
        "document": document,
        "base": "small_restriction",
        "name": hostile(PLATFORM_TAGS["name"]),
        "restrictions": [
            {"creditor": hostile(PLATFORM_TAGS["creditor"]), "amount": "189.90", "days_ago": 90},
            {  # the details of cheques and protests reach the screens too
                "kind": "cheque",
                "amount": None,
                "days_ago": 60,
                "cheque": {"bank_code": "341", "bank_name": hostile(PLATFORM_TAGS["bank"])},
            },
            {
                "kind": "protesto",
                "amount": "50.00",
                "days_ago": 30,
                "notary_office": hostile(PLATFORM_TAGS["office"]),
            },
        ],
        "inquiries": [{"inquirer": hostile(PLATFORM_TAGS["inquirer"]), "days_ago": 5}],
    }
    response = requests.post(f"{sandbox.url}/sandbox/scenarios", json=body, timeout=5)
    assert response.status_code == 201, response.text


# --- The UI routes, as the resolver has them ---------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "customers:edit"
    path: str  # "clientes/<int:pk>/"
    arguments: tuple[str, ...]  # ("pk",)

    def __str__(self) -> str:
        return self.name


def _walk(
    patterns: Iterable[URLPattern | URLResolver], namespace: str, prefix: str
) -> Iterator[Route]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner, route)
        else:
            arguments = tuple(getattr(pattern.pattern, "converters", {}))
            yield Route(f"{namespace}{pattern.name}", route, arguments)


def ui_routes() -> list[Route]:
    """Every server-rendered screen (creditcheck/ui_urls.py and what it includes)."""
    return list(_walk(ui_urls.urlpatterns, "", ""))


# The row of the world each route with an argument is opened with (a guard test asserts every
# such route is here), and the query string of the routes that need one to show a page.
ROUTE_OBJECTS = {
    "customers:edit": "customer",
    "customers:contracts": "customer",
    "customers:invoices": "customer",
    "analysis:customers_credit": "customer",
    "negativation:customer": "customer",
    "contracts:detail": "contract",
    "finance:invoice_detail": "invoice",
    "negativation:include": "invoice",
    "negativation:pay": "invoice",
    "crm:lead_edit": "lead",
    "crm:lead_convert": "lead",
    "crm:prospect_edit": "prospect",
    "crm:prospect_convert": "prospect",
    "settings:branch_edit": "branch",
    "negativation:settings_branch": "branch",
    "integrations:edit": "integration",
    "integrations:test": "integration",
    "integrations:sync_products": "integration",
    "negativation:detail": "negativation",
    "negativation:events": "negativation",
    "erp:payment_event_detail": "payment_event",
    "erp:import_detail": "import_job",
    "erp:import_errors": "import_job",
    "erp:ixc_edit": "ixc_connection",
    "erp:ixc_filiais": "ixc_connection",
    "erp:ixc_sync": "ixc_connection",
    "erp:ixc_runs": "ixc_connection",
    "negativation:refresh": "negativation",
    "analysis:detail": "query",
    "analysis:status": "query",
    "analysis:events": "query",
    "analysis:report_pdf": "query",
    "analysis:provider_report": "query",
    "analysis:settle_billing": "query",
    "compliance:audit_detail": "audit_entry",
    "decisions:edit": "credit_policy",
    "reviews:detail": "credit_review",
    "reviews:request": "credit_decision",
    "contracts:activate": "contract",
    "notices:customer": "customer",
    "notices:creditor_edit": "branch",
    "notices:rule_edit": "notice_state",
    "notices:plans": "customer",
    "notices:dossier": "negativation",
    "notices:dunning": "branch",
    "notices:dunning_step": "dunning_step",
}
ROUTE_QUERIES = {"analysis:new": "customer", "analysis:history": "customer"}


# --- The API operations, as the OpenAPI schema has them ---------------------------------------


@dataclass(frozen=True)
class ApiOperation:
    method: str  # "POST"
    path: str  # "/api/v1/customers/{id}/"
    query_parameters: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


@functools.cache
def api_operations() -> tuple[ApiOperation, ...]:
    """Every operation of /api/v1/schema/ (the same generator serves the schema)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return tuple(
        ApiOperation(
            method.upper(),
            path,
            tuple(p["name"] for p in operation.get("parameters", []) if p["in"] == "query"),
        )
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    )


# The row of the world an API path with an {id} is called with, by the path's first segment.
API_OBJECTS = {
    "branches": "branch",
    "customers": "customer",
    "contracts": "contract",
    "invoices": "invoice",
    "leads": "lead",
    "prospects": "prospect",
    "negativations": "negativation",
    "branch-integrations": "integration",
    "credit-queries": "query",
    "credit-policies": "credit_policy",
    "notice-consents": "consent",
    "notices": "notice",
    "repayment-plans": "plan",
}


# --- A world whose every string is hostile -----------------------------------------------------


@dataclass
class World:
    """One row of each kind, in one branch, reached by an administrator; every free-text field
    holds hostile text, and the credit query's report came from a hostile platform payload."""

    branch: Branch
    administrator: User
    customer: Customer
    contract: Contract
    invoice: Invoice
    negativation: Negativation
    lead: Lead
    prospect: Prospect
    integration: BranchIntegration
    query: CreditQuery
    credit_policy: CreditPolicy
    consent: NoticeConsent
    notice: Notice
    plan: RepaymentPlan
    dunning_step: DunningStep
    payment_event: PaymentEvent
    import_job: ImportJob
    ixc_connection: IxcConnection
    audit_entry: AuditEntry = field(init=False)
    credit_decision: CreditDecision = field(init=False)
    credit_review: CreditReview = field(init=False)

    def __post_init__(self) -> None:
        self.audit_entry = AuditEntry.objects.latest("seq")
        # The policy's one rule sends the query to review.
        self.credit_decision = CreditDecision.objects.get(query=self.query)
        self.credit_review = self.credit_decision.reviews.get()

    @property
    def notice_state(self) -> SimpleNamespace:
        """The UF of Configurações > Comunicados > <UF> (the route's argument is the UF)."""
        return SimpleNamespace(pk=self.branch.state)

    def url(self, route: Route) -> str:
        arguments = {}
        if route.arguments:
            row = getattr(self, ROUTE_OBJECTS[route.name])
            # The audit trail is addressed by sequence number; everything else by primary key.
            arguments = {name: getattr(row, "seq", row.pk) for name in route.arguments}
        url = reverse(route.name, kwargs=arguments)
        if route.name in ROUTE_QUERIES:
            url += "?" + urlencode({ROUTE_QUERIES[route.name]: self.customer.pk})
        return url

    def api_url(self, operation: ApiOperation) -> str:
        if "{id}" not in operation.path:
            return operation.path
        resource = operation.path.removeprefix("/api/v1/").split("/")[0]
        return operation.path.replace("{id}", str(getattr(self, API_OBJECTS[resource]).pk))

    def client(self, **kwargs: Any) -> Client:
        client = Client(**kwargs)
        client.force_login(self.administrator)
        return client


def active_negativation(invoice: Invoice, integration: BranchIntegration) -> Negativation:
    """A negativação of the invoice as the platform confirmed it (no platform call)."""
    customer = invoice.contract.customer
    return Negativation.objects.create(
        invoice=invoice,
        customer=customer,
        branch=customer.branch,
        integration=integration,
        platform=integration.platform,
        status=NegativationStatus.ACTIVE,
        document=customer.document,
        amount=invoice.amount,
        due_date=invoice.due_date,
        platform_id=f"NEG-{invoice.pk}",
        active_at=timezone.now(),
    )


@pytest.fixture
def world(
    db: None, sandbox: RunningSandbox, django_capture_on_commit_callbacks: Callable[..., Any]
) -> World:
    register_hostile_scenario(sandbox)
    enable_credit_analysis()
    branch = BranchFactory.create(name=hostile(BRANCH_TAG))
    administrator = UserFactory.create(role=Role.ADMINISTRATOR, first_name=hostile(USER_TAG))
    customer = CustomerFactory.create(
        branch=branch,
        document=HOSTILE_DOCUMENT,
        **{name: hostile(tag) for name, tag in CUSTOMER_TAGS.items()},
    )
    contract = ContractFactory.create(customer=customer, plan=hostile(PLAN_TAG))
    invoice = InvoiceFactory.create(
        contract=contract, due_date=timezone.localdate() - dt.timedelta(days=40)
    )
    integration = connect_branch(branch, sandbox, "creditonamedida")
    negativation = active_negativation(invoice, integration)
    # A company policy whose one rule fires (the customer was negativado): its reason is shown
    # with the decision, which goes to review.
    rule = {"kind": "past_negativation", "action": "revisao", "reason": hostile(POLICY_TAG)}
    policy = credit_policy_save(data=PolicyInput(rules=[rule]), user=administrator).policy
    # The platform call runs now, as after a commit (the test's transaction never commits).
    with django_capture_on_commit_callbacks(execute=True):
        outcome = credit_query_request(
            subject=subject_from_customer(customer), branch=branch, user=administrator
        )
    return World(
        branch=branch,
        administrator=administrator,
        customer=customer,
        contract=contract,
        invoice=invoice,
        negativation=negativation,
        lead=LeadFactory.create(branch=branch, name=hostile(LEAD_TAG)),
        prospect=ProspectFactory.create(
            branch=branch, **{name: hostile(tag) for name, tag in PROSPECT_TAGS.items()}
        ),
        integration=integration,
        query=CreditQuery.objects.get(pk=outcome.query.pk),
        credit_policy=policy,
        consent=NoticeConsent.objects.create(
            customer=customer, channel="email", given_on=invoice.due_date, source=hostile(PLAN_TAG)
        ),
        notice=_hostile_letter(invoice),
        plan=_hostile_plan(invoice),
        dunning_step=DunningStep.objects.create(
            branch=branch,
            name=hostile(PLAN_TAG)[:80],
            offset_days=5,
            channel="email",
            subject=hostile(PLAN_TAG)[:200],
            template=hostile(PLAN_TAG),
        ),
        payment_event=unmatched_payment_event(),
        import_job=import_create(
            upload=SimpleUploadedFile(
                "clientes.csv", f"codigo_cliente;nome\nC1;{hostile(PAYMENT_TAGS['raw'])}\n".encode()
            ),
            preset="generic",
            source="erp",
            branch=branch,
            mode=ImportMode.SKIP_ERRORS,
            user=administrator,
        ),
        ixc_connection=hostile_ixc_connection(branch),
    )


def hostile_ixc_connection(branch: Branch) -> IxcConnection:
    """An IXC connection whose ERP named its filial, and answered a sync error, hostilely."""
    connection = IxcConnection.objects.create(
        name=hostile(PLAN_TAG)[:120], base_url="http://127.0.0.1:9/ixc", default_branch=branch,
        filiais=[{"id": "1", "name": hostile(BRANCH_TAG), "cnpj": "", "active": True}],
        filiais_synced_at=timezone.now(),
    )  # fmt: skip
    SyncRun.objects.create(
        connection=connection, ok=True, finished_at=timezone.now(),
        counts={"customers": {"error": 1}},
        errors=[{"table": "customers", "external_id": hostile(PLAN_TAG)[:60], "code": "invalid",
                 "errors": {"name": [hostile(PLAN_TAG)]}}],
    )  # fmt: skip
    return connection


def unmatched_payment_event() -> PaymentEvent:
    """A payment a hostile sender reported for no invoice (the sender signed it)."""
    source = PaymentSource.objects.create(
        key="hostil", name="Fonte", kind=SourceKind.SIGNED, secret_encrypted=""
    )
    return PaymentEvent.objects.create(
        source=source,
        event_id="evt-hostil",
        event_type="payment",
        kind=EventKind.PAYMENT,
        status=EventStatus.UNMATCHED,
        reference=hostile(PAYMENT_TAGS["reference"])[:120],
        raw=hostile(PAYMENT_TAGS["raw"]),
    )


def _hostile_plan(invoice: Invoice) -> RepaymentPlan:
    """A repayment plan whose reference is hostile text (it does not cover the negativated
    invoice: the world's negativação stays active)."""
    today = timezone.localdate()
    return RepaymentPlan.objects.create(
        customer=invoice.contract.customer,
        kind="court",
        reference=hostile(PLAN_TAG)[:60],
        starts_on=today,
        ends_on=today + dt.timedelta(days=30),
        removal_on=today,
    )


def _hostile_letter(invoice: Invoice) -> Notice:
    """A letter of notice whose creditor's data are hostile text."""
    branch = invoice.contract.branch
    creditor_profile_save(
        branch=branch,
        legal_name=hostile(BRANCH_TAG),
        address=hostile(PLAN_TAG),
        phone="0",
        user=None,
    )
    return notice_record_letter(invoice=invoice, posted_on=invoice.due_date, user=None)


def response_body(response: Any) -> bytes:
    """The body of a response, streamed (CSV exports, file downloads) or not."""
    if response.streaming and response.is_async:  # an event stream, read whole (it ends)
        return stream_body(response).encode()
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


# --- PDFs --------------------------------------------------------------------------------------


def pdf_text(pdf: bytes) -> str:
    """The text of every page, without whitespace (line breaks fall anywhere in long values)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def shown_in_pdf(pdf: bytes, tag: str) -> bool:
    return "".join(hostile(tag).split()).lower() in pdf_text(pdf).lower()


# Entries that make a PDF act: links, scripts, launched programs, forms, embedded files.
ACTIVE_KEYS = ("/A", "/AA", "/OpenAction", "/JS", "/JavaScript", "/URI", "/Launch", "/AcroForm")


def pdf_active_entries(pdf: bytes) -> list[str]:
    """Every active entry of the catalog, its name trees and each page with its annotations."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    catalog = reader.root_object
    names = catalog.get("/Names")
    found = [f"catalog {key}" for key in ACTIVE_KEYS if key in catalog]
    found += [
        f"catalog /Names {key}"
        for key in ("/JavaScript", "/EmbeddedFiles")
        if names is not None and key in names.get_object()
    ]
    for number, page in enumerate(reader.pages, start=1):
        found += [f"page {number} {key}" for key in ACTIVE_KEYS if key in page]
        for annotation in page.get("/Annots") or []:
            found.append(f"page {number} annotation {annotation.get_object().get('/Subtype')}")
    return found


# --- A loopback HTTP server that answers what a test tells it to ------------------------------


@dataclass
class Reply:
    body: bytes | Callable[[], Iterable[bytes]]  # bytes, or a stream of chunks
    content_type: str = "text/plain"
    status: str = "200 OK"
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class LoopbackServer:
    url: str
    replies: dict[str, Reply] = field(default_factory=dict)  # by path; "*" answers any path
    requests: list[str] = field(default_factory=list)  # paths, in arrival order


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def loopback_server() -> Iterator[LoopbackServer]:
    """A tiny HTTP server on 127.0.0.1 (a free port) recording every request it receives."""
    state = LoopbackServer(url="")

    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        path = environ["PATH_INFO"]
        state.requests.append(path)
        # Read the request body: a socket closed with unread data is reset, not closed.
        environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        reply = state.replies.get(path) or state.replies.get("*")
        if reply is None:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        start_response(reply.status, [("Content-Type", reply.content_type), *reply.headers])
        return reply.body() if callable(reply.body) else [reply.body]

    httpd = make_server("127.0.0.1", 0, app, server_class=_Server, handler_class=_Quiet)
    state.url = f"http://127.0.0.1:{httpd.server_port}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()
