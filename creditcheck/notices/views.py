"""Comunicados screens: Configurações > Comunicados (the rule of each UF, the creditor's data of
each branch) and the customer's "Comunicados" tab (consents, letters posted, every notice with
its events). The services decide; refusals are shown on their fields."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from creditcheck.core.enums import State
from creditcheck.core.http import client_ip
from creditcheck.core.selectors import branches_for, scope_to_user
from creditcheck.customers.models import Customer
from creditcheck.negativation.selectors import negativation_details_for
from creditcheck.notices import selectors
from creditcheck.notices.dossier import dossier_download
from creditcheck.notices.dunning import dunning_step_save
from creditcheck.notices.forms import (
    ConsentForm,
    CreditorProfileForm,
    DunningStepForm,
    LetterForm,
    NoticeRuleForm,
    RepaymentPlanForm,
    refusal_to_form,
)
from creditcheck.notices.models import DunningStep
from creditcheck.notices.refusals import NoticeRefused
from creditcheck.notices.selectors import creditor_of, notice_rule, notice_rules
from creditcheck.notices.services import (
    consent_record,
    consent_revoke,
    creditor_profile_save,
    notice_record_letter,
    notice_rule_reset,
    notice_rule_save,
    repayment_plan_record,
)


@login_required
@permission_required("notices.view_statenoticerule", raise_exception=True)
@require_http_methods(["GET"])
def rules(request: HttpRequest) -> HttpResponse:
    branches = branches_for(request.user).select_related("creditor")
    context = {
        "rules": notice_rules(),
        "branches": [(branch, getattr(branch, "creditor", None)) for branch in branches],
    }
    return render(request, "notices/rules.html", context)


@login_required
@permission_required("notices.change_statenoticerule", raise_exception=True)
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, state: str) -> HttpResponse:
    if state not in State.values:
        raise Http404
    rule = notice_rule(state)
    if request.method == "POST" and "reset" in request.POST:
        notice_rule_reset(state=state, user=request.user)
        messages.success(request, f"Regra de comunicado de {state} de volta ao padrão.")
        return redirect("notices:rules")
    form = NoticeRuleForm(request.POST or None, initial=rule.fields())
    if request.method == "POST" and form.is_valid():
        try:
            notice_rule_save(state=state, user=request.user, **form.cleaned_data)
        except NoticeRefused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, f"Regra de comunicado de {state} salva.")
            return redirect("notices:rules")
    context = {"form": form, "rule": rule, "state": state, "state_label": State(state).label}
    return render(request, "notices/rule_edit.html", context, status=400 if form.errors else 200)


@login_required
@permission_required("notices.change_creditorprofile", raise_exception=True)
@require_http_methods(["GET", "POST"])
def creditor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    branch = get_object_or_404(branches_for(request.user), pk=pk)
    form = CreditorProfileForm(request.POST or None, instance=creditor_of(branch))
    if request.method == "POST" and form.is_valid():
        creditor_profile_save(branch=branch, user=request.user, **form.cleaned_data)
        messages.success(request, f"Dados do credor da {branch.name} salvos.")
        return redirect("notices:rules")
    context = {"form": form, "branch": branch}
    return render(
        request, "notices/creditor_edit.html", context, status=400 if form.errors else 200
    )


def _customer(request: HttpRequest, pk: int) -> Customer:
    customers = scope_to_user(Customer.objects.select_related("branch"), request.user)
    return get_object_or_404(customers, pk=pk)


@login_required
@permission_required("notices.view_notice", raise_exception=True)
@require_http_methods(["GET", "POST"])
def customer_notices(request: HttpRequest, pk: int) -> HttpResponse:
    """The customer's "Comunicados" tab; its forms post back here with `form=<name>`."""
    customer = _customer(request, pk)
    posted = request.POST.get("form") if request.method == "POST" else None
    if posted and not request.user.has_perm("notices.record_notice"):
        raise PermissionDenied
    consent_form = ConsentForm(request.POST if posted == "consent" else None, prefix="consent")
    letter_form = LetterForm(
        request.POST if posted == "letter" else None, customer=customer, prefix="letter"
    )
    if posted == "consent" and consent_form.is_valid():
        try:
            consent_record(customer=customer, user=request.user, **consent_form.cleaned_data)
        except NoticeRefused as refusal:
            refusal_to_form(consent_form, refusal)
        else:
            messages.success(request, "Consentimento de comunicado eletrônico registrado.")
            return redirect("notices:customer", pk=customer.pk)
    elif posted == "letter" and letter_form.is_valid():
        data = letter_form.cleaned_data
        try:
            notice_record_letter(
                invoice=data["invoice"],
                posted_on=data["posted_on"],
                tracking_code=data["tracking_code"],
                user=request.user,
            )
        except NoticeRefused as refusal:
            refusal_to_form(letter_form, refusal)
        else:
            messages.success(request, f"Carta da fatura {data['invoice'].number} registrada.")
            return redirect("notices:customer", pk=customer.pk)
    elif posted == "revoke":
        consent = get_object_or_404(customer.notice_consents, pk=request.POST.get("consent"))
        try:
            consent_revoke(consent=consent, revoked_on=timezone.localdate(), user=request.user)
        except NoticeRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, "Consentimento revogado.")
        return redirect("notices:customer", pk=customer.pk)
    context = {
        "customer": customer,
        "active_tab": "comunicados",
        "consents": selectors.customer_consents(customer),
        "notices": selectors.customer_notices(customer),
        "consent_form": consent_form,
        "letter_form": letter_form,
        "rule": notice_rule(customer.state),
    }
    failed = consent_form.errors or letter_form.errors
    return render(request, "notices/customer_notices.html", context, status=400 if failed else 200)


