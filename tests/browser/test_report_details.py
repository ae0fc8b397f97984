"""The details of a result in the browser: a customer's returned cheques with value, bank and
alínea, the cheque without a value read "valor não informado"; a company's fields and partners.
The branch integration points at the SPC Brasil sandbox."""

from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from creditcheck.core.models import Branch
from providers.sandbox.scenarios import COMPANY_PARTNERS_CNPJ, RETURNED_CHEQUES_CPF
from providers.sandbox.server import RunningSandbox
from tests.browser.conftest import consult_customer
from tests.credit_setup import integration_on
from tests.factories import PASSWORD, CustomerFactory

pytestmark = pytest.mark.browser


def test_results_show_cheque_details_unknown_amounts_and_company_fields(
    page: Page,
    log_in: Callable[[str, str], None],
    screenshot: Callable[[str], Path],
    sandbox: RunningSandbox,
    branch: Branch,
    attendant: User,
) -> None:
    integration_on(branch, sandbox, "spcbrasil")
    person = CustomerFactory.create(
        name="Ana Cheques", document=RETURNED_CHEQUES_CPF, branch=branch
    )
    company = CustomerFactory.create(
        company=True, name="Comércio Exemplo", document=COMPANY_PARTNERS_CNPJ, branch=branch
    )
    log_in(attendant.username, PASSWORD)

    consult_customer(page, person.pk)

    cheques = page.get_by_test_id("restriction")
    expect(cheques).to_have_count(3)
    facts = cheques.nth(0).get_by_test_id("restriction-facts")
    expect(facts).to_contain_text("Banco: 341 - ITAU UNIBANCO S.A.")
    expect(facts).to_contain_text("Alínea: 11 - CHEQUE SEM FUNDOS - 1A APRESENTACAO")
    expect(cheques.nth(0).get_by_test_id("row-amount")).to_have_text("R$ 1.234,56")
    expect(cheques.nth(2).get_by_test_id("row-amount")).to_have_text("valor não informado")
    expect(page.get_by_test_id("section-badge")).to_have_text(
        "3 · R$ 1.614,56 (1 sem valor informado)"
    )
    expect(page.get_by_test_id("other-information")).to_contain_text("Operador do SPC: nome")
    screenshot("credit_result_cheques")

    consult_customer(page, company.pk)

    identity = page.get_by_test_id("identity")
    for label in ("Razão social", "Nome fantasia", "CNAE principal", "Capital social"):
        expect(identity).to_contain_text(label)
    expect(identity).not_to_contain_text("Nome da mãe")
    expect(page.get_by_text("Quadro societário")).to_be_visible()
    expect(page.get_by_text("MARIA EXEMPLO DA SILVA")).to_be_visible()
    screenshot("credit_result_company")
