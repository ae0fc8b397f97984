"""Relatórios > Custos in the browser: queries just made show up as spend, and a small budget
warns at 80%."""

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from creditcheck.core.models import Branch
from creditcheck.costs.models import BranchBudget
from providers.sandbox.scenarios import CLEAN_CPF
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import integration_on
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_costs_dashboard_shows_spend_and_budget_warning(
    page: Page,
    log_in: Callable[[str, str], None],
    screenshot: Callable[[str], Path],
    sandbox: RunningSandbox,
    branch: Branch,
    administrator: User,
) -> None:
    integration_on(branch, sandbox, cost="12.50")
    BranchBudget.objects.create(branch=branch, monthly_amount=Decimal("30.00"))
    log_in(administrator.username, PASSWORD)

    # Given two queries just made (12,50 each: 25,00 of 30,00 is 83%)
    for cpf in (CLEAN_CPF, "12345678909"):
        page.goto(f"/analise-credito/nova/?document={cpf}&branch={branch.pk}")
        page.get_by_role("button", name="Consultar").click()
        expect(page.get_by_test_id("score-value")).to_be_visible()

    # When the administrator opens Relatórios > Custos
    page.get_by_role("button", name="Relatórios").click()
    page.get_by_role("link", name="Custos").click()

    # Then the spend is there, with the 80% warning of the branch
    expect(page.get_by_test_id("total-count")).to_have_text("2")
    expect(page.get_by_test_id("total-cost")).to_have_text("R$ 25,00")
    expect(page.get_by_test_id("budget-alert")).to_contain_text(
        "Filial São Paulo: 80% do orçamento mensal da filial utilizado."
    )
    expect(page.get_by_test_id("per-branch").get_by_test_id("budget-state")).to_have_text(
        "83% · Alerta"
    )
    screenshot("costs_dashboard_warning")

    # and the query page warns before the next one
    page.goto(f"/analise-credito/nova/?document=11144477735&branch={branch.pk}")
    expect(page.get_by_test_id("budget-warning")).to_contain_text(
        "80% do orçamento mensal da filial utilizado."
    )
