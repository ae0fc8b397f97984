"""CRM writes: turning a lead into a prospecção and a prospecção into a customer."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from creditcheck.core import documents
from creditcheck.core.selectors import user_can_access_branch
from creditcheck.crm.enums import ProspectStage
from creditcheck.crm.models import Lead, Prospect
from creditcheck.customers.enums import CustomerStatus
from creditcheck.customers.models import Customer
from creditcheck.customers.services import customer_check_document

# Prospect fields copied verbatim into the new customer (same names on both models).
_COPIED_FIELDS = (
    "name",
    "document",
    "phone",
    "email",
    "cep",
    "street",
    "number",
    "complement",
    "district",
    "city",
    "state",
    "branch",
)


@transaction.atomic
def prospect_convert_to_customer(*, prospect: Prospect, user: Any) -> Customer:
    """Create the customer described by a prospecção and mark the prospecção won.

    The person type follows the document (CPF: física, CNPJ: jurídica). Raises ValidationError
    with errors keyed by field name when the prospecção lacks data a customer needs (document,
    address) or was already converted, or when its branch already has a customer with the same
    CPF/CNPJ; PermissionDenied when the user does not work in the prospecção's branch.
    Side effects: one Customer row; the prospecção's stage and converted_customer are updated.
    """
    if not user_can_access_branch(user, prospect.branch):
        raise PermissionDenied
    # Lock the row: a double click must not create two customers.
    prospect = Prospect.objects.select_for_update().select_related("branch").get(pk=prospect.pk)
    if prospect.converted_customer_id is not None:
        raise ValidationError(
            _("Esta prospecção já foi convertida em cliente."), code="already_converted"
        )

    customer = Customer(
        **{field: getattr(prospect, field) for field in _COPIED_FIELDS},
        status=CustomerStatus.ACTIVE,
    )
    customer_check_document(document=documents.normalize(prospect.document), branch=prospect.branch)
    if documents.is_valid(prospect.document):
        customer.person_type = documents.person_type_for(prospect.document)
        customer.full_clean()
    else:
        # Without a valid document there is no person type either; the document error says it.
        customer.full_clean(exclude=["person_type"])

    customer.save()
    prospect.converted_customer = customer
    prospect.stage = ProspectStage.WON
    prospect.save(update_fields=["converted_customer", "stage", "updated_at"])
    return customer


@transaction.atomic
def lead_convert_to_prospect(*, lead: Lead, user: Any) -> Prospect:
    """Open a prospecção from a lead, copying its contact data; the lead stays as it is.

    Raises ValidationError when the lead already has a prospecção, PermissionDenied when the
    user does not work in the lead's branch. Side effects: one Prospect row linked to the lead.
    """
    if not user_can_access_branch(user, lead.branch):
        raise PermissionDenied
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if lead.prospects.exists():
        raise ValidationError(_("Este lead já tem uma prospecção."), code="already_has_prospect")
    return Prospect.objects.create(
        lead=lead,
        name=lead.name,
        document=lead.document,
        phone=lead.phone,
        email=lead.email,
        source=lead.source,
        branch=lead.branch,
        stage=ProspectStage.NEW,
    )
