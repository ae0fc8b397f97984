"""CRM > Leads and CRM > Prospecções screens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from creditcheck.analysis.selectors import with_last_query
from creditcheck.core.selectors import scope_to_user
from creditcheck.core.views import FormScreen, can_change_or_deny, filtered_list
from creditcheck.crm.forms import LeadFilterForm, LeadForm, ProspectFilterForm, ProspectForm
from creditcheck.crm.models import Lead, Prospect
from creditcheck.crm.services import lead_convert_to_prospect, prospect_convert_to_customer

LEAD_SCREEN = FormScreen(LeadForm, "crm/lead_form.html", "crm:lead_edit")
PROSPECT_SCREEN = FormScreen(ProspectForm, "crm/prospect_form.html", "crm:prospect_edit")


def _get_lead(request: HttpRequest, pk: int) -> Lead:
    leads = scope_to_user(Lead.objects.select_related("branch"), request.user)
    return get_object_or_404(leads, pk=pk)


def _get_prospect(request: HttpRequest, pk: int) -> Prospect:
    prospects = scope_to_user(
        Prospect.objects.select_related("branch", "lead", "converted_customer"), request.user
    )
    return get_object_or_404(prospects, pk=pk)


@login_required
@permission_required("crm.view_lead", raise_exception=True)
def lead_list(request: HttpRequest) -> HttpResponse:
    leads = scope_to_user(Lead.objects.select_related("branch"), request.user)
    leads = with_last_query(leads, request.user, "lead")
    return filtered_list(request, LeadFilterForm, leads, "crm/lead_list.html")


@login_required
@permission_required("crm.add_lead", raise_exception=True)
@require_http_methods(["GET", "POST"])
def lead_create(request: HttpRequest) -> HttpResponse:
    return LEAD_SCREEN.respond(request, "Lead {record.name} cadastrado.")


@login_required
@permission_required("crm.view_lead", raise_exception=True)
@require_http_methods(["GET", "POST"])
def lead_edit(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _get_lead(request, pk)
    can_change = can_change_or_deny(request, "crm.change_lead")
    context = {"lead": lead, "can_change": can_change, "prospects": lead.prospects.all()}
    return LEAD_SCREEN.respond(request, "Lead salvo.", instance=lead, context=context)


@login_required
@permission_required("crm.add_prospect", raise_exception=True)
@require_POST
def lead_convert(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _get_lead(request, pk)
    try:
        prospect = lead_convert_to_prospect(lead=lead, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("crm:lead_edit", pk=lead.pk)
    messages.success(request, f"Prospecção aberta a partir do lead {lead.name}.")
    return redirect("crm:prospect_edit", pk=prospect.pk)


@login_required
@permission_required("crm.view_prospect", raise_exception=True)
def prospect_list(request: HttpRequest) -> HttpResponse:
    prospects = scope_to_user(
        Prospect.objects.select_related("branch", "converted_customer"), request.user
    )
    prospects = with_last_query(prospects, request.user, "prospect")
    return filtered_list(request, ProspectFilterForm, prospects, "crm/prospect_list.html")


@login_required
@permission_required("crm.add_prospect", raise_exception=True)
@require_http_methods(["GET", "POST"])
def prospect_create(request: HttpRequest) -> HttpResponse:
    return PROSPECT_SCREEN.respond(request, "Prospecção de {record.name} cadastrada.")


@login_required
@permission_required("crm.view_prospect", raise_exception=True)
@require_http_methods(["GET", "POST"])
def prospect_edit(request: HttpRequest, pk: int) -> HttpResponse:
    prospect = _get_prospect(request, pk)
    can_change = can_change_or_deny(request, "crm.change_prospect")
    context = {"prospect": prospect, "can_change": can_change}
    return PROSPECT_SCREEN.respond(request, "Prospecção salva.", instance=prospect, context=context)


@login_required
@permission_required(["crm.change_prospect", "customers.add_customer"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def prospect_convert(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Converter em cliente": a confirmation page (GET) and the conversion itself (POST)."""
    prospect = _get_prospect(request, pk)
    if prospect.converted_customer is not None:
        messages.info(request, "Esta prospecção já foi convertida em cliente.")
        return redirect("customers:edit", pk=prospect.converted_customer.pk)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            customer = prospect_convert_to_customer(prospect=prospect, user=request.user)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        else:
            messages.success(request, f"Cliente {customer.name} criado a partir da prospecção.")
            return redirect("customers:edit", pk=customer.pk)
    return render(
        request,
        "crm/prospect_convert.html",
        {"prospect": prospect, "errors": _labelled_errors(errors)},
    )


def _labelled_errors(errors: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(field label, message) pairs for the error list; errors not tied to a field: no label."""
    labels = {name: str(field.label) for name, field in ProspectForm.base_fields.items()}
    return [
        (labels.get(field, ""), message)
        for field, messages_ in errors.items()
        for message in messages_
    ]
