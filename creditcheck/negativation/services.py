"""Negativação: inclusion and removal at the bureaus, with the law's deadlines.

One state machine (negativation_set_status) records every transition as an event, under the
row lock. Requests are stored before they are sent (outbox) and sent by tasks; a retry after any
crash re-sends, and the platform's "duplicate" answer counts as success keeping its id, so a debt
is registered once.

Every refusal is a NegativationRefused (negativation/refusals.py). While "Utiliza integração
com análise de crédito" is off, every action is refused (inclusion, batch, retry, removal asked
by staff, status refresh, polling, the daily sweep); what the law requires goes on regardless:
the removal of a debt no longer owed (paid, cancelled, renegotiated, disputed) or 5 years old,
and the sending of what was already accepted.
"""

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from creditcheck.contracts.enums import InvoiceStatus
from creditcheck.contracts.models import Invoice
from creditcheck.core import events
from creditcheck.core.audit import audit_record
from creditcheck.core.dispatch import enqueue
from creditcheck.core.enums import AuditAction
from creditcheck.core.formatting import money
from creditcheck.core.models import Branch
from creditcheck.integrations.models import BranchIntegration
from creditcheck.integrations.services import adapter_for
from creditcheck.negativation.actions import state_refusal
from creditcheck.negativation.deadlines import expiry_date, removal_deadline
from creditcheck.negativation.eligibility import (
    branch_rules,
    eligibility_context,
    eligible_invoices,
    inclusion_integration,
    inclusion_integrations,
    ineligibility_reasons,
    require_integration_enabled,
)
from creditcheck.negativation.enums import (
    LIVE,
    REGISTERED,
    REMOVAL_TARGET,
    TRANSITIONS,
    InclusionReason,
    NegativationAction,
    NegativationStatus,
    RemovalReason,
)
from creditcheck.negativation.models import (
    BranchNegativationSettings,
    Negativation,
    NegativationEvent,
    SweepRequest,
)
from creditcheck.negativation.refusals import (
    InclusionFieldCode,
    Ineligibility,
    IneligibilityCode,
    NegativationRefused,
    RefusalCode,
)
from creditcheck.negativation.refusals import message as refusal_message
from creditcheck.negativation.sweep import record_requests
from creditcheck.notices.compliance import NoticeCompliance, notice_compliance
from creditcheck.notices.models import RepaymentPlan
from creditcheck.notices.selectors import notice_rule
from providers.base import (
    Address,
    Debtor,
    InclusionRequest,
    InclusionState,
    OperationNotSupported,
    PersonType,
    ProviderError,
    RecordNotFound,
    RemovalRequest,
)

logger = logging.getLogger(__name__)
S = NegativationStatus

MAX_SEND_ATTEMPTS = 8
SWEEP_BATCH = 1000  # requests per task: few broker messages, short enough tasks
RETRY_BASE = dt.timedelta(minutes=1)


def branch_negativation_settings_save(*, rules: BranchNegativationSettings, user: Any) -> None:
    """Save a branch's automatic-inclusion rules; audited with before/after."""
    fields = ("auto_include", "days_after_due", "min_amount", "run_hour", "integration_id",
              "inclusion_reason_code", "removal_reason_code")  # fmt: skip

    def snapshot(row: BranchNegativationSettings | None) -> dict[str, str]:
        return {name: str(getattr(row, name)) for name in fields} if row else {}

    before = snapshot(BranchNegativationSettings.objects.filter(pk=rules.pk).first())
    rules.save()
    after = snapshot(rules)
    if after != before:
        audit_record(
            action=AuditAction.SETTINGS_CHANGE,
            user=user,
            branch=rules.branch,
            outcome="regras de negativação da filial",
            target=rules,
            details={"before": before, "after": after},
        )


def negativation_lock(pk: int) -> Negativation:
    """The stored negativação `pk`, locked until the caller's transaction ends.

    Every change of state reads the state here, not from the caller's copy: two requests at
    once are serialized, and the second sees what the first did.
    """
    return Negativation.objects.select_for_update(of=("self",)).get(pk=pk)


def _locked_for_attempt(pk: int, status: str) -> Negativation | None:
    """The negativação `pk`, locked, with what a platform call needs, counting one more
    attempt; None when it is no longer in `status` (another worker got there first)."""
    negativation = (
        Negativation.objects.select_for_update()
        .select_related("invoice__contract", "customer", "integration")
        .filter(pk=pk, status=status)
        .first()
    )
    if negativation is not None:
        negativation.attempts += 1
    return negativation


