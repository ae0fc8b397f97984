"""Reads of the ERP and payments app."""

from typing import Any

from django.db.models import QuerySet

from creditcheck.contracts.models import Invoice
from creditcheck.core.selectors import scope_to_user
from creditcheck.erp.models import IxcConnection, PaymentEvent, PaymentSource
from creditcheck.erp.webhooks import Notice


def invoice_for_notice(source: PaymentSource, notice: Notice) -> Invoice | None:
    """The invoice a payment notice names, within the source's branch when it has one.

    A Pix names its charge's txid; the others a reference: the ERP's id of the invoice under
    the source's `invoice_source`, else the invoice number.
    """
    if not notice.reference:
        return None
    invoices = Invoice.objects.select_related("contract")
    if source.branch_id is not None:
        invoices = invoices.filter(contract__branch_id=source.branch_id)
    if notice.by_txid:
        return invoices.filter(pix_txid=notice.reference).first()
    if source.invoice_source:
        found = invoices.filter(
            external_source=source.invoice_source, external_id=notice.reference
        ).first()
        if found is not None:
            return found
    return invoices.filter(number=notice.reference).first()


def payment_events_for(user: Any) -> QuerySet[PaymentEvent]:
    """Events of the user's branches; those of no branch (unmatched, from a source of every
    branch) only to who sees every branch."""
    return scope_to_user(
        PaymentEvent.objects.select_related("source", "invoice__contract__customer", "branch"),
        user,
    )


def ixc_connections_for(user: Any) -> QuerySet[IxcConnection]:
    """The IXC connections whose default branch the user may see, with their last run."""
    return scope_to_user(
        IxcConnection.objects.select_related("default_branch"), user, "default_branch"
    )


def ixc_connections_with_last_run(user: Any) -> list[IxcConnection]:
    """For Configurações > Integrações: each connection with `last_run` (None before any)."""
    connections = list(ixc_connections_for(user))
    for connection in connections:
        connection.last_run = connection.runs.first()  # type: ignore[attr-defined]
    return connections
