"""Each governed action granted to one user, without a role: they can do exactly that.

The five actions (consultar, override the re-query interval, negativar, baixar, configurar
integrações) are Django permissions, so `user.user_permissions` grants them as the roles do,
on the API and on the screens alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from creditcheck.contracts.models import Invoice
from creditcheck.core.enums import Role
from creditcheck.core.models import Branch
from creditcheck.integrations.models import BranchIntegration
from creditcheck.negativation.models import Negativation
from providers.sandbox.scenarios import CLEAN_CPF
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import integration_on
from tests.factories import (
    ContractFactory,
    CustomerFactory,
    InvoiceFactory,
    UserFactory,
    negativation_for,
)

pytestmark = pytest.mark.django_db

CPF = CLEAN_CPF
QUERIES = "/api/v1/credit-queries/"
NEGATIVATIONS = "/api/v1/negativations/"
SETTINGS = "/api/v1/settings/credit-analysis/"


def user_with(branch: Branch, *permissions: str) -> User:
    """A user of `branch` with no role and exactly `permissions`."""
    user = UserFactory.create(branches=[branch])
    for dotted in permissions:
        app_label, codename = dotted.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return User.objects.get(pk=user.pk)  # fresh: Django caches permissions on the instance


def api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def screen(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def overdue_invoice(branch: Branch) -> Invoice:
    customer = CustomerFactory.create(branch=branch, state="SP")
    contract = ContractFactory.create(customer=customer, start_date=dt.date(2020, 1, 10))
    return InvoiceFactory.create(
        contract=contract,
        amount=Decimal("129.90"),
        due_date=timezone.localdate() - dt.timedelta(days=40),
    )


def active_negativation(integration: BranchIntegration) -> Negativation:
    invoice = overdue_invoice(integration.branch)
    return negativation_for(invoice, integration, platform_id="NEG-1", active_at=timezone.now())


@pytest.fixture
def integration(branch: Branch, sandbox: RunningSandbox) -> BranchIntegration:
    return integration_on(branch, sandbox, "soawebservice", interval_days=30)


def test_consult_permission_alone_consults_and_nothing_else(
    branch: Branch, integration: BranchIntegration
) -> None:
    user = user_with(branch, "analysis.request_creditquery")

    consulted = api(user).post(QUERIES, {"document": CPF, "branch": branch.pk}, format="json")
    page = screen(user).get("/analise-credito/nova/", {"document": CPF})

    assert (consulted.status_code, consulted.json()["document"]) == (202, CPF)
    assert page.status_code == 200
    assert (
        api(user).post(NEGATIVATIONS, {"invoice": overdue_invoice(branch).pk}, format="json")
    ).status_code == 403
    assert api(user).put(SETTINGS, {"enabled": False}, format="json").status_code == 403
    assert screen(user).get("/configuracoes/integracoes/").status_code == 403


def test_override_permission_goes_past_the_interval_with_a_reason(
    branch: Branch,
    integration: BranchIntegration,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    # Given the CPF consulted a moment ago by an attendant (30-day interval); its platform call
    # runs now, as after a commit
    attendant = UserFactory.create(role=Role.ATTENDANT, branches=[branch])
    with django_capture_on_commit_callbacks(execute=True):
        first = api(attendant).post(QUERIES, {"document": CPF, "branch": branch.pk}, format="json")
    assert first.status_code == 202
    consult_only = user_with(branch, "analysis.request_creditquery")
    overrider = user_with(
        branch, "analysis.request_creditquery", "analysis.override_requery_interval"
    )
    body = {"document": CPF, "branch": branch.pk, "override_reason": "Cliente quitou a dívida."}

    refused = api(consult_only).post(QUERIES, body, format="json")
    overridden = api(overrider).post(QUERIES, body, format="json")

    assert (refused.status_code, refused.json()["code"]) == (409, "requery_interval")
    assert overridden.status_code == 202
    assert overridden.json()["document"] == CPF


def test_negativate_permission_alone_includes_but_does_not_remove(
    branch: Branch, integration: BranchIntegration
) -> None:
    user = user_with(branch, "negativation.include_negativation")
    invoice = overdue_invoice(branch)

    included = api(user).post(NEGATIVATIONS, {"invoice": invoice.pk}, format="json")
    confirm_page = screen(user).get(f"/financeiro/faturas/{invoice.pk}/negativar/")

    assert included.status_code == 201
    assert Negativation.objects.get().invoice_id == invoice.pk
    assert confirm_page.status_code == 200
    removal = api(user).post(
        f"{NEGATIVATIONS}{active_negativation(integration).pk}/remove/",
        {"reason": "paid"},
        format="json",
    )
    assert removal.status_code == 403
    assert api(user).post(QUERIES, {"document": CPF, "branch": branch.pk}).status_code == 403


def test_remove_permission_alone_removes_but_does_not_include(
    branch: Branch, integration: BranchIntegration
) -> None:
    user = user_with(branch, "negativation.remove_negativation")
    negativation = active_negativation(integration)

    removed = api(user).post(
        f"{NEGATIVATIONS}{negativation.pk}/remove/", {"reason": "paid"}, format="json"
    )

    assert removed.status_code == 200
    assert removed.json()["removal_reason"] == "paid"
    included = api(user).post(NEGATIVATIONS, {"invoice": overdue_invoice(branch).pk}, format="json")
    assert included.status_code == 403


def test_configure_permissions_alone_configure_and_nothing_else(
    branch: Branch, integration: BranchIntegration
) -> None:
    settings_admin = user_with(branch, "integrations.change_creditanalysissettings")
    integration_admin = user_with(branch, "integrations.change_branchintegration")

    saved = api(settings_admin).put(
        SETTINGS, {"enabled": True, "requery_interval_days": 15}, format="json"
    )
    settings_page = screen(settings_admin).get("/configuracoes/integracoes/")
    tested = api(integration_admin).post(f"/api/v1/branch-integrations/{integration.pk}/test/")
    tested_on_screen = screen(integration_admin).post(
        f"/configuracoes/integracoes/{integration.pk}/testar/"
    )

    assert (saved.status_code, saved.json()["requery_interval_days"]) == (200, 15)
    assert settings_page.status_code == 200
    assert tested.json() == {"ok": True, "message": "Conexão e credenciais válidas."}
    assert (tested_on_screen.status_code, tested_on_screen["Location"]) == (
        302,
        "/configuracoes/integracoes/",
    )
    assert (
        api(settings_admin).post(f"/api/v1/branch-integrations/{integration.pk}/test/").status_code
        == 403
    )
    assert (
        api(integration_admin).put(SETTINGS, {"enabled": False}, format="json").status_code == 403
    )
    assert (
        api(settings_admin).post(QUERIES, {"document": CPF, "branch": branch.pk}).status_code == 403
    )
