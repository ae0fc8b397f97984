"""Negativação screens: the confirmation of an inclusion, "Registrar pagamento", Financeiro >
Negativações (list, batch actions, detail), Elegíveis, the deadline board, the customer's
"Negativações" tab and Configurações > Negativação.

Every write goes through negativation.services (or contracts.services.invoice_pay) and every
read-model comes from negativation.selectors; these views scope to the user's branches, validate
input and render. They decide nothing: a refusal (NegativationRefused) is shown as its message,
and what a screen offers is what negativation.actions allows.
"""

from typing import Any

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from creditcheck.contracts.models import Invoice
from creditcheck.contracts.services import invoice_pay
from creditcheck.core.enums import State
from creditcheck.core.models import Branch
from creditcheck.core.selectors import branches_for, scope_to_user
from creditcheck.core.sse import state_stream
from creditcheck.customers.models import Customer
from creditcheck.integrations.selectors import integration_for_branch
from creditcheck.negativation import selectors, services
from creditcheck.negativation.actions import (
    actions_refusal,
    batch_preview,
    negativation_allowed_actions,
    removal_withdraws,
)
from creditcheck.negativation.deadlines import REMOVAL_BUSINESS_DAYS, removal_deadline
from creditcheck.negativation.eligibility import (
    branch_rules,
    inclusion_integration,
    inclusion_integrations,
    ineligibility_reasons,
)
from creditcheck.negativation.enums import (
    IN_PROGRESS,
    NegativationAction,
    NegativationStatus,
    RemovalReason,
)
from creditcheck.negativation.forms import (
    BatchActionForm,
    BranchNegativationSettingsForm,
    EligibleFilterForm,
    EligibleIncludeForm,
    InclusionForm,
    NegativationFilterForm,
    PaymentForm,
    RemovalReasonForm,
)
from creditcheck.negativation.refusals import Ineligibility, NegativationRefused
from creditcheck.negativation.selectors import (
    BOARD_LIMIT,
    DUE_SOON_BUSINESS_DAYS,
    branch_settings_rows,
    eligible_listing,
    eligible_rows,
    inclusion_preview,
    live_negativation,
    negativation_details_for,
    negativations_for,
    overdue_open_invoices,
    registered_negativation,
    removal_after_payment,
    removal_business_days_left,
    with_event_labels,
)
from creditcheck.negativation.services import (
    branch_negativation_settings_save,
    negativation_include,
    negativation_include_batch,
    negativation_topic,
    open_amount,
)
from creditcheck.notices.compliance import notice_compliance
from creditcheck.notices.selectors import notice_rule

S = NegativationStatus
PAGE_SIZE = 25
ELIGIBLE_PAGE_SIZE = 50


def _invoice(request: HttpRequest, pk: int) -> Invoice:
    invoices = scope_to_user(
        Invoice.objects.select_related("contract__customer", "contract__branch"),
        request.user,
        "contract__branch",
    )
    return get_object_or_404(invoices, pk=pk)


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _state_label(state: str) -> str:
    return str(State(state).label) if state in State.values else state


