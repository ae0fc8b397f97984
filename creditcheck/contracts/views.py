"""Contratos and Financeiro > Faturas screens (read-only: contracts come from the ERP side)."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from creditcheck.contracts.forms import ContractFilterForm, InvoiceFilterForm
from creditcheck.contracts.models import Contract, Invoice
from creditcheck.core.selectors import branches_for, scope_to_user
from creditcheck.core.views import requested_page


@login_required
@permission_required("contracts.view_contract", raise_exception=True)
def contract_list(request: HttpRequest) -> HttpResponse:
    form = ContractFilterForm(request.GET or None, branches=branches_for(request.user))
    contracts = scope_to_user(Contract.objects.select_related("customer", "branch"), request.user)
    page = requested_page(request, form.filter(contracts))
    return render(request, "contracts/contract_list.html", {"form": form, "page_obj": page})


@login_required
@permission_required("contracts.view_contract", raise_exception=True)
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contracts = scope_to_user(Contract.objects.select_related("customer", "branch"), request.user)
    contract = get_object_or_404(contracts, pk=pk)
    invoices = contract.invoices.all()
    return render(
        request, "contracts/contract_detail.html", {"contract": contract, "invoices": invoices}
    )


@login_required
@permission_required("contracts.view_invoice", raise_exception=True)
def invoice_list(request: HttpRequest) -> HttpResponse:
    form = InvoiceFilterForm(request.GET or None, branches=branches_for(request.user))
    invoices = scope_to_user(
        Invoice.objects.select_related("contract__customer", "contract__branch"),
        request.user,
        "contract__branch",
    )
    invoices = form.filter(invoices, today=timezone.localdate())
    page = requested_page(request, invoices)
    return render(request, "contracts/invoice_list.html", {"form": form, "page_obj": page})


@login_required
@permission_required("contracts.view_invoice", raise_exception=True)
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invoices = scope_to_user(
        Invoice.objects.select_related("contract__customer", "contract__branch", "paid_by"),
        request.user,
        "contract__branch",
    )
    invoice = get_object_or_404(invoices, pk=pk)
    return render(request, "contracts/invoice_detail.html", {"invoice": invoice})
