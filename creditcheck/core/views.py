"""Home, sign-in and Configurações > Filiais screens; helpers every list and edit screen uses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from creditcheck.core.forms import BranchForm, BranchScopedModelForm, LoginForm
from creditcheck.core.selectors import branches_for

PAGE_SIZE = 25

_M = TypeVar("_M", bound=Model)


def requested_page(request: HttpRequest, items: QuerySet[_M]) -> Page[_M]:
    """The page of `items` asked for by `?page=`, PAGE_SIZE rows each."""
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def can_change_or_deny(request: HttpRequest, permission: str) -> bool:
    """Whether the user may save the edit screen; it shows read-only otherwise.

    A POST from a user without `permission` is refused (403): the disabled form is not enough.
    """
    can_change = request.user.has_perm(permission)
    if request.method == "POST" and not can_change:
        raise PermissionDenied
    return can_change


def filtered_list(
    request: HttpRequest, form_class: type[Any], records: QuerySet[_M], template: str
) -> HttpResponse:
    """A list screen: its filter bar (`form_class`, offering the user's branches) over
    `records` (those the user may see), one page of them."""
    form = form_class(request.GET or None, branches=branches_for(request.user))
    page = requested_page(request, form.filter(records))
    return render(request, template, {"form": form, "page_obj": page})


@dataclass(frozen=True)
class FormScreen:
    """A record's create or edit screen: its form (offering the user's branches), its template
    and the URL name a save redirects to, with the record's pk."""

    form_class: type[BranchScopedModelForm]
    template: str
    then: str

    def respond(
        self,
        request: HttpRequest,
        saved: str,
        *,
        instance: Model | None = None,
        context: dict[str, Any] | None = None,
        after_save: Callable[[HttpRequest, Any, Any], None] | None = None,
    ) -> HttpResponse:
        """A valid POST saves the record, says `saved` (a format string of `record`), calls
        `after_save(request, record, form)` (a notice of its own) and redirects; anything else
        shows the form, with `context`."""
        branches = branches_for(request.user)
        form = self.form_class(request.POST or None, instance=instance, branches=branches)
        if request.method == "POST" and form.is_valid():
            record = form.save()
            messages.success(request, saved.format(record=record))
            if after_save is not None:
                after_save(request, record, form)
            return redirect(self.then, pk=record.pk)
        return render(request, self.template, {"form": form, **(context or {})})


class SignInView(LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Start on the customer list, the screen attendants use most; others get their own."""
    user = request.user
    for permission, url_name in (
        ("customers.view_customer", "customers:list"),
        ("crm.view_prospect", "crm:prospect_list"),
        ("crm.view_lead", "crm:lead_list"),
        ("contracts.view_invoice", "finance:invoice_list"),
        ("core.change_branch", "settings:branch_list"),
    ):
        if user.has_perm(permission):
            return redirect(url_name)
    return render(request, "home.html")


@login_required
# Every role may read branches (API, filters); managing them is for administrators.
@permission_required("core.change_branch", raise_exception=True)
def branch_list(request: HttpRequest) -> HttpResponse:
    branches = branches_for(request.user).annotate(
        customer_count=Count("customers", distinct=True),
        member_count=Count("members", distinct=True),
    )
    # A GROUP BY query does not take Meta.ordering: name the order the pages follow.
    branches = branches.order_by("name", "pk")
    return render(request, "core/branch_list.html", {"page_obj": requested_page(request, branches)})


@login_required
@permission_required("core.add_branch", raise_exception=True)
@require_http_methods(["GET", "POST"])
def branch_create(request: HttpRequest) -> HttpResponse:
    form = BranchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        branch = form.save()
        messages.success(request, f"Filial {branch.name} cadastrada.")
        return redirect("settings:branch_list")
    return render(request, "core/branch_form.html", {"form": form})


@login_required
@permission_required("core.change_branch", raise_exception=True)
@require_http_methods(["GET", "POST"])
def branch_edit(request: HttpRequest, pk: int) -> HttpResponse:
    branch = get_object_or_404(branches_for(request.user), pk=pk)
    form = BranchForm(request.POST or None, instance=branch)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Filial {branch.name} salva.")
        return redirect("settings:branch_list")
    return render(request, "core/branch_form.html", {"form": form, "branch": branch})
