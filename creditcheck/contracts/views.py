"""Contratos and Financeiro > Faturas screens (contracts come from the ERP side; here they are
read, and a suspended or cancelled one activated through the credit gate)."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from creditcheck.contracts.enums import ContractStatus
from creditcheck.contracts.forms import ContractFilterForm, InvoiceFilterForm
from creditcheck.contracts.models import Contract, Invoice
from creditcheck.contracts.services import contract_activate
from creditcheck.core.forms import StyledFormMixin
from creditcheck.core.http import client_ip
from creditcheck.core.selectors import branches_for, scope_to_user
from creditcheck.core.views import requested_page
from creditcheck.decisions.gate import ActivationRefused, activation_refusal


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
        request,
        "contracts/contract_detail.html",
        {
            "contract": contract,
            "invoices": invoices,
            "activation_form": ActivationForm(),
            **_gate_context(contract),
        },
    )


def _gate_context(contract: Contract) -> dict[str, Any]:
    """What the credit gate says of activating the contract (inactive contracts only)."""
    if contract.status == ContractStatus.ACTIVE:
        return {}
    refusal = activation_refusal(
        customer=contract.customer, branch=contract.branch, monthly_amount=contract.monthly_amount
    )
    return {"can_activate": True, "gate_refusal": refusal}


class ActivationForm(StyledFormMixin, forms.Form):
    override_reason = forms.CharField(
        label="Justificativa para ativar sem decisão de crédito aprovada",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


@login_required
@permission_required("contracts.change_contract", raise_exception=True)
@require_POST
def contract_activate_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Ativar: a suspended or cancelled contract becomes active, through the credit gate."""
    contracts = scope_to_user(Contract.objects.select_related("customer", "branch"), request.user)
    contract = get_object_or_404(contracts, pk=pk)
    form = ActivationForm(request.POST)
    reason = form.cleaned_data["override_reason"] if form.is_valid() else ""
    try:
        contract_activate(
            contract=contract,
            user=request.user,
            override_reason=reason,
            ip_address=client_ip(request),
        )
    except ActivationRefused as refusal:
        messages.error(request, f"Contrato não ativado: {refusal.message}")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Contrato ativado.")
    return redirect("contracts:detail", pk=contract.pk)


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
