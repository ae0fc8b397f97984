"""The circuit breaker per branch and platform, driven by real queries against the sandboxes.

The cool-down is never waited for: CIRCUIT_OPEN_SECONDS is read when the state is, so setting
it to 0 ends the cool-down of a circuit already open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import lxml.html
import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from creditcheck.analysis.enums import QueryStatus
from creditcheck.core.enums import AuditAction, Role
from creditcheck.core.models import AuditEntry, Branch
from creditcheck.integrations.circuit import (
    Circuit,
    CircuitOpen,
    CircuitState,
    circuit_health,
)
from creditcheck.integrations.models import BranchIntegration
from creditcheck.integrations.services import adapter_for, branch_integration_test
from providers.base import ConsultRequest, CreditReport, PersonType
from providers.sandbox.scenarios import CLEAN_CPF
from providers.sandbox.server import RunningSandbox
from tests.circuit_setup import PLATFORM, consult, fail_queries, open_circuit
from tests.credit_setup import connect_branch, integration_on
from tests.factories import BranchFactory
from tests.sandbox_client import billed_calls, inject_fault, ledger

pytestmark = pytest.mark.django_db(transaction=True)

THRESHOLD = 3
OPEN_SECONDS = 60


@pytest.fixture(autouse=True)
def _circuit_settings(settings: Any) -> None:
    settings.CIRCUIT_FAILURE_THRESHOLD = THRESHOLD
    settings.CIRCUIT_OPEN_SECONDS = OPEN_SECONDS


@pytest.fixture
def integration(branch: Branch, sandbox: RunningSandbox) -> BranchIntegration:
    return integration_on(branch, sandbox)


def state_of(integration: BranchIntegration) -> CircuitState:
    return Circuit(integration).status().state


def circuit_audit() -> list[tuple[str, str, Branch | None, dict[str, Any]]]:
    return [
        (entry.outcome, entry.document, entry.branch, entry.details)
        for entry in AuditEntry.objects.filter(action=AuditAction.PLATFORM_AVAILABILITY).order_by(
            "seq"
        )
    ]


def test_opens_after_threshold_and_refuses_next_query_without_platform_call(
    api_client_for: Callable[[User], APIClient],
    attendant: User,
    branch: Branch,
    sandbox: RunningSandbox,
    integration: BranchIntegration,
) -> None:
    before = timezone.now()
    open_circuit(attendant, branch, sandbox)
    after = timezone.now()

    response = api_client_for(attendant).post(
        "/api/v1/credit-queries/", {"document": CLEAN_CPF, "branch": branch.pk}
    )

    status = Circuit(integration).status()
    assert status.state == CircuitState.OPEN and status.retry_at is not None
    cool_down = dt.timedelta(seconds=OPEN_SECONDS)
    assert before + cool_down <= status.retry_at <= after + cool_down
    body = response.json()
    assert (response.status_code, body["status"], body["error_code"], body["billed"]) == (
        201,
        "failed",
        "circuit_open",
        "no",
    )
    assert body["cost"] == "0.00"
    assert body["error_message"] == (
        "A plataforma SPC Brasil está indisponível para a filial Filial São Paulo após várias "
        "falhas seguidas. Nada foi enviado nem cobrado; novas tentativas a partir das "
        f"{timezone.localtime(status.retry_at):%H:%M}."
    )
    # The fault covered the first THRESHOLD calls only: had the last query left, it would have
    # succeeded and shown in the ledger.
    assert len(ledger(sandbox)) == THRESHOLD
    assert circuit_audit() == [
        (
            "circuito aberto: SPC Brasil",
            "",  # no document: the outage is the platform's, not a customer's
            branch,
            {"platform": PLATFORM, "failures": THRESHOLD, "error_code": "malformed_xml"},
        )
    ]


def test_is_kept_per_branch(
    make_user: Callable[..., User],
    branch: Branch,
    other_branch: Branch,
    sandbox: RunningSandbox,
    integration: BranchIntegration,
) -> None:
    user = make_user(Role.ATTENDANT, [branch, other_branch])
    connect_branch(other_branch, sandbox)
    open_circuit(user, branch, sandbox)

    elsewhere = consult(user, other_branch)
    here = consult(user, branch)

    assert (elsewhere.status, here.status, here.error_code) == (
        QueryStatus.SUCCEEDED,
        QueryStatus.FAILED,
        "circuit_open",
    )
    assert len(ledger(sandbox)) == THRESHOLD + 1


def test_half_open_trial_succeeds_and_closes(
    attendant: User,
    branch: Branch,
    sandbox: RunningSandbox,
    integration: BranchIntegration,
    settings: Any,
) -> None:
    open_circuit(attendant, branch, sandbox)  # the fault is gone after these calls
    settings.CIRCUIT_OPEN_SECONDS = 0  # the cool-down is over
    assert state_of(integration) == CircuitState.HALF_OPEN

    trial = consult(attendant, branch)

    assert (trial.status, state_of(integration)) == (QueryStatus.SUCCEEDED, CircuitState.CLOSED)
    settings.CIRCUIT_OPEN_SECONDS = OPEN_SECONDS
    assert consult(attendant, branch).status == QueryStatus.SUCCEEDED
    assert billed_calls(sandbox) == THRESHOLD + 2
    assert [(outcome, document) for outcome, document, _, _ in circuit_audit()] == [
        ("circuito aberto: SPC Brasil", ""),
        ("circuito fechado: SPC Brasil", ""),
    ]


def test_failed_trial_opens_again(
    attendant: User,
    branch: Branch,
    sandbox: RunningSandbox,
    integration: BranchIntegration,
    settings: Any,
) -> None:
    open_circuit(attendant, branch, sandbox)
    settings.CIRCUIT_OPEN_SECONDS = 0
    fail_queries(attendant, branch, sandbox, 1)  # the trial meets the outage
    settings.CIRCUIT_OPEN_SECONDS = OPEN_SECONDS

    refused = consult(attendant, branch)

    assert (refused.error_code, state_of(integration)) == ("circuit_open", CircuitState.OPEN)
    assert len(ledger(sandbox)) == THRESHOLD + 1


def test_half_open_lets_one_trial_through_at_a_time(
    attendant: User,
    branch: Branch,
    sandbox: RunningSandbox,
    integration: BranchIntegration,
    settings: Any,
) -> None:
    open_circuit(attendant, branch, sandbox)
    settings.CIRCUIT_OPEN_SECONDS = 0
    request = ConsultRequest(document=CLEAN_CPF, person_type=PersonType.PERSON)
    guarded = adapter_for(integration)

    def trial() -> CreditReport:
        # Meanwhile another worker wants the platform: refused while the trial is under way.
        with pytest.raises(CircuitOpen):
            adapter_for(integration).consult(request)
        return guarded.adapter.consult(request)

    report = guarded.circuit.call(trial)

    assert (report.identity.document, state_of(integration)) == (CLEAN_CPF, CircuitState.CLOSED)
    assert len(ledger(sandbox)) == THRESHOLD + 1


def test_refused_credentials_do_not_open_it(
    attendant: User, branch: Branch, sandbox: RunningSandbox, integration: BranchIntegration
) -> None:
    inject_fault(sandbox, PLATFORM, "auth", count=THRESHOLD + 1)

    codes = [consult(attendant, branch).error_code for _ in range(THRESHOLD + 1)]

    assert codes == ["CS_AUT001.E1.2"] * (THRESHOLD + 1)
    assert state_of(integration) == CircuitState.CLOSED


def test_answer_ends_the_failure_streak(
    attendant: User, branch: Branch, sandbox: RunningSandbox, integration: BranchIntegration
) -> None:
    fail_queries(attendant, branch, sandbox, THRESHOLD - 1)
    assert consult(attendant, branch).status == QueryStatus.SUCCEEDED

    fail_queries(attendant, branch, sandbox, THRESHOLD - 1)

    assert state_of(integration) == CircuitState.CLOSED
    assert len(ledger(sandbox)) == 2 * (THRESHOLD - 1) + 1


def test_testar_reaches_platform_while_open_and_closes_it(
    attendant: User, branch: Branch, sandbox: RunningSandbox, integration: BranchIntegration
) -> None:
    open_circuit(attendant, branch, sandbox)

    outcome = branch_integration_test(integration=integration)

    assert outcome == (True, "Conexão e credenciais válidas.")
    assert len(ledger(sandbox)) == THRESHOLD + 1  # the credential check reached the platform
    assert state_of(integration) == CircuitState.CLOSED
    assert consult(attendant, branch).status == QueryStatus.SUCCEEDED


def test_health_lists_each_active_branch_platform(
    attendant: User,
    branch: Branch,
    other_branch: Branch,
    sandbox: RunningSandbox,
    integration: BranchIntegration,
    settings: Any,
) -> None:
    connect_branch(other_branch, sandbox)
    idle = connect_branch(BranchFactory.create(name="Filial Desativada"), sandbox)
    BranchIntegration.objects.filter(pk=idle.pk).update(active=False)
    open_circuit(attendant, branch, sandbox)

    def states() -> list[tuple[object, ...]]:
        return [tuple(entry.values()) for entry in circuit_health()]

    assert [list(entry) for entry in circuit_health()] == [
        ["branch", "branch_name", "platform", "state"]
    ] * 2
    assert states() == [
        (other_branch.pk, "Filial Belo Horizonte", PLATFORM, "closed"),
        (branch.pk, "Filial São Paulo", PLATFORM, "open"),
    ]
    settings.CIRCUIT_OPEN_SECONDS = 0
    assert states()[1] == (branch.pk, "Filial São Paulo", PLATFORM, "half_open")


def test_integrations_screen_shows_state(
    client: Client,
    administrator: User,
    attendant: User,
    branch: Branch,
    sandbox: RunningSandbox,
    integration: BranchIntegration,
    settings: Any,
) -> None:
    client.force_login(administrator)

    def shown() -> str:
        page = lxml.html.fromstring(client.get("/configuracoes/integracoes/").content.decode())
        cell = f'//tr[@data-integration="{integration.pk}"]/td[@data-testid="circuit"]'
        return " ".join(str(page.xpath(f"string({cell})")).split())

    assert shown() == "Disponível"
    open_circuit(attendant, branch, sandbox)
    retry_at = Circuit(integration).status().retry_at
    assert retry_at is not None
    assert shown() == f"Indisponível (circuito aberto até {timezone.localtime(retry_at):%H:%M})"
    settings.CIRCUIT_OPEN_SECONDS = 0
    assert shown() == "Em teste"
