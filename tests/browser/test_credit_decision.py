"""The credit decision in the browser (issue 13, Done when 1): with the company policy on, a
restricted sandbox CPF is denied with its reasons, a clean one approved with conditions, a mid
score goes to review, and the reviewer's decision is shown beside the automated one."""

from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from creditcheck.core.models import Branch
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch, enable_credit_analysis
from tests.decisions.policies import (
    CLEAN_CPF,
    LARGE_RESTRICTIONS_CPF,
    SMALL_RESTRICTION_CPF,
    publish_standard_policy,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def consult(page: Page, document: str) -> None:
    """Consult a bare CPF from the query page, as an attendant does."""
    page.goto(f"/analise-credito/nova/?document={document}")
    page.get_by_role("button", name="Consultar").click()
    expect(page.get_by_test_id("decision")).to_be_visible()


def test_policy_decides_and_the_reviewer_decides_beside_it(
    page: Page,
    log_in: Callable[[str, str], None],
    screenshot: Callable[[str], Path],
    sandbox: RunningSandbox,
    branch: Branch,
    attendant: User,
    financial: User,
) -> None:
    # Given the standard company policy in force (approval up to R$ 299,90 with comodato)
    connect_branch(branch, sandbox, "spcbrasil")
    enable_credit_analysis()
    publish_standard_policy()
    log_in(attendant.username, PASSWORD)

    # When the attendant consults a restricted CPF, it is denied with every reason
    consult(page, LARGE_RESTRICTIONS_CPF)
    expect(page.get_by_test_id("decision-state")).to_have_text("Negado")
    expect(page.get_by_test_id("decision-sentence")).to_have_text(
        "Negado: score 180 abaixo de 300; total das restrições R$ 48.730,00 acima de R$ 5.000,00"
    )
    expect(page.get_by_test_id("decision-reasons")).to_contain_text(
        "Regra 1 — Score muito baixo: score 180 abaixo de 300"
    )
    screenshot("decision-denied")

    # and a clean CPF is approved with the policy's conditions
    consult(page, CLEAN_CPF)
    expect(page.get_by_test_id("decision-state")).to_have_text("Aprovado")
    expect(page.get_by_test_id("decision-sentence")).to_have_text(
        "Aprovado para planos até R$ 299,90, com comodato"
    )

    # and a mid score goes to review, with the review's term shown
    consult(page, SMALL_RESTRICTION_CPF)
    expect(page.get_by_test_id("decision-state")).to_have_text("Revisão manual")
    expect(page.get_by_test_id("review-deadline")).to_contain_text(
        "Em revisão (Revisão pedida pela política): prazo"
    )
    review_url = page.url

    # When the financial reviewer approves it from the queue with a written reason
    page.context.clear_cookies()
    log_in(financial.username, PASSWORD)
    page.goto("/revisoes-credito/")
    row = page.get_by_test_id("review-row")
    expect(row).to_have_count(1)
    row.get_by_role("link", name="Revisar").click()
    page.get_by_label("Aprovado").check()
    page.get_by_role("button", name="Registrar decisão").click()
    expect(page.get_by_test_id("form-errors")).to_be_visible()  # no reason: refused
    page.get_by_label("Aprovado").check()
    page.get_by_label("Motivo").fill("Cliente antigo, pagamentos em dia conosco")
    page.get_by_role("button", name="Registrar decisão").click()

    # Then the result shows the reviewer's decision beside the automated one
    expect(page).to_have_url(review_url)
    expect(page.get_by_test_id("decision-state")).to_have_text("Aprovado")
    expect(page.get_by_test_id("decision-final")).to_contain_text("Aprovado pelo revisor")
    expect(page.get_by_test_id("decision-final")).to_contain_text(
        "Cliente antigo, pagamentos em dia conosco (para planos até R$ 299,90, com comodato)"
    )
    expect(page.get_by_test_id("decision-automated")).to_have_text(
        "Decisão automática: Revisão manual: score 520 entre 300 e 599"
    )
    screenshot("decision-reviewed")
