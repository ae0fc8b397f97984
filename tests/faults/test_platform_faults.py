"""Every sandbox fault mode on every platform, through the real services and the API.

Each fault is injected once, on the operation under test: a silent retry would show up as a
success or as a second billed call in the sandbox's ledger.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from creditcheck.core.models import Branch
from creditcheck.negativation.enums import NegativationStatus as S
from creditcheck.negativation.services import negativation_include, negativation_retry_due
from providers.base import ProviderProtocolError, ProviderUnavailable
from providers.registry import all_keys
from providers.sandbox.scenarios import CLEAN_CPF
from providers.sandbox.server import RunningSandbox
from tests.circuit_setup import open_circuit
from tests.credit_setup import integration_on
from tests.negativation.conftest import MakeInvoice
from tests.sandbox_client import billed_calls, inject_fault, ledger

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/v1/credit-queries/"
COST = "12.50"  # connect_branch's default cost per query
READ_TIMEOUT = 1.0
PLATFORMS = all_keys()
FAULTS = ["timeout", "http500", "malformed", "auth"]
# The path of each platform's consult and inclusion, so a fault hits that call and not, say,
# Crédito na Medida's token request before it.
CONSULT_PATH = {
    "spcbrasil": "consultaWebService",
    "soawebservice": "Consultas",
    "connectsa": "ws_consulta",
    "creditonamedida": "/api/v1/consultas",
}
INCLUSION_PATH = {
    "spcbrasil": "spcWebService",
    "soawebservice": "Inserir",
    "connectsa": "ws_pefin",
    "creditonamedida": "negativacoes",
}
# (stable error code, billed flag) each adapter reports for each fault. A timeout and an
# unreadable 2xx answer come after the platform did (and charged) the work: never "no".
# SPC and Crédito na Medida document that their 5xx answers are not charged.
EXPECTED: dict[tuple[str, str], tuple[str, str]] = {
    ("spcbrasil", "timeout"): ("timeout", "unknown"),
    ("spcbrasil", "http500"): ("http_500", "no"),
    ("spcbrasil", "malformed"): ("malformed_xml", "unknown"),
    ("spcbrasil", "auth"): ("CS_AUT001.E1.2", "no"),
    ("soawebservice", "timeout"): ("timeout", "unknown"),
    ("soawebservice", "http500"): ("http_500", "unknown"),
    ("soawebservice", "malformed"): ("malformed_json", "unknown"),
    ("soawebservice", "auth"): ("G000M000", "no"),
    ("connectsa", "timeout"): ("timeout", "unknown"),
    ("connectsa", "http500"): ("http_500", "unknown"),
    ("connectsa", "malformed"): ("malformed_json", "unknown"),
    ("connectsa", "auth"): ("101", "no"),
    ("creditonamedida", "timeout"): ("timeout", "unknown"),
    ("creditonamedida", "http500"): ("http_500", "no"),
    ("creditonamedida", "malformed"): ("malformed_json", "yes"),
    ("creditonamedida", "auth"): ("invalid_token", "no"),
}
# Faults after which the platform did the work (the sandbox handled the request, then the
# answer came too late or broken); the others never reach the platform's handler.
PROCESSED = {"timeout", "malformed"}


def inject_once(sandbox: RunningSandbox, platform: str, mode: str, path: str) -> None:
    # A timeout fault answers long after READ_TIMEOUT; a slow one well within it.
    latency_ms = {"timeout": 3000, "latency": 300}.get(mode, 0)
    inject_fault(sandbox, platform, mode, count=1, latency_ms=latency_ms, path=path)


def assert_portuguese_message(message: str, mode: str) -> None:
    """The message staff read: the common wording of an outage, or (refused credentials,
    worded by each platform) a pointer to the screen that fixes them."""
    if mode in ("timeout", "http500"):
        assert message == ProviderUnavailable.default_user_message
    elif mode == "malformed":
        assert message == ProviderProtocolError.default_user_message
    else:
        assert message.endswith("Configurações > Integrações.")


@pytest.fixture
def connected(branch: Branch, sandbox: RunningSandbox, settings: Any) -> Callable[[str], None]:
    def connect(platform: str) -> None:
        settings.PROVIDER_READ_TIMEOUT = READ_TIMEOUT
        integration_on(branch, sandbox, platform, cost=COST)

    return connect


@pytest.mark.parametrize("mode", FAULTS)
@pytest.mark.parametrize("platform", PLATFORMS)
def test_consult_fault_ends_failed_with_portuguese_message_and_one_call(
    platform: str,
    mode: str,
    connected: Callable[[str], None],
    api_client_for: Callable[[User], APIClient],
    attendant: User,
    branch: Branch,
    sandbox: RunningSandbox,
) -> None:
    connected(platform)
    inject_once(sandbox, platform, mode, CONSULT_PATH[platform])

    response = api_client_for(attendant).post(URL, {"document": CLEAN_CPF, "branch": branch.pk})

    assert response.status_code == 201
    body = response.json()
    code, billed = EXPECTED[(platform, mode)]
    assert (body["status"], body["error_code"], body["billed"], body["cost"]) == (
        "failed",
        code,
        billed,
        "0.00" if billed == "no" else COST,
    )
    assert_portuguese_message(body["error_message"], mode)
    sent = 1 if mode in PROCESSED else 0
    assert len(ledger(sandbox, document=CLEAN_CPF)) == sent
    assert billed_calls(sandbox) == sent


@pytest.mark.parametrize("platform", PLATFORMS)
def test_slow_platform_within_timeout_answers_consult_and_inclusion(
    platform: str,
    connected: Callable[[str], None],
    api_client_for: Callable[[User], APIClient],
    attendant: User,
    financial: User,
    branch: Branch,
    sandbox: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    connected(platform)
    inject_once(sandbox, platform, "latency", CONSULT_PATH[platform])
    inject_once(sandbox, platform, "latency", INCLUSION_PATH[platform])

    body = api_client_for(attendant).post(URL, {"document": CLEAN_CPF, "branch": branch.pk}).json()
    negativation = negativation_include(invoice=make_overdue_invoice(), user=financial)
    negativation.refresh_from_db()

    assert (body["status"], body["billed"], body["error_code"]) == ("succeeded", "yes", "")
    assert (negativation.status, negativation.error_code) == (S.AWAITING_NOTICE, "")
    assert billed_calls(sandbox) == 2  # one consult, one inclusion


@pytest.mark.parametrize("mode", FAULTS)
@pytest.mark.parametrize("platform", PLATFORMS)
def test_inclusion_fault_ends_visible_retry_or_failed(
    platform: str,
    mode: str,
    connected: Callable[[str], None],
    financial: User,
    sandbox: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    connected(platform)
    inject_once(sandbox, platform, mode, INCLUSION_PATH[platform])

    negativation = negativation_include(invoice=make_overdue_invoice(), user=financial)
    negativation.refresh_from_db()

    # The platform may answer later: retried on schedule. Broken answers and refused
    # credentials need a person: failed, with the message in its history.
    retryable = mode in ("timeout", "http500")
    assert (negativation.status, negativation.attempts, negativation.error_code) == (
        S.REQUESTED if retryable else S.FAILED,
        1,
        EXPECTED[(platform, mode)][0],
    )
    assert (negativation.next_attempt_at is not None) is retryable
    assert_portuguese_message(negativation.error_message, mode)
    if not retryable:
        assert negativation.events.latest("id").message == negativation.error_message
    records = len(sandbox_inclusions(sandbox))
    assert records == (1 if mode in PROCESSED else 0)
    assert billed_calls(sandbox) == records


def sandbox_inclusions(sandbox: RunningSandbox) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = requests.get(
        f"{sandbox.url}/sandbox/inclusions", timeout=5
    ).json()
    return records


def test_inclusion_waits_while_circuit_is_open_and_is_sent_after(
    connected: Callable[[str], None],
    attendant: User,
    financial: User,
    branch: Branch,
    sandbox: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
    settings: Any,
) -> None:
    settings.CIRCUIT_FAILURE_THRESHOLD = 2
    connected("spcbrasil")
    open_circuit(attendant, branch, sandbox)  # failed credit queries of the same branch

    negativation = negativation_include(invoice=make_overdue_invoice(), user=financial)
    negativation.refresh_from_db()

    assert (negativation.status, negativation.error_code) == (S.REQUESTED, "circuit_open")
    assert negativation.error_message.startswith(
        "A plataforma SPC Brasil está indisponível para a filial Filial São Paulo"
    )
    assert negativation.next_attempt_at is not None
    assert sandbox_inclusions(sandbox) == []
    settings.CIRCUIT_OPEN_SECONDS = 0  # the cool-down is over; the platform answers again
    negativation_retry_due(now=negativation.next_attempt_at)
    negativation.refresh_from_db()
    assert (negativation.status, negativation.error_code) == (S.AWAITING_NOTICE, "")
    assert len(sandbox_inclusions(sandbox)) == 1
