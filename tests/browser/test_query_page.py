"""The query page in a browser: choosing another of the filial's platforms changes the cost
shown at once (htmx), and the query goes through that platform."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from creditcheck.analysis.models import CreditQuery
from creditcheck.core.models import Branch
from providers.sandbox.scenarios import CLEAN_CPF
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch, integration_on
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_choosing_a_platform_shows_its_price_and_queries_through_it(
    page: Page,
    log_in: Callable[[str, str], None],
    screenshot: Callable[[str], Path],
    sandbox: RunningSandbox,
    branch: Branch,
    attendant: User,
) -> None:
    chosen = integration_on(branch, sandbox, "soawebservice", cost="7.00")
    connect_branch(branch, sandbox, "spcbrasil", cost="12.50")  # the default
    log_in(attendant.username, PASSWORD)

    # Given the query page of a CPF, with the filial's default platform preselected
    page.goto(f"/analise-credito/nova/?document={CLEAN_CPF}")
    platform = page.get_by_label("Plataforma")
    expect(platform).to_have_value("spcbrasil")
    expect(page.get_by_test_id("query-cost")).to_have_text("R$ 12,50")

    # When the attendant picks SOAWebService
    platform.select_option(label="SOAWebService · R$ 7,00 por consulta")

    # Then the cost warning shows its price, and the query is made through it
    expect(page.get_by_test_id("query-cost")).to_have_text("R$ 7,00")
    expect(page.get_by_test_id("cost-warning")).to_contain_text("(SOAWebService)")
    screenshot("query_page_platform_choice")
    page.get_by_role("button", name="Consultar").click()
    expect(page).to_have_url(re.compile(r"/analise-credito/\d+/$"))
    query = CreditQuery.objects.get()
    assert (query.integration, query.platform) == (chosen, "soawebservice")