def _copy_row(source: Negativation, target: Negativation) -> None:
    """Give the caller's copy the stored row's values (the caller keeps using its object)."""
    if source is not target:
        for model_field in Negativation._meta.concrete_fields:
            setattr(target, model_field.attname, getattr(source, model_field.attname))


def negativation_topic(pk: int) -> str:
    """Where the status changes of negativação `pk` are announced (creditcheck/core/events.py)."""
    return events.topic("negativation", pk)


def negativation_set_status(
    negativation: Negativation,
    status: str,
    *,
    user: Any = None,
    message: str = "",
    **fields: Any,
) -> Negativation:
    """The one setter of a negativação's state.

    Locks the row and checks the transition against the stored state (TRANSITIONS), so a stale
    copy can never reopen a record; saves `status` and the given `fields` only; records an event
    and an audit entry; then updates `negativation` with the stored row. Raises the
    `invalid_transition` refusal when the stored state does not lead to `status`.
    """
    with transaction.atomic():
        stored = negativation_lock(negativation.pk)
        current = stored.status
        if status not in TRANSITIONS[current]:
            raise NegativationRefused(
                RefusalCode.INVALID_TRANSITION,
                refusal_message(
                    RefusalCode.INVALID_TRANSITION,
                    status=stored.get_status_display().lower(),
                    action=_("não pode passar a %(to)s") % {"to": S(status).label.lower()},
                ),
            )
        for name, value in fields.items():
            setattr(stored, name, value)
        stored.status = status
        stored.save(update_fields=["status", "updated_at", *fields])
        NegativationEvent.objects.create(
            negativation=stored,
            from_status=current,
            to_status=status,
            user=user if getattr(user, "is_authenticated", False) else None,
            message=message,
        )
        _audit(stored, f"{current} → {status}", user=user, message=message)
        # The detail screen waiting on it hears the change after commit.
        events.publish_on_commit(negativation_topic(stored.pk), status)
    _copy_row(stored, negativation)
    return negativation


def _locked_for(negativation: Negativation, action: str) -> Negativation:
    """The stored row, locked, when its state allows `action`; else the `invalid_transition`
    refusal (the state changed since the caller read it, e.g. a parallel request)."""
    stored = negativation_lock(negativation.pk)
    refusal = state_refusal(stored, action)
    if refusal is not None:
        raise refusal
    return stored


def _audit(negativation: Negativation, outcome: str, *, user: Any, **details: Any) -> None:
    audit_record(
        action=AuditAction.NEGATIVATION,
        user=user,
        branch=negativation.branch,
        document=negativation.document,
        outcome=outcome,
        target=negativation,
        details={
            "invoice": negativation.invoice_id,
            "amount": str(negativation.amount),
            "platform": negativation.platform,
            **details,
        },
    )


# ---- inclusion ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class InclusionChoices:
    """What staff chose for one inclusion; None (or "") keeps the default."""

    reason: str = ""  # InclusionReason; "": overdue invoice
    reason_code: str | None = None  # the platform's nature of the debt; None: the branch's
    integration: BranchIntegration | None = None  # None: the branch's inclusion integration
    amount: Decimal | None = None  # None: the invoice's open amount


def open_amount(invoice: Invoice) -> Decimal:
    """What the customer still owes on an invoice: all of it while open (no partial payments)."""
    return invoice.amount if invoice.status == InvoiceStatus.OPEN else Decimal("0.00")


def _field_error(code: str, **params: Any) -> Ineligibility:
    return Ineligibility(code, refusal_message(code, **params))


def inclusion_choices_errors(
    invoice: Invoice, choices: InclusionChoices
) -> dict[str, Ineligibility]:
    """What is wrong with each field of `choices` for `invoice` ({} when nothing is): the one
    check of the screen's form and the API's body."""
    errors: dict[str, Ineligibility] = {}
    if choices.reason and choices.reason not in InclusionReason.values:
        errors["reason"] = _field_error(InclusionFieldCode.REASON_UNKNOWN)
    if choices.amount is not None:
        owed = open_amount(invoice)
        if choices.amount <= 0:
            errors["amount"] = _field_error(InclusionFieldCode.AMOUNT_NOT_POSITIVE)
        elif choices.amount > owed:
            errors["amount"] = _field_error(InclusionFieldCode.AMOUNT_ABOVE_OPEN, open=money(owed))
    integration = choices.integration
    if integration is not None and not (
        inclusion_integrations(invoice.contract.branch).filter(pk=integration.pk).exists()
    ):
        errors["integration"] = _field_error(InclusionFieldCode.INTEGRATION_NOT_ALLOWED)
    return errors


