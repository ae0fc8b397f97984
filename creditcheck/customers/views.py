"""Customer screens: list with search, create, and the edit screen's tabs.

Each tab of the edit screen is its own page sharing `customers/customer_base.html`; later features
add a tab by adding a view here, a template extending that base and an entry in
`customers/includes/customer_tabs.html`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from creditcheck.analysis.selectors import with_last_query
from creditcheck.contracts.models import Contract, Invoice
from creditcheck.core.selectors import scope_to_user
from creditcheck.core.views import FormScreen, can_change_or_deny, filtered_list, requested_page
from creditcheck.customers.forms import CustomerForm, CustomerSearchForm
from creditcheck.customers.models import Customer
from creditcheck.customers.selectors import other_branches_with_document

CUSTOMER_CREATE = FormScreen(CustomerForm, "customers/customer_create.html", "customers:edit")
CUSTOMER_EDIT = FormScreen(CustomerForm, "customers/customer_edit.html", "customers:edit")


def _get_customer(request: HttpRequest, pk: int) -> Customer:
    """The customer if it belongs to one of the user's branches; 404 otherwise."""
    customers = scope_to_user(Customer.objects.select_related("branch"), request.user)
    return get_object_or_404(customers, pk=pk)


def _notice_other_branches(request: HttpRequest, customer: Customer, form: CustomerForm) -> None:
    """After a customer is created: whether other branches have its CPF/CNPJ too."""
    count = other_branches_with_document(customer.document, customer.branch)
    if count:
        where = "outra filial" if count == 1 else f"outras {count} filiais"
        messages.info(request, f"Este CPF/CNPJ também é cliente em {where}.")


def _notice_if_moved(request: HttpRequest, customer: Customer, form: CustomerForm) -> None:
    """After an edit that changed the document or the branch: the same notice."""
    if {"document", "branch"} & set(form.changed_data):
        _notice_other_branches(request, customer, form)


@login_required
@permission_required("customers.view_customer", raise_exception=True)
def customer_list(request: HttpRequest) -> HttpResponse:
    customers = scope_to_user(Customer.objects.select_related("branch"), request.user)
    customers = with_last_query(customers, request.user, "customer")
    return filtered_list(request, CustomerSearchForm, customers, "customers/customer_list.html")


@login_required
@permission_required("customers.add_customer", raise_exception=True)
@require_http_methods(["GET", "POST"])
def customer_create(request: HttpRequest) -> HttpResponse:
    return CUSTOMER_CREATE.respond(
        request, "Cliente {record.name} cadastrado.", after_save=_notice_other_branches
    )


@login_required
@permission_required("customers.view_customer", raise_exception=True)
@require_http_methods(["GET", "POST"])
def customer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The "Dados" tab: the customer's registration form."""
    customer = _get_customer(request, pk)
    can_change = can_change_or_deny(request, "customers.change_customer")
    context = {"customer": customer, "can_change": can_change, "active_tab": "dados"}
    return CUSTOMER_EDIT.respond(
        request,
        "Dados do cliente salvos.",
        instance=customer,
        context=context,
        after_save=_notice_if_moved,
    )


@login_required
@permission_required("customers.view_customer", raise_exception=True)
def customer_contracts(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _get_customer(request, pk)
    contracts = (
        scope_to_user(Contract.objects.filter(customer=customer), request.user)
        .select_related("branch")
        .annotate(invoice_count=Count("invoices"))
    )
    return render(
        request,
        "customers/customer_contracts.html",
        {"customer": customer, "contracts": contracts, "active_tab": "contratos"},
    )


@login_required
@permission_required("customers.view_customer", raise_exception=True)
def customer_invoices(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _get_customer(request, pk)
    invoices = scope_to_user(
        Invoice.objects.filter(contract__customer=customer), request.user, "contract__branch"
    ).select_related("contract")
    return render(
        request,
        "customers/customer_invoices.html",
        {
            "customer": customer,
            "page_obj": requested_page(request, invoices),
            "active_tab": "faturas",
        },
    )
