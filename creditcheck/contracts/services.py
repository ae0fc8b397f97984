"""Writes of contracts and invoices that carry business meaning."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creditcheck.contracts.enums import InvoiceStatus
from creditcheck.contracts.models import Invoice


def invoice_status_check(current: str | None, wanted: str) -> None:
    """An edit of an invoice (API, admin) may not pay it nor undo its payment.

    Paying is `invoice_pay` (its date rules, who/what paid, the removal); a paid invoice stays
    paid: a refund is recorded beside it (creditcheck/erp), never by reopening it. Raises
    ValidationError on `status` (`use_payment`, `paid_invoice`). `current` is None on create.
    """
    if wanted == InvoiceStatus.PAID and current != InvoiceStatus.PAID:
        message = _(
            "Uma fatura não é paga por edição: registre o pagamento (Registrar pagamento, "
            "ou POST /api/v1/invoices/{id}/pay/)."
        )
        raise ValidationError(message, code="use_payment")
    if current == InvoiceStatus.PAID and wanted != InvoiceStatus.PAID:
        message = _("Uma fatura paga não muda de situação.")
        raise ValidationError(message, code="paid_invoice")


@transaction.atomic
def invoice_pay(
    *, invoice: Invoice, paid_at: dt.date, amount: Decimal, user: Any, via: str = ""
) -> Invoice:
    """Register the payment of an open invoice, recording who registered it (`user`; None for
    the system) and what informed it (`via`: a payment event, a sync, an import; "" when a
    person typed it).

    Refuses (ValidationError with a field and a stable code) an invoice not open (`not_open`),
    an amount not above zero (`invalid_amount`) and a payment date in the future
    (`future_date`): the removal deadline of a negativação counts from it (Súmula 548 do STJ),
    so a later date would push the deadline out.

    Side effect (through the invoice's post-save rule in negativation): any negativação of the
    invoice gets its removal requested with the legal deadline counted from `paid_at`.
    """
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status != InvoiceStatus.OPEN:
        message = _("Só faturas em aberto podem ser pagas (situação: %(status)s).") % {
            "status": invoice.get_status_display()
        }
        raise ValidationError({"status": ValidationError(message, code="not_open")})
    if paid_at > timezone.localdate():
        message = _("A data do pagamento não pode estar no futuro.")
        raise ValidationError({"paid_at": ValidationError(message, code="future_date")})
    if amount <= 0:
        message = _("Informe um valor pago maior que zero.")
        raise ValidationError({"amount": ValidationError(message, code="invalid_amount")})
    invoice.status = InvoiceStatus.PAID
    invoice.paid_at = paid_at
    invoice.paid_amount = amount
    invoice.paid_by = user if getattr(user, "is_authenticated", False) else None
    invoice.paid_via = via[:200]
    invoice.full_clean()
    invoice.save()
    return invoice