def negativation_include(
    *,
    invoice: Invoice,
    user: Any = None,
    automatic: bool = False,
    today: dt.date | None = None,
    choices: InclusionChoices | None = None,
) -> Negativation:
    """Request the inclusion of an invoice's debt. Stored now, sent by a task after commit.

    Raises NegativationRefused with every reason when the invoice is not eligible:
    `integration_disabled` while the flag is off, else `not_eligible`; `invalid_request`, with
    the `errors` of each field, when `choices` (reason, nature, integration, amount: none of
    them above zero and within the open amount, an active including integration of the branch)
    do not fit the invoice.
    """
    reasons = ineligibility_reasons(invoice, today)
    if reasons:
        disabled = any(r.code == IneligibilityCode.INTEGRATION_DISABLED for r in reasons)
        code = RefusalCode.INTEGRATION_DISABLED if disabled else RefusalCode.NOT_ELIGIBLE
        raise NegativationRefused(code, reasons=reasons)
    choices = choices or InclusionChoices()
    if errors := inclusion_choices_errors(invoice, choices):
        raise NegativationRefused(RefusalCode.INVALID_REQUEST, errors=errors)
    notice = notice_compliance(invoice, today or timezone.localdate())
    contract = invoice.contract
    rules = branch_rules(contract.branch_id)
    integration = choices.integration or inclusion_integration(contract.branch)
    assert integration is not None  # ineligibility_reasons checked it
    reason_code = choices.reason_code
    if reason_code is None:
        reason_code = rules.inclusion_reason_code
    try:
        with transaction.atomic():
            negativation = Negativation.objects.create(
                invoice=invoice,
                customer=contract.customer,
                branch=contract.branch,
                integration=integration,
                platform=integration.platform,
                document=contract.customer.document,
                amount=invoice.amount if choices.amount is None else choices.amount,
                due_date=invoice.due_date,
                reason_code=reason_code,
                reason=choices.reason or InclusionReason.OVERDUE,
                automatic=automatic,
                requested_by=user if user and user.is_authenticated else None,
                **_notice_fields(notice),
            )
            how = _("Inclusão automática") if automatic else _("Inclusão manual")
            NegativationEvent.objects.create(
                negativation=negativation,
                to_status=negativation.status,
                user=negativation.requested_by,
                message=f"{how}. {_notice_message(notice)}",
            )
            _audit(
                negativation,
                "solicitada" if notice.satisfied else "aguardando prazo do comunicado",
                user=negativation.requested_by,
                automatic=automatic,
                notice=negativation.notice_id,
            )
    except IntegrityError:  # another request for the same invoice won the race
        already = IneligibilityCode.ALREADY_NEGATIVATED
        raise NegativationRefused(
            RefusalCode.NOT_ELIGIBLE, reasons=[Ineligibility(already, refusal_message(already))]
        ) from None
    if notice.satisfied:
        enqueue_send([negativation.pk])
    return negativation


def _notice_fields(notice: NoticeCompliance) -> dict[str, Any]:
    """A new negativação's state and notice fields: sent only once the UF's rule is met."""
    if notice.satisfied:
        return {"status": S.REQUESTED, "notice": notice.notice, "notice_met_on": notice.met_on}
    return {
        "status": S.NOTICE_PENDING,
        "error_code": "notice_undelivered" if notice.blocked else "",
        "error_message": notice.reason,
    }


def _notice_message(notice: NoticeCompliance) -> str:
    if notice.satisfied:
        assert notice.notice is not None and notice.met_on is not None
        return _("Comunicado %(notice)s cumpriu a regra de %(state)s em %(day)s.") % {
            "notice": notice.notice,
            "state": notice.rule.state,
            "day": notice.met_on.strftime("%d/%m/%Y"),
        }
    return _("Aguardando prazo do comunicado: %(reason)s") % {"reason": notice.reason}


