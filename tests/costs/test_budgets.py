"""Monthly budgets per branch: warning at 80%, block at 100% with no platform call, admin raise."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from creditcheck.analysis.enums import Billed, QueryStatus, RefusalCode, SubjectType
from creditcheck.analysis.models import CreditQuery
from creditcheck.core.enums import AuditAction
from creditcheck.core.models import AuditEntry, Branch
from creditcheck.costs.budgets import branch_budget_raise, budget_status, current_month
from creditcheck.costs.models import BranchBudget
from creditcheck.costs.usage import usage_record
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch, enable_credit_analysis
from tests.sandbox_client import ledger

CLEAN_CPF = "52998224725"

pytestmark = pytest.mark.django_db(transaction=True)


def spent_this_month(branch: Branch, user: User, cost: str) -> None:
    """A finished query of this month, recorded in the usage figures as the service does."""
    query = CreditQuery.objects.create(
        subject_type=SubjectType.DOCUMENT,
        document="12345678909",
        branch=branch,
        user=user,
        platform="spcbrasil",
        status=QueryStatus.SUCCEEDED,
        billed=Billed.YES,
        cost=Decimal(cost),
    )
    usage_record(query)


def test_budget_status_without_budget_has_no_limit(branch: Branch) -> None:
    status = budget_status(branch)

    assert (status.limit, status.ratio, status.warning, status.blocked) == (
        None,
        None,
        False,
        False,
    )
    assert status.allows(Decimal("1000000.00"))


def test_budget_status_warning_from_80_percent(branch: Branch, attendant: User) -> None:
    BranchBudget.objects.create(branch=branch, monthly_amount=Decimal("100.00"))
    spent_this_month(branch, attendant, "79.99")
    assert (budget_status(branch).warning, budget_status(branch).blocked) == (False, False)

    spent_this_month(branch, attendant, "0.01")
    status = budget_status(branch)

    assert (status.spent, status.percent, status.warning, status.blocked) == (
        Decimal("80.00"),
        80,
        True,
        False,
    )
    assert (status.allows(Decimal("20.00")), status.allows(Decimal("20.01"))) == (True, False)


def test_request_over_budget_refused_without_platform_call(
    attendant: User,
    branch: Branch,
    sandbox: RunningSandbox,
    api_client_for: Callable[[User], APIClient],
) -> None:
    enable_credit_analysis()
    connect_branch(branch, sandbox, cost="12.50")
    BranchBudget.objects.create(branch=branch, monthly_amount=Decimal("20.00"))
    spent_this_month(branch, attendant, "10.00")

    response = api_client_for(attendant).post(
        "/api/v1/credit-queries/", {"document": CLEAN_CPF, "branch": branch.pk}, format="json"
    )

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "budget_exceeded"
    assert body["detail"] == (
        "O orçamento mensal de consultas da filial Filial São Paulo (R$ 20,00) foi atingido. "
        "Um administrador pode aumentá-lo em Relatórios > Custos."
    )
    refused = CreditQuery.objects.get(pk=body["query_id"])
    assert (refused.status, refused.refusal_code, refused.cost) == (
        QueryStatus.REFUSED,
        RefusalCode.BUDGET_EXCEEDED,
        Decimal("0.00"),
    )
    assert ledger(sandbox) == []


def test_request_after_admin_raise_goes_through(
    attendant: User,
    administrator: User,
    branch: Branch,
    sandbox: RunningSandbox,
    api_client_for: Callable[[User], APIClient],
) -> None:
    enable_credit_analysis()
    connect_branch(branch, sandbox, cost="12.50")
    BranchBudget.objects.create(branch=branch, monthly_amount=Decimal("20.00"))
    spent_this_month(branch, attendant, "10.00")

    branch_budget_raise(branch=branch, amount=Decimal("5.00"), user=administrator)
    response = api_client_for(attendant).post(
        "/api/v1/credit-queries/", {"document": CLEAN_CPF, "branch": branch.pk}, format="json"
    )

    assert response.status_code == 201, response.content
    assert (response.json()["status"], len(ledger(sandbox))) == ("succeeded", 1)
    status = budget_status(branch)
    assert (status.limit, status.spent, status.blocked) == (
        Decimal("25.00"),
        Decimal("22.50"),
        False,
    )


def test_admin_raise_from_dashboard_audited_with_before_after(
    administrator: User, branch: Branch, client: Client
) -> None:
    BranchBudget.objects.create(branch=branch, monthly_amount=Decimal("100.00"))
    client.force_login(administrator)

    response = client.post(
        "/relatorios/custos/orcamento/",
        {"branch": branch.pk, "action": "raise", "amount": "50,00"},
        follow=True,
    )

    assert response.status_code == 200
    assert "Orçamento deste mês da Filial São Paulo aumentado para R$ 150,00." in (
        response.content.decode()
    )
    budget = BranchBudget.objects.get(branch=branch)
    assert (budget.raised_month, budget.raised_amount, budget.raised_by) == (
        current_month(),
        Decimal("50.00"),
        administrator,
    )
    entry = AuditEntry.objects.filter(action=AuditAction.SETTINGS_CHANGE).get()
    month = current_month().isoformat()
    assert (entry.user, entry.branch, entry.outcome) == (
        administrator,
        branch,
        "orçamento do mês aumentado",
    )
    assert entry.details == {
        "setting": "branch_budget",
        "before": {"monthly_amount": "100.00", "raised_month": None, "raised_amount": "0.00"},
        "after": {"monthly_amount": "100.00", "raised_month": month, "raised_amount": "50.00"},
    }


def test_raise_of_last_month_does_not_count_now(branch: Branch, administrator: User) -> None:
    budget = BranchBudget.objects.create(
        branch=branch,
        monthly_amount=Decimal("100.00"),
        raised_month=(current_month() - dt.timedelta(days=1)).replace(day=1),
        raised_amount=Decimal("50.00"),
    )

    assert budget_status(branch).limit == Decimal("100.00")
    branch_budget_raise(branch=branch, amount=Decimal("10.00"), user=administrator)
    budget.refresh_from_db()
    assert (budget.raised_amount, budget_status(branch).limit) == (
        Decimal("10.00"),
        Decimal("110.00"),
    )


def test_financial_cannot_change_budget(financial: User, branch: Branch, client: Client) -> None:
    client.force_login(financial)

    response = client.post(
        "/relatorios/custos/orcamento/", {"branch": branch.pk, "action": "set", "amount": "10"}
    )

    assert response.status_code == 403
    assert not BranchBudget.objects.exists()


def test_query_page_shows_budget_warning(
    attendant: User, branch: Branch, sandbox: RunningSandbox, client: Client
) -> None:
    enable_credit_analysis()
    connect_branch(branch, sandbox, cost="12.50")
    BranchBudget.objects.create(branch=branch, monthly_amount=Decimal("100.00"))
    spent_this_month(branch, attendant, "85.00")
    client.force_login(attendant)

    html = client.get("/analise-credito/nova/", {"document": CLEAN_CPF}).content.decode()

    assert "80% do orçamento mensal da filial utilizado." in html
    assert "Gasto no mês: R$ 85,00 de R$ 100,00 (85%)." in html
