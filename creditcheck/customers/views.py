"""Customer screens: list with search, create, and the edit screen's tabs.

Each tab of the edit screen is its own page sharing `customers/customer_base.html`; later features
add a tab by adding a view here, a template extending that base and an entry in
`customers/includes/customer_tabs.html`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from creditcheck.analysis.selectors import with_last_query
from creditcheck.contracts.models import Contract, Invoice
from creditcheck.core.selectors import branches_for, scope_to_user
from creditcheck.core.views import can_change_or_deny, requested_page
from creditcheck.customers.forms import CustomerForm, CustomerSearchForm
from creditcheck.customers.models import Customer


def _get_customer(request: HttpRequest, pk: int) -> Customer:
    """The customer if it belongs to one of the user's branches; 404 otherwise."""
    customers = scope_to_user(Customer.objects.select_related("branch"), request.user)
    return get_object_or_404(customers, pk=pk)


@login_required
@permission_required("customers.view_customer", raise_exception=True)
def customer_list(request: HttpRequest) -> HttpResponse:
    form = CustomerSearchForm(request.GET or None, branches=branches_for(request.user))
    customers = scope_to_user(Customer.objects.select_related("branch"), request.user)
    customers = with_last_query(customers, request.user, "customer")
    page = requested_page(request, form.filter(customers))
    return render(request, "customers/customer_list.html", {"form": form, "page_obj": page})


@login_required
@permission_required("customers.add_customer", raise_exception=True)
@require_http_methods(["GET", "POST"])
def customer_create(request: HttpRequest) -> HttpResponse:
    form = CustomerForm(request.POST or None, branches=branches_for(request.user))
    if request.method == "POST" and form.is_valid():
        customer = form.save()
        messages.success(request, f"Cliente {customer.name} cadastrado.")
        return redirect("customers:edit", pk=customer.pk)
    return render(request, "customers/customer_create.html", {"form": form})


@login_required
@permission_required("customers.view_customer", raise_exception=True)
@require_http_methods(["GET", "POST"])
def customer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The "Dados" tab: the customer's registration form."""
    customer = _get_customer(request, pk)
    can_change = can_change_or_deny(request, "customers.change_customer")
    form = CustomerForm(
        request.POST or None, instance=customer, branches=branches_for(request.user)
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Dados do cliente salvos.")
        return redirect("customers:edit", pk=customer.pk)
    return render(
        request,
        "customers/customer_edit.html",
        {"customer": customer, "form": form, "can_change": can_change, "active_tab": "dados"},
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