def negativation_release_noticed(
    *, today: dt.date | None = None, negativation_ids: list[int] | None = None
) -> int:
    """Send the negativações waiting for their notice whose UF rule is now met; the others keep
    waiting, with the reason (a bounced notice, the day the period ends) shown to the staff.

    Periodic (task_negativation_maintenance). Not gated by the integration flag: these were
    accepted already, like the sends of requested ones. Returns how many were released.
    """
    today = today or timezone.localdate()
    pending = Negativation.objects.filter(status=S.NOTICE_PENDING)
    if negativation_ids is not None:
        pending = pending.filter(pk__in=negativation_ids)
    released = []
    for negativation in pending.select_related("invoice__contract__customer"):
        notice = notice_compliance(negativation.invoice, today)
        if not notice.satisfied:
            code = "notice_undelivered" if notice.blocked else ""
            if (negativation.error_code, negativation.error_message) != (code, notice.reason):
                Negativation.objects.filter(pk=negativation.pk, status=S.NOTICE_PENDING).update(
                    error_code=code, error_message=notice.reason, updated_at=timezone.now()
                )
            continue
        try:
            negativation_set_status(
                negativation,
                S.REQUESTED,
                message=_notice_message(notice),
                notice=notice.notice,
                notice_met_on=notice.met_on,
                error_code="",
                error_message="",
            )
        except NegativationRefused:
            continue  # withdrawn meanwhile (paid, removal asked for)
        released.append(negativation.pk)
    if released:
        enqueue_send(released)
    return len(released)


@dataclass
class BatchOutcome:
    """What a batch did: the items acted on, and each refused one with its refusal."""

    done: list[Any] = field(default_factory=list)
    refused: list[tuple[Any, NegativationRefused]] = field(default_factory=list)


def negativation_include_batch(*, invoices: Iterable[Invoice], user: Any) -> BatchOutcome:
    """ "Negativar selecionadas": one inclusion request per invoice, each with every rule.

    Raises the `integration_disabled` refusal while the flag is off (nothing is requested).
    """
    require_integration_enabled()
    outcome = BatchOutcome()
    for invoice in invoices:
        try:
            outcome.done.append(negativation_include(invoice=invoice, user=user))
        except NegativationRefused as refusal:
            outcome.refused.append((invoice, refusal))
    return outcome


def enqueue_send(negativation_ids: list[int]) -> None:
    from creditcheck.negativation.tasks import task_send_negativations

    ids = list(negativation_ids)
    transaction.on_commit(lambda: enqueue(task_send_negativations, negativation_ids=ids))


def inclusion_request(negativation: Negativation) -> InclusionRequest:
    invoice = negativation.invoice
    contract = invoice.contract
    customer = negativation.customer
    return InclusionRequest(
        debtor=Debtor(
            document=negativation.document,
            person_type=PersonType(customer.person_type),
            name=customer.name,
            birth_date=customer.birth_date,
            phone=customer.phone,
            address=Address(
                cep=customer.cep,
                street=customer.street,
                number=customer.number,
                district=customer.district,
                city=customer.city,
                state=customer.state,
                complement=customer.complement,
            ),
        ),
        contract_number=f"CT{contract.pk}",
        our_number=invoice.number,
        purchase_date=contract.start_date,
        due_date=negativation.due_date,
        amount=negativation.amount,
        reason_code=negativation.reason_code,
    )


def negativation_send(*, negativation_id: int) -> None:
    """Send a requested inclusion to the platform (idempotent).

    The row is locked while sending so two workers never send it at once; a crash after the
    platform registered it leaves it "requested", and the next send gets the platform's
    duplicate answer, which counts as success. Retryable failures stay "requested" with a later
    next_attempt_at; others end "failed" (retryable by staff) with the platform's message.
    """
    with transaction.atomic():
        negativation = _locked_for_attempt(negativation_id, S.REQUESTED)
        if negativation is None:
            return
        try:
            receipt = adapter_for(negativation.integration).include(inclusion_request(negativation))
        except ProviderError as exc:
            _send_failed(negativation, exc)
            return
        now = timezone.now()
        rule = notice_rule(negativation.customer.state)
        message = (
            _("Registro já existia na plataforma (mantido o mesmo).")
            if receipt.duplicate
            else _("Aceita pela plataforma.")
        )
        negativation_set_status(
            negativation,
            S.SENT,
            message=message,
            attempts=negativation.attempts,
            platform_id=receipt.platform_id,
            sent_at=now,
            error_code="",
            error_message="",
            next_attempt_at=None,
            visible_on=rule.met_on(timezone.localdate(now)),
        )
        if receipt.state == InclusionState.ACTIVE:
            negativation_set_status(negativation, S.ACTIVE, active_at=now)
        else:
            negativation_set_status(
                negativation,
                S.AWAITING_NOTICE,
                message=_("Aguardando o prazo de comunicado ao devedor (%(rule)s).")
                % {"rule": rule.describe()},
            )
    _remove_if_no_longer_owed(negativation)