def _form_errors(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


# ---- inclusion of one invoice and its payment -------------------------------------------------


@login_required
@permission_required("negativation.include_negativation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def invoice_negativate(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Negativar": reason, nature, platform and amount, the cost and the legal effect, then
    the inclusion request."""
    invoice = _invoice(request, pk)
    branch = invoice.contract.branch
    default = inclusion_integration(branch)
    form = InclusionForm(
        request.POST if request.method == "POST" else None,
        invoice=invoice,
        integrations=inclusion_integrations(branch),
        default=default,
        default_reason_code=branch_rules(branch.pk).inclusion_reason_code,
        open_amount=open_amount(invoice),
    )
    reasons: list[Ineligibility] = []
    if request.method == "POST" and form.is_valid():
        try:
            negativation = negativation_include(
                invoice=invoice, user=request.user, choices=form.choices()
            )
        except NegativationRefused as refusal:
            reasons = refusal.reasons
            for name, error in refusal.errors.items():
                form.add_error(name, error.message)
        else:
            negativation.refresh_from_db()
            messages.success(
                request,
                f"Negativação da fatura {invoice.number} solicitada: "
                f"{negativation.get_status_display().lower()}.",
            )
            return redirect("negativation:detail", pk=negativation.pk)
    elif request.method != "POST":
        reasons = ineligibility_reasons(invoice)
    customer = invoice.contract.customer
    context = {
        "invoice": invoice,
        "customer": customer,
        "reasons": reasons,
        "form": form,
        "integration": default,
        "notice_rule": notice_rule(customer.state),
        "notice": notice_compliance(invoice, timezone.localdate()),
        "state_label": _state_label(customer.state),
        "live": live_negativation(invoice),
    }
    return render(
        request,
        "negativation/include_confirm.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@login_required
@permission_required("contracts.change_invoice", raise_exception=True)
@require_http_methods(["GET", "POST"])
def invoice_payment(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Registrar pagamento": a negativação of the invoice then gets its removal requested."""
    invoice = _invoice(request, pk)
    today = timezone.localdate()
    form = PaymentForm(request.POST or None, initial={"paid_at": today, "amount": invoice.amount})
    if request.method == "POST" and form.is_valid():
        try:
            invoice_pay(
                invoice=invoice,
                paid_at=form.cleaned_data["paid_at"],
                amount=form.cleaned_data["amount"],
                user=request.user,
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, f"Pagamento da fatura {invoice.number} registrado.")
            removal = removal_after_payment(invoice)
            if removal is not None and removal.removal_deadline is not None:
                deadline = f"{removal.removal_deadline:%d/%m/%Y}"
                outcome = (
                    "Negativação baixada na plataforma"
                    if removal.status == S.REMOVED
                    else "Baixa da negativação solicitada à plataforma"
                )
                messages.info(request, f"{outcome} (prazo legal: {deadline}, Súmula 548 do STJ).")
            return redirect("finance:invoice_detail", pk=invoice.pk)
    customer = invoice.contract.customer
    live = registered_negativation(invoice)
    context = {
        "invoice": invoice,
        "form": form,
        "live": live,
        "deadline_if_paid_today": removal_deadline(today, customer.state) if live else None,
        "removal_business_days": REMOVAL_BUSINESS_DAYS,
    }
    return render(request, "negativation/payment_form.html", context)


# ---- Financeiro > Negativações -----------------------------------------------------------------


@login_required
@permission_required("negativation.view_negativation", raise_exception=True)
def negativation_list(request: HttpRequest) -> HttpResponse:
    form = NegativationFilterForm(request.GET or None, branches=branches_for(request.user))
    negativations = form.filter(negativations_for(request.user))
    page = Paginator(negativations, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page,
        "enabled": actions_refusal() is None,
        "reason_form": RemovalReasonForm(),
        "today": timezone.localdate(),
    }
    return render(request, "negativation/negativation_list.html", context)


@login_required
@permission_required("negativation.view_negativation", raise_exception=True)
def negativation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    negativation = get_object_or_404(negativation_details_for(request.user), pk=pk)
    with_event_labels([negativation])
    allowed = negativation_allowed_actions(negativation)
    context = {
        "negativation": negativation,
        "enabled": actions_refusal() is None,
        "reason_form": RemovalReasonForm(),
        "removable": NegativationAction.REMOVE in allowed,
        "removal_withdraws": removal_withdraws(negativation),
        "retryable": NegativationAction.RETRY in allowed,
        "refreshable": NegativationAction.REFRESH in allowed,
        "business_days_left": removal_business_days_left(negativation, timezone.localdate()),
        "state_label": _state_label(negativation.customer.state),
        "in_progress": negativation.status in IN_PROGRESS,
    }
    return render(request, "negativation/negativation_detail.html", context)


@login_required
@permission_required("negativation.view_negativation", raise_exception=True)
@require_GET
async def negativation_events(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """Server-Sent Events: one `changed` event as soon as the negativação's status differs from
    `?desde=` (the one its detail screen shows), pushed when the status is stored."""

    def read_state() -> str:
        return str(get_object_or_404(negativations_for(request.user), pk=pk).status)

    state = await sync_to_async(read_state)()  # 404 outside the user's branches
    return state_stream(
        request, negativation_topic(pk), request.GET.get("desde", state), read_state
    )


def _refused_summary(refusals: list[NegativationRefused]) -> str:
    """ "2 ignorada(s): <each distinct reason>." for the rows a batch could not act on."""
    reasons = sorted({refusal.message.rstrip(".") for refusal in refusals})
    return f"{len(refusals)} ignorada(s): {'; '.join(reasons)}."


@login_required
@permission_required("negativation.view_negativation", raise_exception=True)
@require_POST
def negativation_batch(request: HttpRequest) -> HttpResponse:
    """ "Solicitar baixa" / "Tentar novamente" on selected rows: a confirmation, then the act."""
    back = _next_url(request, reverse("negativation:list"))
    form = BatchActionForm(request.POST, negativations=negativations_for(request.user))
    action = request.POST.get("action")
    needed = (
        "negativation.remove_negativation"
        if action == NegativationAction.REMOVE
        else "negativation.include_negativation"
    )
    if not request.user.has_perm(needed):
        raise PermissionDenied
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(back)
    action = form.cleaned_data["action"]
    selected = list(form.cleaned_data["ids"].order_by("pk"))
    reason = form.cleaned_data.get("reason") or ""
    try:
        if not form.cleaned_data["confirmed"]:
            rows = batch_preview(action=action, negativations=selected)
            context = {
                "form": form,
                "action": action,
                "rows": rows,
                "applicable": [row.negativation for row in rows if not row.skip_reason],
                "reason_label": RemovalReason(reason).label if reason else "",
                "next": back,
            }
            return render(request, "negativation/batch_confirm.html", context)
        outcome = services.negativation_batch(
            action=action, negativations=selected, user=request.user, reason=reason
        )
    except NegativationRefused as refusal:
        messages.error(request, refusal.message)
        return redirect(back)
    done = len(outcome.done)
    remove = action == NegativationAction.REMOVE
    noun = "baixa solicitada" if remove else "nova tentativa solicitada"
    plural = "baixas solicitadas" if remove else "novas tentativas"
    messages.success(request, f"{done} {noun if done == 1 else plural}.")
    if outcome.refused:
        messages.warning(request, _refused_summary([refusal for _n, refusal in outcome.refused]))
    return redirect(back)


@login_required
@permission_required("negativation.include_negativation", raise_exception=True)
@require_POST
def negativation_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Atualizar situação": ask the platforms now, as the maintenance job does periodically."""
    negativation = get_object_or_404(negativations_for(request.user), pk=pk)
    try:
        services.negativation_refresh(negativation=negativation)
    except NegativationRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("negativation:detail", pk=pk)
    if negativation.status == S.AWAITING_NOTICE:
        visible = f"{negativation.visible_on:%d/%m/%Y}" if negativation.visible_on else "—"
        messages.info(
            request,
            f"Ainda aguardando o comunicado ao devedor (previsão de visibilidade {visible}).",
        )
    else:
        messages.success(request, f"Situação atualizada: {negativation.get_status_display()}.")
    return redirect("negativation:detail", pk=pk)


# ---- Elegíveis ---------------------------------------------------------------------------------


@login_required
@permission_required("negativation.view_negativation", raise_exception=True)
def eligible_list(request: HttpRequest) -> HttpResponse:
    """Overdue open invoices of one branch, each with ✓ or the reasons it cannot be negativated."""
    branches = branches_for(request.user)
    data = request.GET.copy()
    if not data.get("branch") and (first := branches.first()) is not None:
        data["branch"] = str(first.pk)
    form = EligibleFilterForm(data, branches=branches)
    context: dict[str, Any] = {"form": form, "rows": [], "page_obj": None}
    if form.is_valid():
        branch: Branch = form.cleaned_data["branch"]
        listing = eligible_listing(
            branch=branch,
            invoices=form.filter_invoices(overdue_open_invoices(branch, timezone.localdate())),
            situation=form.cleaned_data["situation"],
            today=timezone.localdate(),
        )
        page = Paginator(listing.invoices, ELIGIBLE_PAGE_SIZE).get_page(request.GET.get("page"))
        rows = eligible_rows(listing, page)
        context.update(
            branch=branch,
            rules=listing.context.rules,
            integration=listing.context.integration,
            blockers=[blocker.message for blocker in listing.blockers],
            rows=rows,
            page_obj=page,
            eligible_count=sum(1 for _invoice, reasons in rows if not reasons),
        )
    return render(request, "negativation/eligible_list.html", context)


@login_required
@permission_required("negativation.include_negativation", raise_exception=True)
@require_POST
def eligible_include(request: HttpRequest) -> HttpResponse:
    """ "Negativar selecionadas": the total cost, then one inclusion request per invoice."""
    invoices = scope_to_user(
        Invoice.objects.select_related("contract__customer", "contract__branch"),
        request.user,
        "contract__branch",
    )
    form = EligibleIncludeForm(request.POST, invoices=invoices)
    back = reverse("negativation:eligible")
    if request.POST.get("branch"):
        back += f"?branch={request.POST['branch']}"
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(back)
    selected = list(form.cleaned_data["invoices"].order_by("due_date", "pk"))
    try:
        if not form.cleaned_data["confirmed"]:
            preview = inclusion_preview(selected, timezone.localdate())
            context = {
                "form": form,
                "rows": [
                    (row.invoice, row.reasons, row.integration, row.notice_rule)
                    for row in preview.rows
                ],
                "includable": preview.includable,
                "total_cost": preview.total_cost,
                "total_amount": preview.total_amount,
                "back": back,
            }
            return render(request, "negativation/eligible_confirm.html", context)
        outcome = negativation_include_batch(invoices=selected, user=request.user)
    except NegativationRefused as refusal:
        messages.error(request, refusal.message)
        return redirect(back)
    done = len(outcome.done)
    messages.success(
        request, f"{done} negativaç{'ão solicitada' if done == 1 else 'ões solicitadas'}."
    )
    if outcome.refused:
        messages.warning(
            request, f"{len(outcome.refused)} fatura(s) não puderam ser negativadas (inelegíveis)."
        )
    return redirect(back)


# ---- Painel de prazos --------------------------------------------------------------------------


@login_required
@permission_required("negativation.view_negativation", raise_exception=True)
def deadline_board(request: HttpRequest) -> HttpResponse:
    """Awaiting notice, active, removals due within 2 business days, removals overdue."""
    today = timezone.localdate()
    board = selectors.deadline_board(negativations_for(request.user), today)
    context = {
        **vars(board),
        "today": today,
        "limit": BOARD_LIMIT,
        "due_soon_days": DUE_SOON_BUSINESS_DAYS,
    }
    return render(request, "negativation/deadline_board.html", context)


# ---- customer tab ------------------------------------------------------------------------------


@login_required
@permission_required("negativation.view_negativation", raise_exception=True)
def customer_negativations(request: HttpRequest, pk: int) -> HttpResponse:
    """The customer's "Negativações" tab: active and removed, with each one's history."""
    customer = get_object_or_404(
        scope_to_user(Customer.objects.select_related("branch"), request.user), pk=pk
    )
    context = {
        "customer": customer,
        "negativations": selectors.customer_negativations(request.user, customer),
        "active_tab": "negativacoes",
    }
    return render(request, "negativation/customer_negativations.html", context)


# ---- Configurações > Negativação ---------------------------------------------------------------


@login_required
@permission_required("negativation.change_branchnegativationsettings", raise_exception=True)
@require_http_methods(["GET"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """Each branch's rules (edited one branch at a time); the notice rules per UF are in
    Configurações > Comunicados (creditcheck/notices)."""
    context = {"rows": branch_settings_rows(branches_for(request.user))}
    return render(request, "negativation/settings.html", context)


@login_required
@permission_required("negativation.change_branchnegativationsettings", raise_exception=True)
@require_http_methods(["GET", "POST"])
def settings_branch(request: HttpRequest, pk: int) -> HttpResponse:
    branch = get_object_or_404(branches_for(request.user), pk=pk)
    # A branch without a row starts from the defaults (30 days, 8h...), saved on first "Salvar".
    form = BranchNegativationSettingsForm(
        request.POST or None, instance=branch_rules(branch.pk), branch=branch
    )
    if request.method == "POST" and form.is_valid():
        branch_negativation_settings_save(rules=form.save(commit=False), user=request.user)
        messages.success(request, f"Regras de negativação da {branch.name} salvas.")
        return redirect("negativation:settings")
    context = {
        "form": form,
        "branch": branch,
        "default_integration": integration_for_branch(branch),
    }
    return render(request, "negativation/settings_branch.html", context)