@login_required
@permission_required("notices.view_repaymentplan", raise_exception=True)
@require_http_methods(["GET", "POST"])
def customer_plans(request: HttpRequest, pk: int) -> HttpResponse:
    """The customer's "Repactuação" tab: repayment plans and the debts each covers."""
    customer = _customer(request, pk)
    if request.method == "POST" and not request.user.has_perm("notices.add_repaymentplan"):
        raise PermissionDenied
    form = RepaymentPlanForm(request.POST or None, customer=customer)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = repayment_plan_record(
                customer=customer, user=request.user, **{**data, "invoices": list(data["invoices"])}
            )
        except NoticeRefused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, f"Plano de repactuação {plan.reference} registrado.")
            return redirect("notices:plans", pk=customer.pk)
    context = {
        "customer": customer,
        "active_tab": "repactuacao",
        "plans": selectors.customer_plans(customer),
        "form": form,
    }
    return render(
        request, "notices/customer_plans.html", context, status=400 if form.errors else 200
    )


@login_required
@permission_required("notices.change_dunningstep", raise_exception=True)
@require_http_methods(["GET", "POST"])
def dunning_steps(request: HttpRequest, pk: int) -> HttpResponse:
    """A branch's dunning ruler: its steps, and the form of a new one."""
    branch = get_object_or_404(branches_for(request.user), pk=pk)
    return _dunning_page(request, DunningStep(branch=branch))


@login_required
@permission_required("notices.change_dunningstep", raise_exception=True)
@require_http_methods(["GET", "POST"])
def dunning_step_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """One step of a branch's ruler, edited on the ruler's page."""
    steps = DunningStep.objects.filter(branch__in=branches_for(request.user))
    return _dunning_page(request, get_object_or_404(steps.select_related("branch"), pk=pk))


def _dunning_page(request: HttpRequest, instance: DunningStep) -> HttpResponse:
    branch = instance.branch
    form = DunningStepForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            saved = dunning_step_save(step=form.save(commit=False), user=request.user)
        except NoticeRefused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, f"Etapa {saved.name} salva.")
            return redirect("notices:dunning", pk=branch.pk)
    context = {
        "branch": branch,
        "steps": list(branch.dunning_steps.all()),
        "form": form,
        "editing": instance if instance.pk else None,
        "rule": notice_rule(branch.state),
    }
    status = 400 if form.errors else 200
    return render(request, "notices/dunning_steps.html", context, status=status)


@login_required
@permission_required("notices.download_dossier", raise_exception=True)
@require_http_methods(["GET"])
def negativation_dossier(request: HttpRequest, pk: int) -> HttpResponse:
    """The negativação's defence dossier (PDF); the download is audited."""
    negativation = get_object_or_404(
        negativation_details_for(request.user).select_related("invoice__contract"), pk=pk
    )
    return dossier_download(negativation, user=request.user, ip_address=client_ip(request))