# What a failed attempt changes (the state stays): saved alone, never the whole row.
ATTEMPT_FIELDS = ["attempts", "error_code", "error_message", "next_attempt_at", "updated_at"]


def _attempt_failed(negativation: Negativation, exc: ProviderError, delay: dt.timedelta) -> None:
    """Keep a locked negativação's state, record the error and when to try again."""
    negativation.error_code = (exc.code or type(exc).__name__)[:60]
    negativation.error_message = exc.user_message
    negativation.next_attempt_at = timezone.now() + delay
    negativation.save(update_fields=ATTEMPT_FIELDS)
    logger.warning(
        "negativation %s %s failed (%s), retry in %s",
        negativation.pk,
        negativation.status,
        negativation.error_code,
        delay,
    )


def _send_failed(negativation: Negativation, exc: ProviderError) -> None:
    if exc.retryable and negativation.attempts < MAX_SEND_ATTEMPTS:
        _attempt_failed(negativation, exc, RETRY_BASE * (2 ** (negativation.attempts - 1)))
        return
    negativation_set_status(
        negativation,
        S.FAILED,
        message=exc.user_message,
        attempts=negativation.attempts,
        error_code=(exc.code or type(exc).__name__)[:60],
        error_message=exc.user_message,
        next_attempt_at=None,
    )


def negativation_retry(*, negativation: Negativation, user: Any) -> Negativation:
    """Staff retry of a failed inclusion, sent again by a task after commit.

    Raises NegativationRefused: `integration_disabled` while the flag is off,
    `invalid_transition` when the stored record has not failed (e.g. retried meanwhile).
    """
    require_integration_enabled()
    with transaction.atomic():
        stored = _locked_for(negativation, NegativationAction.RETRY)
        negativation_set_status(
            stored, S.REQUESTED, user=user, attempts=0, message=_("Nova tentativa solicitada.")
        )
        enqueue_send([stored.pk])
    _copy_row(stored, negativation)
    return negativation


# ---- removal -----------------------------------------------------------------------------------


def negativation_request_removal(
    *,
    negativation: Negativation,
    reason: str,
    user: Any,
    platform_code: str = "",
) -> Negativation:
    """Staff's "Solicitar baixa" (screens, batch, API), with its legal deadline from today.

    A request not yet sent is withdrawn instead (nothing to remove at the platform). Raises
    NegativationRefused: `integration_disabled` while the flag is off, `invalid_transition`
    when the stored record has nothing to remove (of two requests at once, the second).
    """
    require_integration_enabled()
    return _removal(
        negativation=negativation, reason=reason, user=user, platform_code=platform_code
    )


def _removal(
    *,
    negativation: Negativation,
    reason: str,
    user: Any = None,
    paid_on: dt.date | None = None,
    platform_code: str = "",
) -> Negativation:
    """Ask for the removal (baixa) under the row lock: the stored state decides (REMOVAL_TARGET).

    The removal itself is sent by a task after commit. Raises the `invalid_transition` refusal
    when the stored record has nothing to remove. Not gated by the integration flag: the law's
    removals (payment, cancellation, dispute, 5 years) call it directly.
    """
    with transaction.atomic():
        stored = _locked_for(negativation, NegativationAction.REMOVE)
        label = RemovalReason(reason).label
        if REMOVAL_TARGET[stored.status] == S.REJECTED:
            negativation_set_status(
                stored,
                S.REJECTED,
                user=user,
                message=_("Inclusão cancelada antes do envio: %(reason)s") % {"reason": label},
                removal_reason=reason,
            )
        else:
            start = paid_on or timezone.localdate()
            deadline = removal_deadline(start, stored.customer.state)
            # The platform's own "motivo de baixa": the one chosen, the branch's, or (empty)
            # the platform's default, which every adapter maps to payment/settlement.
            code = platform_code or branch_rules(stored.branch_id).removal_reason_code
            negativation_set_status(
                stored,
                S.REMOVAL_REQUESTED,
                user=user,
                message=_("Baixa solicitada: %(reason)s. Prazo legal: %(deadline)s.")
                % {"reason": label, "deadline": deadline.strftime("%d/%m/%Y")},
                removal_reason=reason,
                removal_platform_code=code,
                removal_requested_at=timezone.now(),
                removal_deadline=deadline,
                attempts=0,
                next_attempt_at=None,
                error_code="",
                error_message="",
            )
            enqueue_remove([stored.pk])
    _copy_row(stored, negativation)
    return negativation


