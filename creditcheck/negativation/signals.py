"""Invoice changes from any path (screens, API, admin, imports) trigger the removal rule."""

from typing import Any

from django.db import transaction

from creditcheck.contracts.models import Invoice


def invoice_saved(sender: type[Invoice], instance: Invoice, **kwargs: Any) -> None:
    from creditcheck.negativation.services import (
        negativation_on_invoice_change,
        removal_reason_for,
    )

    if removal_reason_for(instance) is None:
        return  # still owed: nothing to remove
    invoice_id = instance.pk
    # After commit: the removal must see the payment as stored, and never undo it on error.
    transaction.on_commit(
        lambda: negativation_on_invoice_change(invoice=Invoice.objects.get(pk=invoice_id))
    )
