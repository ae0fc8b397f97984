"""Negativação lifecycle against the sandboxes over real HTTP, checked in their records."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
import requests
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from creditcheck.contracts.enums import ContractStatus, InvoiceStatus
from creditcheck.contracts.services import invoice_pay
from creditcheck.core.models import Branch
from creditcheck.integrations.models import BranchIntegration, CreditAnalysisSettings
from creditcheck.integrations.services import adapter_for
from creditcheck.negativation.eligibility import branch_rules, ineligibility_reasons
from creditcheck.negativation.enums import InclusionReason, RemovalReason
from creditcheck.negativation.enums import NegativationStatus as S
from creditcheck.negativation.models import (
    BranchNegativationSettings,
    Negativation,
    SweepRequest,
)
from creditcheck.negativation.refusals import NegativationRefused
from creditcheck.negativation.services import (
    InclusionChoices,
    inclusion_request,
    negativation_batch,
    negativation_expire,
    negativation_include,
    negativation_include_batch,
    negativation_poll,
    negativation_refresh,
    negativation_release_noticed,
    negativation_remove_for_plans,
    negativation_request_removal,
    negativation_retry,
    negativation_retry_due,
    negativation_send,
    negativation_set_status,
    negativation_sweep,
)
from creditcheck.notices.models import RepaymentPlan
from creditcheck.notices.rules import DEFAULT_RULES
from providers.sandbox.server import RunningSandbox
from tests.conftest import Connect
from tests.credit_setup import connect_branch, enable_credit_analysis, integration_on
from tests.negativation.conftest import MakeInvoice
from tests.notice_setup import letter_posted
from tests.sandbox_client import advance_clock, inject_fault, ledger

pytestmark = pytest.mark.django_db(transaction=True)
PLATFORMS = ["spcbrasil", "soawebservice", "connectsa", "creditonamedida"]


def sandbox_records(sandbox: RunningSandbox, platform: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = requests.get(
        f"{sandbox.url}/sandbox/inclusions", timeout=5
    ).json()
    return [i for i in items if i["platform"] == platform]


def statuses(negativation: Negativation) -> list[str]:
    return [event.to_status for event in negativation.events.order_by("at", "id")]


def later(days: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_lifecycle_include_notice_active_pay_removed(
    platform: str,
    financial: User,
    branch: Branch,
    sandbox: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    integration_on(branch, sandbox, platform)
    invoice = make_overdue_invoice(state="SP")

    negativation = negativation_include(invoice=invoice, user=financial)
    negativation.refresh_from_db()
    assert negativation.status == S.AWAITING_NOTICE
    assert negativation.platform_id != ""
    assert negativation.visible_on == timezone.localdate() + dt.timedelta(days=20)  # SP
    records = sandbox_records(sandbox, platform)
    assert [(r["status"], Decimal(r["amount"])) for r in records] == [
        ("pending", Decimal("129.90"))
    ]

    assert negativation_poll(now=later(19)) == 0
    advance_clock(sandbox, 21)
    assert negativation_poll(now=later(21)) == 1
    negativation.refresh_from_db()
    assert negativation.status == S.ACTIVE

    paid_on = timezone.localdate()
    invoice_pay(invoice=invoice, paid_at=paid_on, amount=invoice.amount, user=financial)
    negativation.refresh_from_db()
    assert (negativation.status, negativation.removal_reason) == (S.REMOVED, RemovalReason.PAID)
    assert negativation.removal_deadline is not None and negativation.removal_deadline > paid_on
    assert statuses(negativation) == [
        S.REQUESTED,
        S.SENT,
        S.AWAITING_NOTICE,
        S.ACTIVE,
        S.REMOVAL_REQUESTED,
        S.REMOVED,
    ]
    assert [r["status"] for r in sandbox_records(sandbox, platform)] == ["removed"]


def test_payment_friday_before_carnival_sets_deadline(
    financial: User, branch: Branch, sandbox: RunningSandbox, make_overdue_invoice: MakeInvoice
) -> None:
    integration_on(branch, sandbox, "soawebservice")
    invoice = make_overdue_invoice(state="SP")
    negativation = negativation_include(invoice=invoice, user=financial)
    inject_fault(sandbox, "soawebservice", "http500", count=20)  # keep the removal pending
    # Carnival 2026: Monday 16 and Tuesday 17 February are not business days.
    invoice_pay(
        invoice=invoice, paid_at=dt.date(2026, 2, 13), amount=invoice.amount, user=financial
    )
    negativation.refresh_from_db()
    assert (negativation.status, negativation.removal_deadline) == (
        S.REMOVAL_REQUESTED,
        dt.date(2026, 2, 24),
    )
    assert negativation.error_message != "" and negativation.next_attempt_at is not None


@pytest.mark.parametrize("state,days", [("SP", 20), ("MG", 10)])
def test_notice_period_per_state(
    state: str,
    days: int,
    financial: User,
    branch: Branch,
    sandbox: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    integration_on(branch, sandbox, "soawebservice")
    negativation = negativation_include(invoice=make_overdue_invoice(state=state), user=financial)
    negativation.refresh_from_db()
    assert negativation.visible_on == timezone.localdate() + dt.timedelta(days=days)
    advance_clock(sandbox, days - 1)
    negativation_poll()
    negativation.refresh_from_db()
    assert negativation.status == S.AWAITING_NOTICE
    advance_clock(sandbox, 1.1)
    negativation_poll()
    negativation.refresh_from_db()
    assert negativation.status == S.ACTIVE


@pytest.mark.django_db  # in a transaction: enqueued sends can be held back (a dead worker)
@pytest.mark.parametrize("platform", PLATFORMS)
def test_crash_after_platform_registered_ends_with_one_record(
    platform: str,
    financial: User,
    branch: Branch,
    sandbox: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
    django_capture_on_commit_callbacks: Any,
) -> None:
    integration = integration_on(branch, sandbox, platform)
    invoice = make_overdue_invoice()
    with django_capture_on_commit_callbacks(execute=False):  # the worker dies before sending
        negativation = negativation_include(invoice=invoice, user=financial)
    assert Negativation.objects.get(pk=negativation.pk).status == S.REQUESTED
    # ...or dies after the platform registered the debt but before we stored the answer:
    first = adapter_for(integration).include(inclusion_request(negativation))
    with django_capture_on_commit_callbacks(execute=True):
        assert negativation_retry_due(now=later(1)) == (1, 0)
    negativation.refresh_from_db()
    assert (negativation.status, negativation.platform_id) == (S.AWAITING_NOTICE, first.platform_id)
    assert len(sandbox_records(sandbox, platform)) == 1


@pytest.mark.django_db
def test_crash_between_stored_and_sent_is_sent_once_by_maintenance(
    financial: User,
    branch: Branch,
    sandbox: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
    django_capture_on_commit_callbacks: Any,
) -> None:
    integration_on(branch, sandbox, "spcbrasil")
    with django_capture_on_commit_callbacks(execute=False):
        negativation = negativation_include(invoice=make_overdue_invoice(), user=financial)
    assert negativation_retry_due(now=timezone.now()) == (0, 0)  # too recent to be stuck
    with django_capture_on_commit_callbacks(execute=True):
        assert negativation_retry_due(now=later(1)) == (1, 0)
    with django_capture_on_commit_callbacks(execute=True):
        assert negativation_retry_due(now=later(1)) == (0, 0)  # nothing left: no second send
    negativation.refresh_from_db()
    assert negativation.status == S.AWAITING_NOTICE
    assert len(sandbox_records(sandbox, "spcbrasil")) == 1


@pytest.mark.parametrize("platform", PLATFORMS)
def test_retry_after_timeout_ends_with_one_record(
    platform: str,
    financial: User,
    branch: Branch,
    sandbox: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
    settings: Any,
) -> None:
    settings.PROVIDER_READ_TIMEOUT = 0.5
    integration_on(branch, sandbox, platform)
    inclusion_path = {
        "spcbrasil": "spcWebService",
        "soawebservice": "Inserir",
        "connectsa": "ws_pefin",
        "creditonamedida": "negativacoes",
    }[platform]
    inject_fault(sandbox, platform, "timeout", latency_ms=1500, path=inclusion_path)
    negativation = negativation_include(invoice=make_overdue_invoice(), user=financial)
    negativation.refresh_from_db()
    assert (negativation.status, negativation.attempts) == (S.REQUESTED, 1)
    assert negativation.next_attempt_at is not None
    negativation_retry_due(now=negativation.next_attempt_at)
    negativation.refresh_from_db()
    assert negativation.status == S.AWAITING_NOTICE
    assert len(sandbox_records(sandbox, platform)) == 1


def test_five_year_expiry_removes_record(
    financial: User, branch: Branch, sandbox: RunningSandbox, make_overdue_invoice: MakeInvoice
) -> None:
    integration_on(branch, sandbox, "creditonamedida")
    invoice = make_overdue_invoice(days_overdue=4 * 365 + 300)
    negativation = negativation_include(invoice=invoice, user=financial)
    expires = invoice.due_date.replace(year=invoice.due_date.year + 5)
    assert negativation_expire(today=expires - dt.timedelta(days=1)) == 0
    assert negativation_expire(today=expires) == 1
    negativation.refresh_from_db()
    assert (negativation.status, negativation.removal_reason) == (S.REMOVED, RemovalReason.EXPIRED)


def test_manual_removal_with_reason(
    financial: User, branch: Branch, sandbox: RunningSandbox, make_overdue_invoice: MakeInvoice
) -> None:
    integration_on(branch, sandbox, "spcbrasil")
    negativation = negativation_include(invoice=make_overdue_invoice(), user=financial)
    negativation.refresh_from_db()
    negativation_request_removal(
        negativation=negativation, reason=RemovalReason.ERROR, user=financial
    )
    negativation.refresh_from_db()
    assert (negativation.status, negativation.removal_reason) == (S.REMOVED, RemovalReason.ERROR)
    assert [r["status"] for r in sandbox_records(sandbox, "spcbrasil")] == ["removed"]


@pytest.mark.django_db
def test_dispute_withdraws_unsent_request(
    financial: User,
    branch: Branch,
    sandbox: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
    django_capture_on_commit_callbacks: Any,
) -> None:
    integration_on(branch, sandbox, "spcbrasil")
    invoice = make_overdue_invoice()
    with django_capture_on_commit_callbacks(execute=False):
        negativation = negativation_include(invoice=invoice, user=financial)
    with django_capture_on_commit_callbacks(execute=True):
        invoice.disputed = True
        invoice.save()
    negativation.refresh_from_db()
    assert negativation.status == S.REJECTED
    negativation_send(negativation_id=negativation.pk)
    assert sandbox_records(sandbox, "spcbrasil") == []


def test_second_inclusion_of_same_invoice_refused(
    financial: User, branch: Branch, sandbox: RunningSandbox, make_overdue_invoice: MakeInvoice
) -> None:
    integration_on(branch, sandbox, "spcbrasil")
    invoice = make_overdue_invoice()
    negativation_include(invoice=invoice, user=financial)
    with pytest.raises(NegativationRefused) as caught:
        negativation_include(invoice=invoice, user=financial)
    assert caught.value.code == "not_eligible"
    assert [r.code for r in caught.value.reasons] == ["already_negativated"]


def test_ineligibility_reasons_in_portuguese(
    branch: Branch, sandbox: RunningSandbox, make_overdue_invoice: MakeInvoice
) -> None:
    integration_on(branch, sandbox, "spcbrasil")
    BranchNegativationSettings.objects.create(
        branch=branch, days_after_due=30, min_amount=Decimal("50.00")
    )
    fresh = make_overdue_invoice(days_overdue=5, amount="20.00", street="")
    assert {r.code: r.message for r in ineligibility_reasons(fresh)} == {
        "not_overdue_enough": "Vencida há 5 dia(s); a regra da filial exige 30.",
        "below_minimum": "Valor abaixo do mínimo da filial (R$ 50,00).",
        "incomplete_address": "Endereço incompleto para a carta de comunicado: logradouro.",
    }
    paid = make_overdue_invoice()
    paid.status, paid.paid_at, paid.paid_amount = InvoiceStatus.PAID, paid.due_date, paid.amount
    paid.save()
    assert [r.code for r in ineligibility_reasons(paid)] == ["not_open"]
    old = make_overdue_invoice(days_overdue=5 * 365)
    assert [r.code for r in ineligibility_reasons(old)] == ["too_old"]
    cancelled = make_overdue_invoice(days_overdue=90)
    contract = cancelled.contract
    contract.status, contract.cancelled_at = (
        ContractStatus.CANCELLED,
        cancelled.due_date - dt.timedelta(days=60),
    )
    contract.save()
    assert [r.code for r in ineligibility_reasons(cancelled)] == ["contract_cancelled"]


def test_sweep_includes_every_eligible_invoice_once(
    branch: Branch, other_branch: Branch, sandbox: RunningSandbox, make_overdue_invoice: MakeInvoice
) -> None:
    integration_on(branch, sandbox, "soawebservice")
    BranchNegativationSettings.objects.create(
        branch=branch, auto_include=True, days_after_due=30, min_amount=Decimal("10.00")
    )
    eligible = [make_overdue_invoice(days_overdue=d) for d in (31, 60, 400)]
    make_overdue_invoice(days_overdue=10)  # too recent
    make_overdue_invoice(days_overdue=45, amount="5.00")  # below the minimum
    make_overdue_invoice(days_overdue=45, branch_=other_branch)  # another branch
    assert negativation_sweep(branch=branch) == 3
    requests_ = list(SweepRequest.objects.order_by("invoice_id"))
    assert [r.invoice_id for r in requests_] == sorted(i.pk for i in eligible)
    assert all(r.processed_at and r.outcome == "Inclusão solicitada." for r in requests_)
    swept = Negativation.objects.filter(pk__in=[r.negativation_id for r in requests_])
    assert sorted(n.invoice_id for n in swept) == sorted(i.pk for i in eligible)
    assert {n.status for n in swept} == {S.AWAITING_NOTICE}
    assert all(n.automatic and statuses(n)[0] == S.REQUESTED for n in swept)
    assert negativation_sweep(branch=branch) == 0
    assert len(sandbox_records(sandbox, "soawebservice")) == 3


@pytest.mark.django_db  # in a transaction: the queued processing can be held back (a dead worker)
def test_sweep_request_paid_before_processing_is_not_sent(
    branch: Branch,
    sandbox: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
    django_capture_on_commit_callbacks: Any,
) -> None:
    integration_on(branch, sandbox, "spcbrasil")
    invoice = make_overdue_invoice()
    with django_capture_on_commit_callbacks(execute=False):
        assert negativation_sweep(branch=branch) == 1
    invoice_pay(invoice=invoice, paid_at=timezone.localdate(), amount=invoice.amount, user=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert negativation_retry_due(now=later(1)) == (0, 0)
    request = SweepRequest.objects.get()
    assert request.negativation is None
    assert request.outcome == "A fatura não está em aberto (Paga)."
    assert sandbox_records(sandbox, "spcbrasil") == []


@pytest.mark.django_db
def test_sweep_request_queued_twice_makes_one_negativation(
    branch: Branch,
    sandbox: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
    django_capture_on_commit_callbacks: Any,
) -> None:
    integration_on(branch, sandbox, "spcbrasil")
    make_overdue_invoice()
    with django_capture_on_commit_callbacks(execute=False):  # workers down for a day
        assert negativation_sweep(branch=branch) == 1
        assert negativation_sweep(branch=branch) == 1
    with django_capture_on_commit_callbacks(execute=True):
        negativation_retry_due(now=later(1))
    outcomes = list(SweepRequest.objects.order_by("id").values_list("outcome", flat=True))
    assert outcomes == [
        "Inclusão solicitada.",
        "A fatura já tem uma negativação em andamento.",
    ]
    assert Negativation.objects.count() == 1
    assert len(sandbox_records(sandbox, "spcbrasil")) == 1


def test_sweep_range_wider_than_a_batch_is_sliced(
    branch: Branch,
    sandbox: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import creditcheck.negativation.services as services

    monkeypatch.setattr(services, "SWEEP_BATCH", 2)  # a small batch, so 5 requests need 3 slices
    integration_on(branch, sandbox, "creditonamedida")
    invoices = [make_overdue_invoice(days_overdue=31 + n) for n in range(5)]
    assert negativation_sweep(branch=branch) == 5
    assert not SweepRequest.objects.filter(processed_at__isnull=True).exists()
    assert sorted(Negativation.objects.values_list("invoice_id", flat=True)) == sorted(
        i.pk for i in invoices
    )
    assert len(sandbox_records(sandbox, "creditonamedida")) == 5


# ---- refusals: the flag, the transitions, the row lock -------------------------------------


def refusal(caught: pytest.ExceptionInfo[NegativationRefused]) -> tuple[str, str]:
    return caught.value.code, caught.value.message


def excluir_calls(sandbox: RunningSandbox) -> int:
    return len(ledger(sandbox, platform="soawebservice", operation="Excluir"))


def set_enabled(enabled: bool) -> None:
    CreditAnalysisSettings.objects.filter(pk=1).update(enabled=enabled)


def test_include_while_integration_off_is_refused_with_every_reason(
    financial: User, connect: Connect, make_overdue_invoice: MakeInvoice
) -> None:
    connect("spcbrasil")
    invoice = make_overdue_invoice(days_overdue=5)
    set_enabled(False)

    with pytest.raises(NegativationRefused) as refused:
        negativation_include(invoice=invoice, user=financial)

    assert refused.value.code == "integration_disabled"
    assert [r.code for r in refused.value.reasons] == ["integration_disabled", "not_overdue_enough"]
    assert Negativation.objects.count() == 0


def test_sweep_while_integration_off_queues_nothing(
    branch: Branch, connect: Connect, sandbox: RunningSandbox, make_overdue_invoice: MakeInvoice
) -> None:
    connect("spcbrasil")
    make_overdue_invoice()
    set_enabled(False)

    with pytest.raises(NegativationRefused) as refused:
        negativation_sweep(branch=branch)

    assert refused.value.code == "integration_disabled"
    assert (SweepRequest.objects.count(), Negativation.objects.count()) == (0, 0)
    assert sandbox_records(sandbox, "spcbrasil") == []


def test_sweep_of_branch_without_integration_queues_nothing(
    branch: Branch, make_overdue_invoice: MakeInvoice
) -> None:
    enable_credit_analysis()
    make_overdue_invoice()

    assert negativation_sweep(branch=branch) == 0
    assert SweepRequest.objects.count() == 0


def test_retry_refused_while_off_and_when_not_failed(
    financial: User, connect: Connect, sandbox: RunningSandbox, make_overdue_invoice: MakeInvoice
) -> None:
    connect("soawebservice")
    inject_fault(sandbox, "soawebservice", "auth", count=1)
    failed = negativation_include(invoice=make_overdue_invoice(), user=financial)
    active = negativation_include(invoice=make_overdue_invoice(), user=financial)
    failed.refresh_from_db()
    assert failed.status == S.FAILED
    set_enabled(False)

    with pytest.raises(NegativationRefused) as while_off:
        negativation_retry(negativation=failed, user=financial)
    set_enabled(True)
    with pytest.raises(NegativationRefused) as not_failed:
        negativation_retry(negativation=active, user=financial)

    assert while_off.value.code == "integration_disabled"
    assert refusal(not_failed) == (
        "invalid_transition",
        "Negativação aguardando comunicado: só as que falharam.",
    )
    assert Negativation.objects.get(pk=failed.pk).status == S.FAILED
    assert len(sandbox_records(sandbox, "soawebservice")) == 1  # the active one only


def test_removal_from_a_stale_copy_never_reopens_the_record(
    financial: User, connect: Connect, sandbox: RunningSandbox, make_overdue_invoice: MakeInvoice
) -> None:
    connect("soawebservice")
    negativation = negativation_include(invoice=make_overdue_invoice(), user=financial)
    stale = Negativation.objects.get(pk=negativation.pk)  # read before the removal, by another
    negativation_request_removal(
        negativation=negativation, reason=RemovalReason.PAID, user=financial
    )
    removed = Negativation.objects.get(pk=negativation.pk)
    assert removed.status == S.REMOVED and removed.removed_at is not None

    with pytest.raises(NegativationRefused) as refused:
        negativation_request_removal(negativation=stale, reason=RemovalReason.ERROR, user=financial)

    assert refusal(refused) == ("invalid_transition", "Negativação baixada: nada a baixar.")
    after = Negativation.objects.get(pk=negativation.pk)
    assert (after.status, after.removed_at, after.removal_reason) == (
        S.REMOVED,
        removed.removed_at,
        RemovalReason.PAID,
    )
    assert statuses(after) == [
        S.REQUESTED, S.SENT, S.AWAITING_NOTICE, S.REMOVAL_REQUESTED, S.REMOVED,
    ]  # fmt: skip
    assert excluir_calls(sandbox) == 1


def test_setter_checks_the_stored_state_not_the_callers_copy(
    financial: User, connect: Connect, sandbox: RunningSandbox, make_overdue_invoice: MakeInvoice
) -> None:
    connect("soawebservice")
    negativation = negativation_include(invoice=make_overdue_invoice(), user=financial)
    stale = Negativation.objects.get(pk=negativation.pk)  # awaiting notice, as polling read it
    inject_fault(sandbox, "soawebservice", "http500", count=20)  # keep the removal pending
    negativation_request_removal(
        negativation=negativation, reason=RemovalReason.PAID, user=financial
    )
    pending = Negativation.objects.get(pk=negativation.pk)

    with pytest.raises(NegativationRefused) as refused:
        negativation_set_status(stale, S.ACTIVE, active_at=timezone.now())

    assert refusal(refused) == (
        "invalid_transition",
        "Negativação baixa solicitada: não pode passar a ativa.",
    )
    after = Negativation.objects.get(pk=negativation.pk)
    assert (after.status, after.removal_deadline, after.active_at) == (
        S.REMOVAL_REQUESTED,
        pending.removal_deadline,
        None,
    )


def test_setter_saves_only_the_fields_it_changes(
    financial: User,
    connect: Connect,
    make_overdue_invoice: MakeInvoice,
) -> None:
    connect("spcbrasil")
    negativation = negativation_include(invoice=make_overdue_invoice(), user=financial)
    negativation.refresh_from_db()

    with CaptureQueriesContext(connection) as queries:
        negativation_set_status(negativation, S.ACTIVE, active_at=timezone.now())

    table = 'UPDATE "negativation_negativation"'
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(table)]
    assert [re.findall(r'"(\w+)" = ', sql.split(" WHERE ")[0]) for sql in updates] == [
        ["updated_at", "status", "active_at"]
    ]


def test_payment_while_integration_off_still_removes(
    financial: User, connect: Connect, sandbox: RunningSandbox, make_overdue_invoice: MakeInvoice
) -> None:
    """The law (Súmula 548 do STJ) requires the removal whatever the integration flag says."""
    connect("spcbrasil")
    invoice = make_overdue_invoice()
    negativation = negativation_include(invoice=invoice, user=financial)
    set_enabled(False)

    invoice_pay(
        invoice=invoice, paid_at=timezone.localdate(), amount=invoice.amount, user=financial
    )

    negativation.refresh_from_db()
    assert (negativation.status, negativation.removal_reason) == (S.REMOVED, RemovalReason.PAID)
    assert [r["status"] for r in sandbox_records(sandbox, "spcbrasil")] == ["removed"]


def test_poll_refused_while_off_and_refresh_only_awaiting(
    financial: User, connect: Connect, sandbox: RunningSandbox, make_overdue_invoice: MakeInvoice
) -> None:
    connect("soawebservice")
    negativation = negativation_include(invoice=make_overdue_invoice(state="MG"), user=financial)
    advance_clock(sandbox, 11)
    set_enabled(False)

    with pytest.raises(NegativationRefused) as while_off:
        negativation_poll()
    set_enabled(True)
    refreshed = negativation_refresh(negativation=negativation)
    with pytest.raises(NegativationRefused) as again:
        negativation_refresh(negativation=negativation)

    assert while_off.value.code == "integration_disabled"
    assert refreshed.status == S.ACTIVE
    assert refusal(again) == (
        "invalid_transition",
        "Negativação ativa: só as que aguardam o comunicado.",
    )


def test_batch_acts_on_each_it_may_and_says_why_not_for_the_others(
    financial: User, connect: Connect, make_overdue_invoice: MakeInvoice
) -> None:
    connect("spcbrasil")
    first = negativation_include(invoice=make_overdue_invoice(), user=financial)
    second = negativation_include(invoice=make_overdue_invoice(), user=financial)
    negativation_request_removal(negativation=second, reason=RemovalReason.ERROR, user=financial)

    outcome = negativation_batch(
        action="remove", negativations=[first, second], user=financial, reason="manual"
    )

    assert outcome.done == [first]
    assert [(n, r.code, r.message) for n, r in outcome.refused] == [
        (second, "invalid_transition", "Negativação baixada: nada a baixar.")
    ]
    assert Negativation.objects.get(pk=first.pk).removal_reason == RemovalReason.MANUAL


def test_batches_refused_while_integration_off(
    financial: User, connect: Connect, make_overdue_invoice: MakeInvoice
) -> None:
    connect("spcbrasil")
    invoice = make_overdue_invoice()
    negativation = negativation_include(invoice=make_overdue_invoice(), user=financial)
    set_enabled(False)

    with pytest.raises(NegativationRefused) as removals:
        negativation_batch(action="remove", negativations=[negativation], user=financial)
    with pytest.raises(NegativationRefused) as inclusions:
        negativation_include_batch(invoices=[invoice], user=financial)

    assert (removals.value.code, inclusions.value.code) == (
        "integration_disabled",
        "integration_disabled",
    )
    assert list(Negativation.objects.values_list("pk", "status")) == [
        (negativation.pk, S.AWAITING_NOTICE)
    ]


# ---- what staff choose for one inclusion ----------------------------------------------------


def test_include_with_choices_stores_reason_nature_platform_and_amount(
    financial: User, branch: Branch, sandbox: RunningSandbox, make_overdue_invoice: MakeInvoice
) -> None:
    enable_credit_analysis()
    chosen = connect_branch(branch, sandbox, "spcbrasil")
    connect_branch(branch, sandbox, "soawebservice")  # the default now
    invoice = make_overdue_invoice(amount="129.90")

    negativation = negativation_include(
        invoice=invoice,
        user=financial,
        choices=InclusionChoices(
            reason=InclusionReason.EQUIPMENT,
            reason_code="3",  # SPC's "CONTRATO DE LOCACAO"
            integration=chosen,
            amount=Decimal("100.00"),
        ),
    )

    negativation.refresh_from_db()
    assert (
        negativation.reason,
        negativation.reason_code,
        negativation.integration_id,
        negativation.platform,
        negativation.amount,
    ) == ("equipment", "3", chosen.pk, "spcbrasil", Decimal("100.00"))
    assert [Decimal(r["amount"]) for r in sandbox_records(sandbox, "spcbrasil")] == [
        Decimal("100.00")
    ]


def test_include_without_choices_takes_the_defaults(
    financial: User, branch: Branch, sandbox: RunningSandbox, make_overdue_invoice: MakeInvoice
) -> None:
    enable_credit_analysis()
    default = connect_branch(branch, sandbox, "connectsa")
    rules = branch_rules(branch.pk)
    rules.inclusion_reason_code = "NAT9"
    rules.save()

    negativation = negativation_include(invoice=make_overdue_invoice(), user=financial)

    assert (
        negativation.reason,
        negativation.reason_code,
        negativation.integration_id,
        negativation.amount,
    ) == ("overdue", "NAT9", default.pk, Decimal("129.90"))


@pytest.mark.parametrize(
    ("amount", "field", "code", "text"),
    [
        ("0", "amount", "amount_not_positive", "Informe um valor maior que zero."),
        ("-5.00", "amount", "amount_not_positive", "Informe um valor maior que zero."),
        (
            "129.91",
            "amount",
            "amount_above_open",
            "O valor não pode passar do valor em aberto da fatura (R$ 129,90).",
        ),
    ],
)
def test_include_refuses_an_amount_outside_the_open_amount(
    amount: str,
    field: str,
    code: str,
    text: str,
    financial: User,
    connect: Connect,
    make_overdue_invoice: MakeInvoice,
) -> None:
    connect("spcbrasil")
    invoice = make_overdue_invoice(amount="129.90")

    with pytest.raises(NegativationRefused) as refused:
        negativation_include(
            invoice=invoice, user=financial, choices=InclusionChoices(amount=Decimal(amount))
        )

    assert refused.value.code == "invalid_request"
    assert {k: (e.code, e.message) for k, e in refused.value.errors.items()} == {
        field: (code, text)
    }
    assert Negativation.objects.count() == 0


def test_include_refuses_an_inactive_or_foreign_integration(
    financial: User,
    branch: Branch,
    other_branch: Branch,
    sandbox: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    enable_credit_analysis()
    inactive = connect_branch(branch, sandbox, "spcbrasil")
    connect_branch(branch, sandbox, "soawebservice")
    BranchIntegration.objects.filter(pk=inactive.pk).update(active=False)
    foreign = connect_branch(other_branch, sandbox, "connectsa")
    invoice = make_overdue_invoice()

    for integration in (inactive, foreign):
        with pytest.raises(NegativationRefused) as refused:
            negativation_include(
                invoice=invoice, user=financial, choices=InclusionChoices(integration=integration)
            )
        assert {k: e.message for k, e in refused.value.errors.items()} == {
            "integration": "Escolha uma integração ativa desta filial que faça negativações."
        }
    assert Negativation.objects.count() == 0


# ---- waiting for the debtor's notice (notices/compliance.py) ----------------------------------


def test_inclusion_without_notice_waits_and_nothing_reaches_the_platform(
    financial: User, connect: Connect, sandbox: RunningSandbox, make_overdue_invoice: MakeInvoice
) -> None:
    connect("spcbrasil")
    invoice = make_overdue_invoice(state="PE", noticed=False)

    negativation = negativation_include(invoice=invoice, user=financial)
    released = negativation_release_noticed()

    negativation.refresh_from_db()
    assert (negativation.status, negativation.notice, released) == (S.NOTICE_PENDING, None, 0)
    assert negativation.error_message == (
        "Nenhum comunicado registrado para esta fatura (regra de PE: 10 dias úteis; sem "
        "consentimento: Carta (correio))."
    )
    assert sandbox_records(sandbox, "spcbrasil") == []
    assert statuses(negativation) == [S.NOTICE_PENDING]


def test_pending_inclusion_is_sent_once_the_letter_period_has_passed(
    financial: User, connect: Connect, sandbox: RunningSandbox, make_overdue_invoice: MakeInvoice
) -> None:
    connect("spcbrasil")
    invoice = make_overdue_invoice(state="PE", noticed=False)
    negativation = negativation_include(invoice=invoice, user=financial)
    letter = letter_posted(invoice, days_ago=30)

    released = negativation_release_noticed()

    negativation.refresh_from_db()
    assert released == 1
    assert (negativation.status, negativation.notice, negativation.error_message) == (
        S.AWAITING_NOTICE,
        letter,
        "",
    )
    assert negativation.notice_met_on == DEFAULT_RULES["PE"].met_on(letter.sent_on)
    assert statuses(negativation) == [S.NOTICE_PENDING, S.REQUESTED, S.SENT, S.AWAITING_NOTICE]
    assert len(sandbox_records(sandbox, "spcbrasil")) == 1


def test_pending_inclusion_of_a_paid_invoice_is_withdrawn(
    financial: User, connect: Connect, make_overdue_invoice: MakeInvoice
) -> None:
    connect("spcbrasil")
    invoice = make_overdue_invoice(state="PE", noticed=False)
    negativation = negativation_include(invoice=invoice, user=financial)

    invoice_pay(
        invoice=invoice, paid_at=timezone.localdate(), amount=invoice.amount, user=financial
    )

    negativation.refresh_from_db()
    assert (negativation.status, negativation.removal_reason) == (S.REJECTED, RemovalReason.PAID)


def test_registered_negativation_of_a_plan_debt_is_removed_on_the_plans_date(
    financial: User, connect: Connect, sandbox: RunningSandbox, make_overdue_invoice: MakeInvoice
) -> None:
    connect("spcbrasil")
    invoice = make_overdue_invoice()
    negativation = negativation_include(invoice=invoice, user=financial)
    negativation.refresh_from_db()
    assert negativation.status == S.AWAITING_NOTICE
    today = timezone.localdate()
    plan = RepaymentPlan.objects.create(
        customer=invoice.contract.customer,
        kind="court",
        reference="0001",
        starts_on=today,
        ends_on=today + dt.timedelta(days=365),
        removal_on=today + dt.timedelta(days=3),
    )
    plan.invoices.add(invoice)

    before = negativation_remove_for_plans(today=today + dt.timedelta(days=2))
    call_command("run_scheduled_jobs")  # today: not yet
    negativation.refresh_from_db()
    assert (before, negativation.status) == (0, S.AWAITING_NOTICE)

    on_the_date = negativation_remove_for_plans(today=today + dt.timedelta(days=3))

    negativation.refresh_from_db()
    assert (on_the_date, negativation.status, negativation.removal_reason) == (
        1,
        S.REMOVED,
        RemovalReason.REPAYMENT_PLAN,
    )
    assert [r["status"] for r in sandbox_records(sandbox, "spcbrasil")] == ["removed"]
