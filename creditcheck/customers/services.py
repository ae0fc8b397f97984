"""Customer rules shared by the screens, the API and the CRM's conversion of a prospecção."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from creditcheck.core.models import Branch
from creditcheck.customers.models import Customer

DUPLICATE_CUSTOMER = "duplicate_customer"


class DuplicateCustomer(ValidationError):
    """The branch already has a customer with this CPF/CNPJ: an error of the `document` field
    (code `duplicate_customer`) that keeps the customer found, for the screens to link to."""

    def __init__(self, existing: Customer) -> None:
        self.existing = existing
        self.message_text = _(
            "Já existe um cliente com este CPF/CNPJ nesta filial: %(name)s (cliente nº %(pk)s)."
        ) % {"name": existing.name, "pk": existing.pk}
        super().__init__({"document": ValidationError(self.message_text, code=DUPLICATE_CUSTOMER)})


def customer_check_document(
    *, document: str, branch: Branch | None, customer_id: int | None = None
) -> None:
    """Raise DuplicateCustomer when `branch` has another customer (not `customer_id`, the one
    being edited) with `document` (normalized). Other branches may have it: each branch keeps
    its own record of a person. The database's constraint backs this up under races."""
    if not document or branch is None:
        return
    others = Customer.objects.filter(branch=branch, document=document)
    if customer_id is not None:
        others = others.exclude(pk=customer_id)
    existing = others.order_by("pk").first()
    if existing is not None:
        raise DuplicateCustomer(existing)
