"""Configurações > Política de crédito: the company default and the branches' policies."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from creditcheck.core.http import client_ip, parse_id
from creditcheck.core.models import Branch
from creditcheck.core.selectors import branches_for
from creditcheck.decisions.forms import (
    PolicyForm,
    RuleFormSet,
    policy_input,
    rule_initial,
    show_refusal,
)
from creditcheck.decisions.models import CreditPolicy, CreditPolicyVersion
from creditcheck.decisions.selectors import policies_for, policy_versions
from creditcheck.decisions.services import PolicyInvalid, credit_policy_save

DEFAULT_START: dict[str, Any] = {"enabled": "1", "validity_days": 30, "comodato": True}


@login_required
@permission_required("decisions.view_creditpolicy", raise_exception=True)
def policy_list(request: HttpRequest) -> HttpResponse:
    policies = list(policies_for(request.user))
    default = next((p for p in policies if p.branch_id is None), None)
    own = {p.branch_id: p for p in policies if p.branch_id is not None}
    rows = [(branch, own.get(branch.pk)) for branch in branches_for(request.user).order_by("name")]
    return render(request, "decisions/policy_list.html", {"default": default, "branch_rows": rows})


def _initial(version: CreditPolicyVersion | None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    if version is None:
        return DEFAULT_START, []
    initial = {
        "enabled": "1" if version.enabled else "0",
        "validity_days": version.validity_days,
        "max_plan_value": version.max_plan_value,
        "comodato": version.comodato,
        "deposit": version.deposit,
    }
    return initial, [rule_initial(r) for r in version.rules]


def _policy_page(
    request: HttpRequest,
    *,
    policy: CreditPolicy | None,
    branch: Branch | None,
    start_from: CreditPolicyVersion | None,
) -> HttpResponse:
    initial, rules_initial = _initial(start_from)
    posted = request.POST if request.method == "POST" else None
    form = PolicyForm(posted, initial=initial)
    rules = RuleFormSet(posted, initial=rules_initial, prefix="rules")
    if posted is not None and form.is_valid() and rules.is_valid():
        data, kept = policy_input(form, rules)
        try:
            version = credit_policy_save(
                policy=policy,
                branch=branch,
                data=data,
                user=request.user,
                ip_address=client_ip(request),
            )
        except PolicyInvalid as refusal:
            show_refusal(refusal, form, kept)
            messages.error(request, refusal.message)
        else:
            messages.success(
                request, f"Política de crédito salva: versão {version.number} em vigor."
            )
            return redirect("decisions:edit", pk=version.policy_id)
    scope = policy.scope_name if policy else (branch.name if branch else "Padrão da empresa")
    return render(
        request,
        "decisions/policy_form.html",
        {
            "form": form,
            "rules": rules,
            "policy": policy,
            "scope": scope,
            "versions": policy_versions(policy) if policy else [],
        },
    )


@login_required
@permission_required("decisions.add_creditpolicy", raise_exception=True)
@require_http_methods(["GET", "POST"])
def policy_create(request: HttpRequest) -> HttpResponse:
    """A branch's own policy (?branch=<id>), starting from the company default, or the company
    default itself (no branch)."""
    branch = None
    if value := request.GET.get("branch", "").strip():
        pk = parse_id(value)
        if pk is None:
            raise Http404
        branch = get_object_or_404(branches_for(request.user), pk=pk)
    default = CreditPolicy.objects.filter(branch__isnull=True).select_related("current").first()
    if branch is None and default is not None:
        return redirect("decisions:edit", pk=default.pk)
    start_from = default.current if branch is not None and default is not None else None
    return _policy_page(request, policy=None, branch=branch, start_from=start_from)


@login_required
@permission_required("decisions.change_creditpolicy", raise_exception=True)
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    policy = get_object_or_404(policies_for(request.user), pk=pk)
    return _policy_page(request, policy=policy, branch=None, start_from=policy.current)
