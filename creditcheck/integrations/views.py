"""Configurações > Integrações: the credit-analysis flags and the branches' integrations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from creditcheck.core.selectors import branches_for, scope_to_user
from creditcheck.erp.selectors import ixc_connections_with_last_run
from creditcheck.integrations.circuit import circuit_statuses
from creditcheck.integrations.forms import BranchIntegrationForm, CreditSettingsForm
from creditcheck.integrations.models import BranchIntegration
from creditcheck.integrations.selectors import credit_settings
from creditcheck.integrations.services import (
    branch_integration_save,
    branch_integration_sync_products,
    branch_integration_test,
    credentials_masked,
    credit_settings_update,
)
from providers.base import ProviderError


def _integrations(request: HttpRequest) -> list[BranchIntegration]:
    queryset = scope_to_user(BranchIntegration.objects.select_related("branch"), request.user)
    return list(queryset)


def _get_integration(request: HttpRequest, pk: int) -> BranchIntegration:
    queryset = scope_to_user(BranchIntegration.objects.select_related("branch"), request.user)
    return get_object_or_404(queryset, pk=pk)


@login_required
@permission_required("integrations.change_creditanalysissettings", raise_exception=True)
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """The "Integrações" tab: the global flags and the list of branch integrations."""
    current = credit_settings()
    form = CreditSettingsForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            credit_settings_update(
                user=request.user,
                enabled=form.cleaned_data["enabled"],
                requery_interval_days=form.cleaned_data["requery_interval_days"],
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, "Configurações de análise de crédito salvas.")
            return redirect("integrations:settings")
    integrations = _integrations(request)
    circuits = circuit_statuses(integrations)
    rows = [(i, circuits[(i.branch_id, i.platform)]) for i in integrations]
    context = {"form": form, "current": current, "integration_rows": rows}
    if request.user.has_perm("erp.view_ixcconnection"):
        context["ixc_connections"] = ixc_connections_with_last_run(request.user)
    return render(request, "integrations/settings.html", context)


def _integration_form_page(
    request: HttpRequest, integration: BranchIntegration | None
) -> HttpResponse:
    form = BranchIntegrationForm(
        request.POST if request.method == "POST" else None,
        branches=branches_for(request.user),
        integration=integration,
        platform=request.GET.get("platform", ""),
        environment=request.GET.get("environment", ""),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = branch_integration_save(
                integration=integration,
                branch=data["branch"],
                platform=data["platform"],
                environment=data["environment"],
                base_url=data["base_url"],
                credentials=form.credentials,
                product=data["product"],
                cost_per_query=data["cost_per_query"],
                is_default=data["is_default"],
                active=data["active"],
                user=request.user,
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request, f"Integração {saved.get_platform_display()} da {saved.branch.name} salva."
            )
            return redirect("integrations:settings")
    context = {
        "form": form,
        "integration": integration,
        "stored_credentials": credentials_masked(integration) if integration else [],
    }
    # The platform/environment selects ask (htmx) for the part of the form that depends on them.
    if request.headers.get("HX-Request") and request.method == "GET":
        return render(request, "integrations/includes/platform_fields.html", context)
    return render(request, "integrations/integration_form.html", context)


@login_required
@permission_required("integrations.add_branchintegration", raise_exception=True)
@require_http_methods(["GET", "POST"])
def integration_create(request: HttpRequest) -> HttpResponse:
    return _integration_form_page(request, None)


@login_required
@permission_required("integrations.change_branchintegration", raise_exception=True)
@require_http_methods(["GET", "POST"])
def integration_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _integration_form_page(request, _get_integration(request, pk))


@login_required
@permission_required("integrations.change_branchintegration", raise_exception=True)
@require_POST
def integration_test(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Testar": a free call checking the stored credentials; the result stays on the list."""
    integration = _get_integration(request, pk)
    ok, message = branch_integration_test(integration=integration)
    label = f"{integration.branch.name} — {integration.get_platform_display()}"
    if ok:
        messages.success(request, f"Teste de {label}: {message}")
    else:
        messages.error(request, f"Teste de {label} falhou: {message}")
    return redirect("integrations:settings")


@login_required
@permission_required("integrations.change_branchintegration", raise_exception=True)
@require_POST
def integration_sync_products(request: HttpRequest, pk: int) -> HttpResponse:
    integration = _get_integration(request, pk)
    label = f"{integration.branch.name} — {integration.get_platform_display()}"
    try:
        products = branch_integration_sync_products(integration=integration)
    except ProviderError as exc:
        detail = f"{exc.user_message} ({exc.code})" if exc.code else exc.user_message
        messages.error(request, f"Não foi possível sincronizar os produtos de {label}: {detail}")
    else:
        messages.success(
            request,
            f"{len(products)} produto{'s' if len(products) != 1 else ''} sincronizado"
            f"{'s' if len(products) != 1 else ''} de {label}.",
        )
    return redirect("integrations:settings")
