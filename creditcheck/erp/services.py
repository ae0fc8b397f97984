"""What a payment notice does: store it once, pay its invoice, or keep it for a person.

A payment pays the invoice through `contracts.services.invoice_pay` (the one home of what a
payment may be), with the payment's own date; the invoice's post-save rule then asks the
negativação's removal (negativation.services, with the legal deadline and the row lock).
A refund or chargeback is recorded and shown ("Pagamentos a conferir"), never undoing a
payment or a removal: whether the debt is owed again is a person's decision.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creditcheck.contracts.models import Invoice
from creditcheck.contracts.services import invoice_pay
from creditcheck.core.audit import audit_record
from creditcheck.core.enums import AuditAction
from creditcheck.erp.enums import EventKind, EventStatus
from creditcheck.erp.models import PaymentEvent, PaymentSource
from creditcheck.erp.refusals import PaymentMatchRefused
from creditcheck.erp.selectors import invoice_for_notice
from creditcheck.erp.webhooks import Notice


def payment_notices_receive(*, source: PaymentSource, notices: list[Notice]) -> list[PaymentEvent]:
    """Store and apply each notice, each in its own transaction (a Pix batch pays each Pix
    apart). A notice already stored (a redelivery) only counts the delivery."""
    return [_receive(source, notice) for notice in notices]


def _receive(source: PaymentSource, notice: Notice) -> PaymentEvent:
    with transaction.atomic():
        event, created = PaymentEvent.objects.get_or_create(
            source=source,
            event_id=notice.event_id,
            defaults={
                "event_type": notice.event_type,
                "kind": notice.kind,
                "status": EventStatus.IGNORED,
                "reference": notice.reference,
                "amount": notice.amount,
                "paid_on": notice.paid_on,
                "branch_id": source.branch_id,
                "raw": notice.raw,
            },
        )
        if not created:
            PaymentEvent.objects.filter(pk=event.pk).update(
                deliveries=event.deliveries + 1, last_delivery_at=timezone.now()
            )
            return event
        invoice = invoice_for_notice(source, notice) if notice.kind != EventKind.OTHER else None
        if invoice is not None:
            event.invoice = invoice
            event.branch_id = invoice.contract.branch_id
        if notice.kind == EventKind.PAYMENT and invoice is None:
            event.status = EventStatus.UNMATCHED
            event.message = _("Nenhuma fatura com a referência “%(ref)s”.") % {
                "ref": notice.reference or "—"
            }
        elif notice.kind == EventKind.PAYMENT:
            _pay(event, user=None, paid_status=EventStatus.APPLIED)
        elif notice.kind == EventKind.REVERSAL:
            event.status = EventStatus.REVERSAL
            event.message = _reversal_message(invoice)
        event.save()
        _audit(event, user=None)
    return event


def _pay(event: PaymentEvent, *, user: Any, paid_status: str) -> None:
    """Pay `event.invoice` with the event's date and amount; set the event's outcome."""
    assert event.invoice is not None
    if event.paid_on is None or event.amount is None:
        event.status = EventStatus.REFUSED
        event.message = _("O aviso não informa a data ou o valor do pagamento.")
        return
    try:
        invoice_pay(
            invoice=event.invoice,
            paid_at=event.paid_on,
            amount=event.amount,
            user=user,
            via=f"{event.source.name}: {event.event_id}",
        )
    except ValidationError as exc:
        codes = {error.code for errors in exc.error_dict.values() for error in errors}
        event.status = EventStatus.ALREADY_PAID if "not_open" in codes else EventStatus.REFUSED
        event.message = " ".join(exc.messages)[:300]
        return
    event.status = paid_status
    event.message = _("Fatura %(number)s baixada com pagamento de %(day)s.") % {
        "number": event.invoice.number,
        "day": event.paid_on.strftime("%d/%m/%Y"),
    }


def _reversal_message(invoice: Invoice | None) -> str:
    if invoice is None:
        return _("Estorno de um pagamento sem fatura encontrada.")
    return _(
        "Estorno ou chargeback do pagamento da fatura %(number)s: a baixa não foi desfeita; "
        "confira se a dívida volta a existir."
    ) % {"number": invoice.number}


def _audit(event: PaymentEvent, *, user: Any) -> None:
    audit_record(
        action=AuditAction.PAYMENT_EVENT,
        user=user,
        branch=event.branch,
        document=event.invoice.contract.customer.document if event.invoice else "",
        outcome=event.status,
        target=event,
        details={
            "source": event.source.key,
            "event_id": event.event_id,
            "event_type": event.event_type,
            "reference": event.reference,
            "amount": str(event.amount) if event.amount is not None else None,
            "paid_on": event.paid_on.isoformat() if event.paid_on else None,
            "invoice": event.invoice.number if event.invoice else None,
            "message": event.message,
        },
    )


def payment_event_match(*, event: PaymentEvent, invoice: Invoice, user: Any) -> PaymentEvent:
    """A person says which invoice an unmatched payment paid: it is paid as a notice would.

    Raises PaymentMatchRefused (`not_payment`, `not_unmatched`); the payment's own refusals
    (an invoice not open, ...) leave the event unmatched and raise ValidationError.
    """
    with transaction.atomic():
        stored = PaymentEvent.objects.select_for_update().select_related("source").get(pk=event.pk)
        if stored.kind != EventKind.PAYMENT:
            raise PaymentMatchRefused("not_payment")
        if stored.status != EventStatus.UNMATCHED:
            raise PaymentMatchRefused("not_unmatched")
        stored.invoice = invoice
        _pay(stored, user=user, paid_status=EventStatus.MATCHED)
        if stored.status != EventStatus.MATCHED:
            raise ValidationError({"invoice": ValidationError(stored.message, code="not_paid")})
        stored.branch_id = invoice.contract.branch_id
        stored.matched_by = user
        stored.matched_at = timezone.now()
        stored.save()
        _audit(stored, user=user)
    return stored
