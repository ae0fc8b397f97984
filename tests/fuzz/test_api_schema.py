"""Schemathesis over /api/v1/schema/: every operation, as an administrator, over real HTTP.

The app runs in pytest-django's live server with rows of every kind in place
(tests/test_authorization_matrix.World: two branches connected to the Crédito na Medida sandbox,
a customer with a contract and overdue invoices, a lead, a prospect, an active negativação and
a succeeded credit query with the platform's PDF). For each operation Hypothesis generates
requests that fit the schema (positive) and requests that break it (negative). Random ids and
documents would rarely get past validation, so part of the positive requests are steered: an id
path parameter aimed at a seeded row, and fields that name a branch, customer, invoice...
or a CPF set to a seeded row or a valid value. Requests ask for the operation's success media
type (Accept: application/pdf for the PDF downloads), as a client would.

Every answer must be no 5xx, with a status code the schema documents, in a documented content
type, and a body that matches the schema for that code. Failures are reported per operation and
mode (pytest subtests), so one run shows them all. Each operation's cases come from its
schemathesis strategy under Hypothesis directly: schemathesis's pytest integration for a schema
loaded in a fixture (schemathesis.pytest.from_fixture) does not run under pytest 9.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.contrib.auth.models import User
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err, Ok
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from creditcheck.analysis.enums import QueryStatus
from creditcheck.core.enums import Role
from creditcheck.core.models import Branch
from providers.registry import all_keys
from providers.sandbox.scenarios import CLEAN_CPF
from providers.sandbox.server import RunningSandbox
from tests.factories import BranchFactory, UserFactory, cnpj_for
from tests.test_authorization_matrix import PLATFORM, World

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Examples per operation and mode: about 2 minutes for the ~50 operations on a small machine.
# The PDF downloads (WeasyPrint renders them) get fewer.
EXAMPLES = 50
PDF_EXAMPLES = 10
PDF_PATHS = ("report.pdf", "provider-report", "subject-report")
# Writes that reconfigure the platform integration run last, so that the operations before
# them find the seeded branches still connected to the sandbox.
CONFIGURATION_PATHS = ("/api/v1/branch-integrations/", "/api/v1/settings/")


# Body fields and query parameters that name a row, by the path segment of the row's kind.
ROW_FIELDS = {
    "branches": "branch",
    "customers": "customer",
    "contracts": "contract",
    "leads": "lead",
    "prospects": "prospect",
}


@dataclass(frozen=True)
class Target:
    url: str
    token: str
    sandbox: RunningSandbox
    seeded_ids: dict[str, int]  # first path segment under /api/v1/ -> id of a seeded row
    valid_values: dict[str, Any]  # body field or query parameter -> a value that passes

    def seeded_id(self, path: str) -> int | None:
        if "{id}" not in path:
            return None
        return self.seeded_ids[path.removeprefix("/api/v1/").split("/")[0]]


@pytest.fixture
def target(
    live_server: Any,
    sandbox: RunningSandbox,
    settings: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> Target:
    # Every credit query the fuzzer asks for gets past the per-user rate limit to validation.
    settings.CREDIT_QUERY_RATE = "100000/min"
    own: Branch = BranchFactory.create(name="Filial São Paulo")
    other: Branch = BranchFactory.create(name="Filial Belo Horizonte")
    world = World(own, other, sandbox, django_capture_on_commit_callbacks)
    query = world.query("own")
    query.refresh_from_db()
    assert query.status == QueryStatus.SUCCEEDED and query.provider_file, "seed query failed"
    administrator: User = UserFactory.create(role=Role.ADMINISTRATOR)
    seeded_ids = {
        "branches": own.pk,
        "branch-integrations": world.integration("own").pk,
        "customers": world.customer("own").pk,
        "contracts": world.contract("own").pk,
        "invoices": world.invoice("own").pk,
        "leads": world.lead("own").pk,
        "prospects": world.prospect("own").pk,
        "negativations": world.negativation("own").pk,
        "credit-queries": query.pk,
        "credit-policies": world.policy("own").pk,
        "notice-consents": world.consent("own").pk,
        "notices": world.notice("own").pk,
        "repayment-plans": world.plan("own").pk,
    }
    return Target(
        url=live_server.url,
        token=Token.objects.create(user=administrator).key,
        sandbox=sandbox,
        seeded_ids=seeded_ids,
        valid_values={
            **{field: seeded_ids[segment] for segment, field in ROW_FIELDS.items()},
            # Overdue and not negativada; not the seeded invoice, which the fuzzer may pay.
            "invoice": world.overdue_invoice("own").pk,
            "document": CLEAN_CPF,
            "cnpj": cnpj_for(4242),
            "cep": "01310100",
            "month": timezone.localdate().strftime("%Y-%m"),
        },
    )


# A credit query names exactly one subject.
SUBJECT_FIELDS = ("customer", "lead", "prospect", "document")


def steer(case: Any, target: Target) -> Any:
    """Set the fields and query parameters the case has to a seeded row or a valid value."""
    for values in (case.body, case.query):
        if isinstance(values, dict):
            for name in values.keys() & target.valid_values.keys():
                values[name] = target.valid_values[name]
    if case.path == "/api/v1/credit-queries/" and isinstance(case.body, dict):
        for extra in [name for name in SUBJECT_FIELDS if name in case.body][1:]:
            del case.body[extra]
    return case


def strategy(operation: Any, mode: GenerationMode, target: Target) -> st.SearchStrategy[Any]:
    generated = operation.as_strategy(mode)
    if not mode.is_positive:
        return generated
    seeded = target.seeded_id(operation.path)
    aimed = (
        generated if seeded is None else operation.as_strategy(mode, path_parameters={"id": seeded})
    )
    return st.one_of(generated, aimed, aimed.map(lambda case: steer(case, target)))


def modes(operation: Any) -> list[GenerationMode]:
    """Negative cases only for operations that take an input to break."""
    inputs = operation.path_parameters or operation.query or operation.body
    return list(GenerationMode) if inputs else [GenerationMode.POSITIVE]


def accepted(operation: Any) -> str:
    """The Accept header of a client that wants the operation's answer: its success media type
    (a PDF download asks for application/pdf)."""
    for code, response in operation.definition.raw.get("responses", {}).items():
        if str(code).startswith("2"):
            return next(iter(response.get("content", {})), "*/*")
    return "*/*"


def keep_platform_calls_on_the_sandbox(case: Any, target: Target) -> None:
    """An integration written by the fuzzer points at the sandbox of its platform.

    Its "Testar", product sync and credit queries call the base URL: a generated one would send
    them off the machine (or, left blank, to the platform's production address).
    """
    if not (case.path.startswith("/api/v1/branch-integrations/") and isinstance(case.body, dict)):
        return
    platform = case.body.get("platform")
    platform = platform if isinstance(platform, str) and platform in all_keys() else PLATFORM
    case.body["base_url"] = f"{target.sandbox.url}/{platform}"


def fuzz(operation: Any, mode: GenerationMode, target: Target) -> None:
    """Hypothesis runs of one operation in one mode, each request checked against the schema."""
    examples = PDF_EXAMPLES if any(p in operation.path for p in PDF_PATHS) else EXAMPLES
    headers = {"Authorization": f"Token {target.token}", "Accept": accepted(operation)}

    @hypothesis.settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @hypothesis.given(case=strategy(operation, mode, target))
    def answers_as_documented(case: Any) -> None:
        keep_platform_calls_on_the_sandbox(case, target)
        case.call_and_validate(base_url=target.url, headers=headers, checks=CHECKS)

    answers_as_documented()


def test_every_operation_answers_as_its_schema_says(target: Target, subtests: Any) -> None:
    schema = schemathesis.openapi.from_url(
        f"{target.url}/api/v1/schema/?format=json",
        headers={"Authorization": f"Token {target.token}"},  # the schema needs a signed-in user
    )
    results = list(schema.get_all_operations())
    assert not [result.err() for result in results if isinstance(result, Err)]
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    assert len(operations) > 40  # the whole API, not an empty schema
    operations.sort(key=lambda op: op.method != "get" and op.path.startswith(CONFIGURATION_PATHS))

    for operation in operations:
        for mode in modes(operation):
            with subtests.test(operation=operation.label, mode=mode.value):
                fuzz(operation, mode, target)
