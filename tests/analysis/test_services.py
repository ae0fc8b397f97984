"""The credit-query service against the sandboxes over real HTTP, checked in their ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.utils import timezone

from creditcheck.analysis.enums import Billed, QueryStatus, RefusalCode, SubjectType
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.services import (
    STALE_RUNNING_AFTER,
    CreditQueryRefused,
    credit_query_request,
    credit_query_run,
)
from creditcheck.analysis.subjects import (
    subject_from_customer,
    subject_from_document,
    subject_from_lead,
)
from creditcheck.core.models import Branch
from providers.sandbox.scenarios import CLEAN_CPF, PLATFORM_ERROR_CPF, SMALL_RESTRICTION_CPF
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch, enable_credit_analysis, integration_on
from tests.factories import CustomerFactory, LeadFactory
from tests.sandbox_client import billed_calls, inject_fault, ledger

pytestmark = pytest.mark.django_db(transaction=True)


def request_query(user: User, branch: Branch, document: str, **kwargs: Any) -> CreditQuery:
    outcome = credit_query_request(
        subject=subject_from_document(document), branch=branch, user=user, **kwargs
    )
    outcome.query.refresh_from_db()
    return outcome.query


def refusal_of(call: Callable[[], object]) -> CreditQueryRefused:
    with pytest.raises(CreditQueryRefused) as caught:
        call()
    return caught.value


def test_request_disabled_integration_refused_without_platform_call(
    attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    connect_branch(branch, sandbox)
    refusal = refusal_of(lambda: request_query(attendant, branch, CLEAN_CPF))
    assert refusal.code == RefusalCode.INTEGRATION_DISABLED
    assert (refusal.query.status, refusal.query.user, refusal.query.document) == (
        QueryStatus.REFUSED,
        attendant,
        CLEAN_CPF,
    )
    assert ledger(sandbox) == []


def test_request_invalid_document_refused_without_platform_call(
    attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    integration_on(branch, sandbox)
    refusal = refusal_of(lambda: request_query(attendant, branch, "529.982.247-00"))
    assert (refusal.code, refusal.query.document) == (RefusalCode.INVALID_DOCUMENT, "52998224700")
    assert "dígitos verificadores" in refusal.message
    assert ledger(sandbox) == []


def test_request_branch_without_integration_refused(
    attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    enable_credit_analysis()
    refusal = refusal_of(lambda: request_query(attendant, branch, CLEAN_CPF))
    assert refusal.code == RefusalCode.BRANCH_WITHOUT_INTEGRATION
    assert ledger(sandbox) == []


def test_request_other_branch_refused(
    attendant: User, other_branch: Branch, sandbox: RunningSandbox
) -> None:
    integration_on(other_branch, sandbox)
    refusal = refusal_of(lambda: request_query(attendant, other_branch, CLEAN_CPF))
    assert refusal.code == RefusalCode.BRANCH_FORBIDDEN
    assert ledger(sandbox) == []


def test_request_customer_with_restrictions_stores_report_and_cost(
    attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    integration_on(branch, sandbox, cost="16.00")
    customer = CustomerFactory.create(
        branch=branch, document=SMALL_RESTRICTION_CPF, person_type="F"
    )
    outcome = credit_query_request(
        subject=subject_from_customer(customer),
        branch=branch,
        user=attendant,
        ip_address="127.0.0.9",
    )
    query = CreditQuery.objects.get(pk=outcome.query.pk)
    assert (query.status, query.subject_type, query.customer, query.platform) == (
        QueryStatus.SUCCEEDED,
        SubjectType.CUSTOMER,
        customer,
        "spcbrasil",
    )
    assert (query.has_restrictions, query.score, query.restriction_count) == (True, 520, 1)
    assert query.restriction_amount == Decimal("189.90")
    assert (query.billed, query.cost, query.ip_address) == (
        Billed.YES,
        Decimal("16.00"),
        "127.0.0.9",
    )
    assert query.protocol != "" and query.raw_payload != ""
    assert query.report is not None and query.report["restrictions"][0]["creditor"] == (
        "NET RAPIDA TELECOM LTDA"
    )
    assert query.duration_ms is not None and query.finished_at is not None
    assert billed_calls(sandbox, document=SMALL_RESTRICTION_CPF) == 1


def test_request_inside_interval_refused_with_dates_and_no_call(
    attendant: User, seller: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    integration_on(branch, sandbox, interval_days=30)
    first = request_query(attendant, branch, CLEAN_CPF)
    lead = LeadFactory.create(branch=branch, document=CLEAN_CPF)
    refusal = refusal_of(
        lambda: credit_query_request(subject=subject_from_lead(lead), branch=branch, user=seller)
    )
    assert refusal.code == RefusalCode.REQUERY_INTERVAL
    assert refusal.last_query == first
    assert refusal.next_allowed_at == first.created_at + dt.timedelta(days=30)
    assert refusal.query.lead == lead and refusal.query.status == QueryStatus.REFUSED
    assert billed_calls(sandbox) == 1


def test_request_after_interval_calls_again(
    attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    integration_on(branch, sandbox, interval_days=30)
    first = request_query(attendant, branch, CLEAN_CPF)
    CreditQuery.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - dt.timedelta(days=30, minutes=1)
    )
    second = request_query(attendant, branch, CLEAN_CPF)
    assert second.status == QueryStatus.SUCCEEDED
    assert billed_calls(sandbox) == 2


def test_request_override_needs_permission_and_reason(
    attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    integration_on(branch, sandbox, interval_days=30)
    first = request_query(attendant, branch, CLEAN_CPF)
    refused = refusal_of(
        lambda: request_query(attendant, branch, CLEAN_CPF, override_reason="cliente pediu revisão")
    )
    assert refused.code == RefusalCode.REQUERY_INTERVAL
    attendant.user_permissions.add(Permission.objects.get(codename="override_requery_interval"))
    attendant = User.objects.get(pk=attendant.pk)
    refused = refusal_of(lambda: request_query(attendant, branch, CLEAN_CPF, override_reason=" "))
    assert refused.code == RefusalCode.REQUERY_INTERVAL
    second = request_query(attendant, branch, CLEAN_CPF, override_reason="cliente pediu revisão")
    assert (second.status, second.override_reason, second.overridden_query) == (
        QueryStatus.SUCCEEDED,
        "cliente pediu revisão",
        first,
    )
    assert billed_calls(sandbox) == 2


def test_request_zero_interval_allows_immediate_requery(
    attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    integration_on(branch, sandbox, interval_days=0)
    request_query(attendant, branch, CLEAN_CPF)
    request_query(attendant, branch, CLEAN_CPF)
    assert billed_calls(sandbox) == 2


def test_request_platform_error_ends_failed_with_portuguese_message(
    attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    integration_on(branch, sandbox, interval_days=30)
    query = request_query(attendant, branch, PLATFORM_ERROR_CPF)
    assert (query.status, query.error_code, query.billed, query.cost) == (
        QueryStatus.FAILED,
        "CN_GER001.E0",
        Billed.NO,
        Decimal("0.00"),
    )
    assert query.error_message == (
        "O SPC Brasil teve um erro interno. Tente novamente em alguns minutos."
    )
    # A failed query does not start the interval: the next attempt goes to the platform.
    again = request_query(attendant, branch, PLATFORM_ERROR_CPF)
    assert again.status == QueryStatus.FAILED


@pytest.mark.parametrize("mode", ["http500", "malformed", "auth"])
def test_request_fault_ends_failed_never_500(
    attendant: User, branch: Branch, sandbox: RunningSandbox, mode: str
) -> None:
    integration_on(branch, sandbox)
    inject_fault(sandbox, "spcbrasil", mode)
    query = request_query(attendant, branch, CLEAN_CPF)
    assert query.status == QueryStatus.FAILED
    assert query.error_message != "" and query.error_code != ""


def test_request_read_timeout_fails_billed_unknown_with_one_call(
    attendant: User, branch: Branch, sandbox: RunningSandbox, settings: Any
) -> None:
    settings.PROVIDER_READ_TIMEOUT = 0.5
    integration_on(branch, sandbox, cost="10.00")
    inject_fault(sandbox, "spcbrasil", "timeout", latency_ms=1500)
    query = request_query(attendant, branch, CLEAN_CPF)
    assert (query.status, query.billed, query.cost) == (
        QueryStatus.FAILED,
        Billed.UNKNOWN,
        Decimal("10.00"),
    )
    assert billed_calls(sandbox) == 1


def test_request_joins_query_in_flight(
    attendant: User, seller: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    integration_on(branch, sandbox)
    running = CreditQuery.objects.create(
        subject_type=SubjectType.DOCUMENT,
        document=CLEAN_CPF,
        person_type="F",
        branch=branch,
        user=attendant,
        status=QueryStatus.RUNNING,
        started_at=timezone.now(),
    )
    outcome = credit_query_request(
        subject=subject_from_document(CLEAN_CPF), branch=branch, user=seller
    )
    assert (outcome.joined, outcome.query) == (True, running)
    assert ledger(sandbox) == []


def test_run_twice_calls_platform_once(
    attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    integration_on(branch, sandbox)
    query = request_query(attendant, branch, CLEAN_CPF)
    credit_query_run(query_id=query.pk)  # a duplicate delivery of the task
    assert billed_calls(sandbox) == 1


def test_run_stale_running_query_closed_as_interrupted(
    attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    connect_branch(branch, sandbox)
    query = CreditQuery.objects.create(
        subject_type=SubjectType.DOCUMENT,
        document=CLEAN_CPF,
        person_type="F",
        branch=branch,
        user=attendant,
        status=QueryStatus.RUNNING,
        started_at=timezone.now() - STALE_RUNNING_AFTER - dt.timedelta(seconds=1),
    )
    credit_query_run(query_id=query.pk)
    query.refresh_from_db()
    assert (query.status, query.error_code, query.billed) == (
        QueryStatus.FAILED,
        "interrupted",
        Billed.UNKNOWN,
    )
    assert ledger(sandbox) == []


# --- The platform chosen on the query page ----------------------------------------------------


def test_request_uses_the_chosen_active_integration_of_the_branch(
    attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    chosen = integration_on(branch, sandbox, "soawebservice", cost="7.00")
    connect_branch(branch, sandbox, "spcbrasil", cost="12.50")  # the default

    query = request_query(attendant, branch, CLEAN_CPF, platform="soawebservice")

    assert (query.status, query.integration, query.platform, query.cost) == (
        QueryStatus.SUCCEEDED,
        chosen,
        "soawebservice",
        Decimal("7.00"),
    )
    assert [call["platform"] for call in ledger(sandbox) if call["billed"]] == ["soawebservice"]


def test_request_without_platform_uses_the_default_integration(
    attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    integration_on(branch, sandbox, "soawebservice", cost="7.00")
    default = connect_branch(branch, sandbox, "spcbrasil", cost="12.50")

    query = request_query(attendant, branch, CLEAN_CPF)

    assert (query.integration, query.cost) == (default, Decimal("12.50"))


@pytest.mark.parametrize("case", ["inactive", "other_branch", "not_connected"])
def test_request_platform_not_active_in_the_branch_refused_without_call(
    attendant: User, branch: Branch, other_branch: Branch, sandbox: RunningSandbox, case: str
) -> None:
    integration_on(branch, sandbox, "spcbrasil")
    if case == "inactive":
        inactive = connect_branch(branch, sandbox, "connectsa")
        inactive.active = False
        inactive.is_default = False
        inactive.save()
    elif case == "other_branch":
        connect_branch(other_branch, sandbox, "connectsa")

    refusal = refusal_of(lambda: request_query(attendant, branch, CLEAN_CPF, platform="connectsa"))

    assert (refusal.code, refusal.message) == (
        RefusalCode.BRANCH_WITHOUT_INTEGRATION,
        "A filial Filial São Paulo não tem integração ativa com ConnectSA.",
    )
    assert refusal.query.status == QueryStatus.REFUSED
    assert ledger(sandbox) == []