def enqueue_remove(negativation_ids: list[int]) -> None:
    from creditcheck.negativation.tasks import task_remove_negativations

    ids = list(negativation_ids)
    transaction.on_commit(lambda: enqueue(task_remove_negativations, negativation_ids=ids))


def negativation_remove_at_platform(*, negativation_id: int) -> None:
    """Send a requested removal to the platform (idempotent: "not found" means already gone)."""
    with transaction.atomic():
        negativation = _locked_for_attempt(negativation_id, S.REMOVAL_REQUESTED)
        if negativation is None:
            return
        request = RemovalRequest(
            platform_id=negativation.platform_id,
            inclusion=inclusion_request(negativation),
            reason_code=negativation.removal_platform_code,
            removal_date=timezone.localdate(),
        )
        try:
            adapter_for(negativation.integration).remove(request)
        except RecordNotFound:
            message = _("A plataforma não tem mais o registro: considerado baixado.")
        except ProviderError as exc:
            _attempt_failed(
                negativation, exc, RETRY_BASE * (2 ** min(negativation.attempts - 1, 6))
            )
            return
        else:
            message = _("Baixa confirmada pela plataforma.")
        negativation_set_status(
            negativation,
            S.REMOVED,
            message=message,
            attempts=negativation.attempts,
            removed_at=timezone.now(),
            error_code="",
            error_message="",
            next_attempt_at=None,
        )


def negativation_on_invoice_change(*, invoice: Invoice, user: Any = None) -> None:
    """Removal the moment an invoice stops being owed: paid, cancelled, renegotiated, disputed."""
    reason = removal_reason_for(invoice)
    if reason is None:
        return
    paid_on = invoice.paid_at if reason == RemovalReason.PAID else None
    for negativation in Negativation.objects.filter(invoice=invoice, status__in=LIVE).exclude(
        status=S.REMOVAL_REQUESTED
    ):
        try:
            _removal(negativation=negativation, reason=reason, user=user, paid_on=paid_on)
        except NegativationRefused:
            continue  # its removal was asked for meanwhile (another path got the lock first)


def removal_reason_for(invoice: Invoice) -> str | None:
    if invoice.status == InvoiceStatus.PAID:
        return RemovalReason.PAID
    if invoice.status == InvoiceStatus.CANCELLED:
        return RemovalReason.CANCELLED
    if invoice.status == InvoiceStatus.RENEGOTIATED:
        return RemovalReason.RENEGOTIATED
    if invoice.disputed:
        return RemovalReason.DISPUTED
    return None


def _remove_if_no_longer_owed(negativation: Negativation) -> None:
    """An invoice paid while its inclusion was being sent is removed right after."""
    invoice = Invoice.objects.get(pk=negativation.invoice_id)
    negativation.refresh_from_db()
    if negativation.status in REGISTERED and removal_reason_for(invoice) is not None:
        negativation_on_invoice_change(invoice=invoice)


# ---- periodic jobs -----------------------------------------------------------------------------


