"""Negativação screens: the confirmation of an inclusion, "Registrar pagamento", Financeiro >
Negativações (list, batch actions, detail), Elegíveis, the deadline board, the customer's
"Negativações" tab and Configurações > Negativação.

Every write goes through negativation.services (or contracts.services.invoice_pay); these views
scope to the user's branches, validate input and render. While "Utiliza integração com análise
de crédito" is off, every negativação action is refused here and shown disabled with the reason.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from creditcheck.contracts.enums import InvoiceStatus
from creditcheck.contracts.models import Invoice
from creditcheck.contracts.services import invoice_pay
from creditcheck.core.enums import State
from creditcheck.core.models import Branch
from creditcheck.core.selectors import branches_for, scope_to_user
from creditcheck.customers.models import Customer
from creditcheck.integrations.models import BranchIntegration
from creditcheck.integrations.selectors import credit_settings, integration_for_branch
from creditcheck.negativation.deadlines import (
    REMOVAL_BUSINESS_DAYS,
    business_days_between,
    removal_deadline,
)
from creditcheck.negativation.eligibility import (
    Ineligibility,
    branch_rules,
    eligible_invoices,
    inclusion_integration,
    ineligibility_reasons,
)
from creditcheck.negativation.enums import LIVE, REGISTERED, NegativationStatus, RemovalReason
from creditcheck.negativation.forms import (
    BatchActionForm,
    BranchNegativationSettingsForm,
    EligibleFilterForm,
    EligibleIncludeForm,
    NegativationFilterForm,
    NoticePeriodsForm,
    PaymentForm,
    RemovalReasonForm,
)
from creditcheck.negativation.models import (
    BranchNegativationSettings,
    Negativation,
    NegativationEvent,
)
from creditcheck.negativation.services import (
    DEFAULT_NOTICE_DAYS,
    InvalidTransition,
    NegativationNotAllowed,
    branch_negativation_settings_save,
    negativation_include,
    negativation_poll,
    negativation_request_removal,
    negativation_retry,
    notice_days,
    notice_periods_update,
)

S = NegativationStatus
PAGE_SIZE = 25
ELIGIBLE_PAGE_SIZE = 50
BOARD_LIMIT = 50
# Removals due within this many business days are flagged on the board.
DUE_SOON_BUSINESS_DAYS = 2
# Two business days never span more than this many calendar days (weekends plus Carnival).
DUE_SOON_CALENDAR_BOUND = dt.timedelta(days=14)
# A removal can be asked for what is (or may be) registered; a failed inclusion is withdrawn.
REMOVABLE = (*REGISTERED, S.FAILED)
RETRYABLE = (S.FAILED,)
DISABLED_MESSAGE = (
    "A integração com análise de crédito está desativada (Configurações > Integrações): "
    "as ações de negativação estão indisponíveis."
)


def _negativations(request: HttpRequest) -> QuerySet[Negativation]:
    return scope_to_user(
        Negativation.objects.select_related("invoice", "customer", "branch"), request.user
    )


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


def _with_event_labels(negativations: list[Negativation]) -> list[Negativation]:
    """Give each prefetched event the pt-BR labels of its "de" and "para" states."""
    labels = dict(S.choices)
    for negativation in negativations:
        for event in negativation.events.all():
            event.from_label = labels.get(event.from_status, event.from_status)  # type: ignore[attr-defined]
            event.to_label = labels.get(event.to_status, event.to_status)  # type: ignore[attr-defined]
    return negativations


def _events_prefetch() -> Prefetch:
    return Prefetch("events", queryset=NegativationEvent.objects.select_related("user"))


def _state_label(state: str) -> str:
    return str(State(state).label) if state in State.values else state


# ---- inclusion of one invoice and its payment -------------------------------------------------


@login_required
@permission_required("negativation.include_negativation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def invoice_negativate(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Negativar": the cost and the legal effect, then the inclusion request."""
    invoice = _invoice(request, pk)
    reasons: list[Ineligibility] = ineligibility_reasons(invoice)
    if request.method == "POST" and not reasons:
        try:
            negativation = negativation_include(invoice=invoice, user=request.user)
        except NegativationNotAllowed as refusal:
            reasons = refusal.reasons
        else:
            negativation.refresh_from_db()
            messages.success(
                request,
                f"Negativação da fatura {invoice.number} solicitada: "
                f"{negativation.get_status_display().lower()}.",
            )
            return redirect("negativation:detail", pk=negativation.pk)
    customer = invoice.contract.customer
    integration = inclusion_integration(invoice.contract.branch)
    context = {
        "invoice": invoice,
        "customer": customer,
        "reasons": reasons,
        "integration": integration,
        "notice_days": notice_days(customer.state),
        "state_label": _state_label(customer.state),
        "live": invoice.negativations.filter(status__in=LIVE).first(),
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
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error("amount" if name == "amount" else None, errors)
        else:
            messages.success(request, f"Pagamento da fatura {invoice.number} registrado.")
            removal = (
                invoice.negativations.filter(status__in=(S.REMOVAL_REQUESTED, S.REMOVED))
                .exclude(removal_deadline=None)
                .first()
            )
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
    live = invoice.negativations.filter(status__in=REGISTERED).first()
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
    negativations = form.filter(_negativations(request))
    page = Paginator(negativations, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page,
        "enabled": credit_settings().enabled,
        "reason_form": RemovalReasonForm(),
        "today": timezone.localdate(),
    }
    return render(request, "negativation/negativation_list.html", context)


@login_required
@permission_required("negativation.view_negativation", raise_exception=True)
def negativation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    negativation = get_object_or_404(
        _negativations(request)
        .select_related("integration", "requested_by")
        .prefetch_related(_events_prefetch()),
        pk=pk,
    )
    _with_event_labels([negativation])
    today = timezone.localdate()
    business_days_left = None
    if negativation.status == S.REMOVAL_REQUESTED and negativation.removal_deadline:
        business_days_left = business_days_between(
            today, negativation.removal_deadline, negativation.customer.state
        )
    context = {
        "negativation": negativation,
        "enabled": credit_settings().enabled,
        "reason_form": RemovalReasonForm(),
        "removable": negativation.status in REMOVABLE,
        "retryable": negativation.status in RETRYABLE,
        "business_days_left": business_days_left,
        "state_label": _state_label(negativation.customer.state),
    }
    return render(request, "negativation/negativation_detail.html", context)


@dataclass(frozen=True)
class BatchRow:
    negativation: Negativation
    skip_reason: str  # empty when the action applies


def _batch_rows(action: str, negativations: list[Negativation]) -> list[BatchRow]:
    rows = []
    for negativation in negativations:
        status = negativation.get_status_display().lower()
        if action == BatchActionForm.REMOVE and negativation.status not in REMOVABLE:
            rows.append(BatchRow(negativation, f"Negativação {status}: nada a baixar."))
        elif action == BatchActionForm.RETRY and negativation.status not in RETRYABLE:
            rows.append(BatchRow(negativation, f"Negativação {status}: só as que falharam."))
        else:
            rows.append(BatchRow(negativation, ""))
    return rows


@login_required
@permission_required("negativation.view_negativation", raise_exception=True)
@require_POST
def negativation_batch(request: HttpRequest) -> HttpResponse:
    """ "Solicitar baixa" / "Tentar novamente" on selected rows: a confirmation, then the act."""
    back = _next_url(request, reverse("negativation:list"))
    form = BatchActionForm(request.POST, negativations=_negativations(request))
    action = request.POST.get("action")
    needed = (
        "negativation.remove_negativation"
        if action == BatchActionForm.REMOVE
        else "negativation.include_negativation"
    )
    if not request.user.has_perm(needed):
        raise PermissionDenied
    if not credit_settings().enabled:
        messages.error(request, DISABLED_MESSAGE)
        return redirect(back)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(back)
    action = form.cleaned_data["action"]
    rows = _batch_rows(action, list(form.cleaned_data["ids"].order_by("pk")))
    applicable = [row.negativation for row in rows if not row.skip_reason]
    reason = form.cleaned_data.get("reason") or ""
    if not form.cleaned_data["confirmed"]:
        context = {
            "form": form,
            "action": action,
            "rows": rows,
            "applicable": applicable,
            "reason_label": RemovalReason(reason).label if reason else "",
            "next": back,
        }
        return render(request, "negativation/batch_confirm.html", context)
    done = 0
    for negativation in applicable:
        try:
            if action == BatchActionForm.REMOVE:
                negativation_request_removal(
                    negativation=negativation, reason=reason, user=request.user
                )
            else:
                negativation_retry(negativation=negativation, user=request.user)
        except InvalidTransition:
            continue  # changed meanwhile (e.g. removed by a payment): nothing left to do
        done += 1
    noun = "baixa solicitada" if action == BatchActionForm.REMOVE else "nova tentativa solicitada"
    plural = "baixas solicitadas" if action == BatchActionForm.REMOVE else "novas tentativas"
    messages.success(request, f"{done} {noun if done == 1 else plural}.")
    if len(rows) - done:
        messages.warning(request, f"{len(rows) - done} ignorada(s): a situação não permitia.")
    return redirect(back)


@login_required
@permission_required("negativation.include_negativation", raise_exception=True)
@require_POST
def negativation_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Atualizar situação": ask the platforms now, as the maintenance job does periodically."""
    negativation = get_object_or_404(_negativations(request), pk=pk)
    if not credit_settings().enabled:
        messages.error(request, DISABLED_MESSAGE)
        return redirect("negativation:detail", pk=pk)
    negativation_poll(negativation_ids=[negativation.pk])
    negativation.refresh_from_db()
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


def _branch_blockers(branch: Branch, integration: BranchIntegration | None) -> list[str]:
    """Reasons no invoice of `branch` can be negativated now (shown once, above the list)."""
    blockers = []
    if not credit_settings().enabled:
        blockers.append(DISABLED_MESSAGE)
    if integration is None:
        blockers.append(f"A {branch.name} não tem integração ativa (Configurações > Integrações).")
    return blockers


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
        today = timezone.localdate()
        branch: Branch = form.cleaned_data["branch"]
        rules = branch_rules(branch.pk)
        integration = inclusion_integration(branch)
        blockers = _branch_blockers(branch, integration)
        invoices = Invoice.objects.filter(
            contract__branch=branch, status=InvoiceStatus.OPEN, due_date__lt=today
        ).select_related("contract__customer", "contract__branch")
        invoices = form.filter_invoices(invoices)
        eligible = eligible_invoices(
            branch_id=branch.pk,
            days_after_due=rules.days_after_due,
            min_amount=rules.min_amount,
            today=today,
        )
        situation = form.cleaned_data["situation"]
        if blockers:
            # Nothing is eligible while the branch itself is blocked.
            invoices = invoices.none() if situation == "eligible" else invoices
        elif situation == "eligible":
            invoices = invoices.filter(pk__in=eligible.values("pk"))
        elif situation == "ineligible":
            invoices = invoices.exclude(pk__in=eligible.values("pk"))
        page = Paginator(invoices.order_by("due_date", "pk"), ELIGIBLE_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        eligible_ids = (
            set(eligible.filter(pk__in=[i.pk for i in page]).values_list("pk", flat=True))
            if not blockers
            else set()
        )
        # The one rule set gives the reasons; only rows that are not eligible need them.
        rows = [
            (invoice, [] if invoice.pk in eligible_ids else ineligibility_reasons(invoice, today))
            for invoice in page
        ]
        context.update(
            branch=branch,
            rules=rules,
            integration=integration,
            blockers=blockers,
            rows=rows,
            page_obj=page,
            eligible_count=len(eligible_ids),
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
    if not credit_settings().enabled:
        messages.error(request, DISABLED_MESSAGE)
        return redirect(back)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(back)
    selected = list(form.cleaned_data["invoices"].order_by("due_date", "pk"))
    if not form.cleaned_data["confirmed"]:
        today = timezone.localdate()
        integrations: dict[int, BranchIntegration | None] = {}
        notice: dict[str, int] = {}
        rows = []
        for invoice in selected:
            branch, state = invoice.contract.branch, invoice.contract.customer.state
            if branch.pk not in integrations:
                integrations[branch.pk] = inclusion_integration(branch)
            if state not in notice:
                notice[state] = notice_days(state)
            reasons = ineligibility_reasons(invoice, today)
            rows.append((invoice, reasons, integrations[branch.pk], notice[state]))
        includable = [(invoice, integ) for invoice, reasons, integ, _days in rows if not reasons]
        context = {
            "form": form,
            "rows": rows,
            "includable": [invoice for invoice, _integ in includable],
            "total_cost": sum(
                (integ.cost_per_query for _invoice, integ in includable if integ),
                Decimal("0.00"),
            ),
            "total_amount": sum((invoice.amount for invoice, _i in includable), Decimal("0.00")),
            "back": back,
        }
        return render(request, "negativation/eligible_confirm.html", context)
    done, refused = 0, 0
    for invoice in selected:
        try:
            negativation_include(invoice=invoice, user=request.user)
        except NegativationNotAllowed:
            refused += 1
        else:
            done += 1
    messages.success(
        request, f"{done} negativaç{'ão solicitada' if done == 1 else 'ões solicitadas'}."
    )
    if refused:
        messages.warning(request, f"{refused} fatura(s) não puderam ser negativadas (inelegíveis).")
    return redirect(back)


# ---- Painel de prazos --------------------------------------------------------------------------


@dataclass(frozen=True)
class PendingRemoval:
    negativation: Negativation
    business_days_left: int  # negative when overdue


@login_required
@permission_required("negativation.view_negativation", raise_exception=True)
def deadline_board(request: HttpRequest) -> HttpResponse:
    """Awaiting notice, active, removals due within 2 business days, removals overdue."""
    today = timezone.localdate()
    base = _negativations(request)
    counts = dict(
        base.order_by()
        .values_list("status")
        .annotate(total=Count("pk"))
        .values_list("status", "total")
    )
    near = base.filter(
        status=S.REMOVAL_REQUESTED, removal_deadline__lte=today + DUE_SOON_CALENDAR_BOUND
    ).order_by("removal_deadline", "pk")
    due_soon, overdue = [], []
    for negativation in near:
        assert negativation.removal_deadline is not None
        left = business_days_between(
            today, negativation.removal_deadline, negativation.customer.state
        )
        row = PendingRemoval(negativation, left)
        if negativation.removal_deadline < today:
            overdue.append(row)
        elif left <= DUE_SOON_BUSINESS_DAYS:
            due_soon.append(row)
    context = {
        "today": today,
        "awaiting": base.filter(status=S.AWAITING_NOTICE).order_by("visible_on", "pk")[
            :BOARD_LIMIT
        ],
        "awaiting_count": counts.get(S.AWAITING_NOTICE, 0),
        "active": base.filter(status=S.ACTIVE).order_by("-active_at", "-pk")[:BOARD_LIMIT],
        "active_count": counts.get(S.ACTIVE, 0),
        "due_soon": due_soon,
        "overdue": overdue,
        "removals_pending": counts.get(S.REMOVAL_REQUESTED, 0),
        "removals_with_error": base.filter(status=S.REMOVAL_REQUESTED)
        .exclude(error_message="")
        .count(),
        "failed_count": counts.get(S.FAILED, 0),
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
    negativations = _with_event_labels(
        list(_negativations(request).filter(customer=customer).prefetch_related(_events_prefetch()))
    )
    context = {
        "customer": customer,
        "negativations": negativations,
        "active_tab": "negativacoes",
    }
    return render(request, "negativation/customer_negativations.html", context)


# ---- Configurações > Negativação ---------------------------------------------------------------


@login_required
@permission_required("negativation.change_branchnegativationsettings", raise_exception=True)
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """Each branch's rules (edited one branch at a time) and the notice period per UF."""
    can_edit_notice = request.user.has_perm("negativation.change_noticeperiod")
    if request.method == "POST" and not can_edit_notice:
        raise PermissionDenied
    notice_form = NoticePeriodsForm(request.POST or None)
    if request.method == "POST" and notice_form.is_valid():
        notice_periods_update(days_by_state=notice_form.days_by_state(), user=request.user)
        messages.success(request, "Prazos de comunicado por UF salvos.")
        return redirect("negativation:settings")
    branches = branches_for(request.user).select_related("negativation_settings__integration")
    rows = []
    for branch in branches:
        rules = getattr(branch, "negativation_settings", None) or BranchNegativationSettings(
            branch=branch
        )
        rows.append((branch, rules))
    context = {
        "rows": rows,
        "notice_form": notice_form,
        "can_edit_notice": can_edit_notice,
        "default_notice_days": DEFAULT_NOTICE_DAYS,
    }
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