def negativation_poll(
    *, now: dt.datetime | None = None, negativation_ids: list[int] | None = None
) -> int:
    """Move records awaiting notice to active when the platform (or the notice period) says so.

    Platforms without a status operation (SPC) become active when the notice period of the
    debtor's state has passed. `negativation_ids` limits it to those records ("Atualizar
    situação"). Returns how many records changed. Raises the `integration_disabled` refusal
    while the flag is off (no platform is asked).
    """
    require_integration_enabled()
    now = now or timezone.now()
    changed = 0
    awaiting = Negativation.objects.filter(status=S.AWAITING_NOTICE)
    if negativation_ids is not None:
        awaiting = awaiting.filter(pk__in=negativation_ids)
    for negativation in awaiting.select_related("integration", "invoice__contract", "customer"):
        try:
            status = adapter_for(negativation.integration).inclusion_status(
                negativation.platform_id, inclusion_request(negativation)
            )
            active = status.state == InclusionState.ACTIVE
        except OperationNotSupported:
            active = (
                negativation.visible_on is not None
                and timezone.localdate(now) >= negativation.visible_on
            )
        except ProviderError as exc:
            logger.warning("negativation %s status check failed: %s", negativation.pk, exc.code)
            continue
        if not active:
            continue
        try:
            negativation_set_status(
                negativation,
                S.ACTIVE,
                active_at=now,
                message=_("Prazo de comunicado cumprido: registro visível."),
            )
        except NegativationRefused:
            continue  # moved on while the platform was asked (e.g. its removal was requested)
        changed += 1
    return changed


def negativation_refresh(*, negativation: Negativation) -> Negativation:
    """ "Atualizar situação": ask the platform now, as the periodic polling does.

    Raises NegativationRefused: `integration_disabled` while the flag is off,
    `invalid_transition` when the stored record is not awaiting the notice.
    """
    require_integration_enabled()
    stored = Negativation.objects.get(pk=negativation.pk)
    refusal = state_refusal(stored, NegativationAction.REFRESH)
    if refusal is not None:
        raise refusal
    negativation_poll(negativation_ids=[stored.pk])
    negativation.refresh_from_db()
    return negativation


def negativation_retry_due(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Re-enqueue sends and removals whose retry time has come (and stuck ones)."""
    now = now or timezone.now()
    sends = list(
        Negativation.objects.filter(status=S.REQUESTED)
        .filter(next_attempt_at__lte=now)
        .values_list("pk", flat=True)
    )
    removals = list(
        Negativation.objects.filter(status=S.REMOVAL_REQUESTED)
        .filter(next_attempt_at__lte=now)
        .values_list("pk", flat=True)
    )
    # Requests left behind by a crashed worker (never attempted, older than a few minutes).
    stale = now - dt.timedelta(minutes=5)
    sends += list(
        Negativation.objects.filter(
            status=S.REQUESTED, next_attempt_at__isnull=True, updated_at__lt=stale
        ).values_list("pk", flat=True)
    )
    removals += list(
        Negativation.objects.filter(
            status=S.REMOVAL_REQUESTED,
            next_attempt_at__isnull=True,
            updated_at__lt=stale,
        ).values_list("pk", flat=True)
    )
    stuck = SweepRequest.objects.filter(processed_at__isnull=True, created_at__lt=stale).aggregate(
        first=Min("id"), last=Max("id")
    )
    if stuck["first"] is not None:
        enqueue_sweep(stuck["first"], stuck["last"])
    if sends:
        enqueue_send(sends)
    if removals:
        enqueue_remove(removals)
    return len(sends), len(removals)


def sweep_requests_purge(*, now: dt.datetime | None = None) -> int:
    """Delete processed sweep requests older than 30 days (their negativações stay)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=30)
    deleted, _ = SweepRequest.objects.filter(processed_at__lt=cutoff).delete()
    return deleted


def negativation_expire(*, today: dt.date | None = None) -> int:
    """Exclude records reaching due date + 5 years (CDC art. 43 §1; Súmula 323)."""
    today = today or timezone.localdate()
    count = 0
    for negativation in Negativation.objects.filter(status__in=REGISTERED).select_related(
        "customer"
    ):
        if expiry_date(negativation.due_date) <= today:
            try:
                _removal(negativation=negativation, reason=RemovalReason.EXPIRED, paid_on=today)
            except NegativationRefused:
                continue  # its removal was asked for meanwhile
            count += 1
    return count


def negativation_remove_for_plans(*, today: dt.date | None = None) -> int:
    """Superendividamento: the negativações of debts in a repayment plan in force.

    Those not (yet) registered at a platform are withdrawn at once; registered ones get their
    removal requested from the plan's `removal_on` date on. Periodic (task_repayment_plan_
    removals) and right after a plan is recorded. Not gated by the integration flag: the law's.
    Returns how many removals (or withdrawals) were asked for.
    """
    today = today or timezone.localdate()
    plans = RepaymentPlan.objects.filter(ends_on__gte=today)
    candidates = (
        Negativation.objects.filter(status__in=LIVE, invoice__repayment_plans__in=plans)
        .exclude(status=S.REMOVAL_REQUESTED)
        .select_related("customer")
        .distinct()
    )
    count = 0
    for negativation in candidates:
        due = plans.filter(invoices=negativation.invoice_id, removal_on__lte=today).exists()
        if negativation.status in REGISTERED and not due:
            continue  # registered: removed on the plan's date
        try:
            _removal(negativation=negativation, reason=RemovalReason.REPAYMENT_PLAN)
        except NegativationRefused:
            continue  # its removal was asked for meanwhile
        count += 1
    return count


def negativation_sweep(*, branch: Branch, today: dt.date | None = None) -> int:
    """Daily automatic inclusion: queue every eligible invoice of a branch.

    Records one SweepRequest per eligible invoice in bulk (the outbox), then enqueues their
    processing in slices of the new id range. Returns how many were queued. Raises the
    `integration_disabled` refusal while the flag is off (nothing is queued).
    """
    require_integration_enabled()
    invoices = eligible_invoices(eligibility_context(branch, today))
    queued = record_requests(invoices, branch_id=branch.pk)
    if queued is None:
        return 0
    enqueue_sweep(queued.first_id, queued.last_id)  # one message; the worker slices it
    return queued.count


def enqueue_sweep(first_id: int, last_id: int) -> None:
    from creditcheck.negativation.tasks import task_process_sweep_requests

    transaction.on_commit(
        lambda: enqueue(task_process_sweep_requests, first_id=first_id, last_id=last_id)
    )


def negativation_process_sweep_requests(*, first_id: int, last_id: int) -> None:
    """Process the pending sweep requests with ids in first_id..last_id.

    A range wider than SWEEP_BATCH is split into slices enqueued as tasks of their own, so
    several workers share a large sweep and no task runs for hours.
    """
    if last_id - first_id + 1 > SWEEP_BATCH:
        for start in range(first_id, last_id + 1, SWEEP_BATCH):
            enqueue_sweep(start, min(start + SWEEP_BATCH - 1, last_id))
        return
    pending = SweepRequest.objects.filter(
        id__gte=first_id, id__lte=last_id, processed_at__isnull=True
    ).values_list("id", flat=True)
    for request_id in list(pending):
        negativation_process_sweep_request(request_id=request_id)


def negativation_process_sweep_request(*, request_id: int) -> None:
    """Turn one queued sweep request into a negativação (every rule is checked again)."""
    with transaction.atomic():
        request = (
            SweepRequest.objects.select_for_update(skip_locked=True)
            .filter(pk=request_id, processed_at__isnull=True)
            .first()
        )
        if request is None:
            return
        invoice = (
            Invoice.objects.select_related("contract__customer", "contract__branch")
            .filter(pk=request.invoice_id)
            .first()
        )
        request.processed_at = timezone.now()
        if invoice is None:
            request.outcome = _("Fatura não existe mais.")
        else:
            try:
                request.negativation = negativation_include(invoice=invoice, automatic=True)
                request.outcome = _("Inclusão solicitada.")
            except NegativationRefused as refusal:
                request.outcome = "; ".join(r.message for r in refusal.reasons) or refusal.message
        request.save()


def negativation_batch(
    *,
    action: str,
    negativations: Iterable[Negativation],
    user: Any,
    reason: str = "",
) -> BatchOutcome:
    """ "Solicitar baixa" / "Tentar novamente" on selected negativações, each under its lock.

    A record whose state does not allow the action (or no longer does) is refused on its own
    and the others go on. Raises the `integration_disabled` refusal while the flag is off.
    """
    require_integration_enabled()
    outcome = BatchOutcome()
    for negativation in negativations:
        try:
            if action == NegativationAction.REMOVE:
                negativation_request_removal(negativation=negativation, reason=reason, user=user)
            elif action == NegativationAction.RETRY:
                negativation_retry(negativation=negativation, user=user)
            else:
                raise ValueError(f"no batch action {action!r}")
        except NegativationRefused as refusal:
            outcome.refused.append((negativation, refusal))
        else:
            outcome.done.append(negativation)
    return outcome
