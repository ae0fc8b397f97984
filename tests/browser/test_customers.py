"""Customer flows as an attendant performs them in the browser."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from creditcheck.core.models import Branch
from creditcheck.customers.models import Customer
from tests.factories import PASSWORD, CustomerFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def customer(branch: Branch) -> Customer:
    return CustomerFactory.create(
        name="Maria das Graças Silva", document="52998224725", branch=branch
    )


def test_customer_address_edit_shows_error_then_saves(
    page: Page,
    log_in: Callable[[str, str], None],
    screenshot: Callable[[str], Path],
    attendant: User,
    customer: Customer,
) -> None:
    CustomerFactory.create(name="Carlos Souza", document="16899535009", branch=customer.branch)

    # Given an attendant on the customer list, searching by the masked CPF
    log_in(attendant.username, PASSWORD)
    expect(page).to_have_url(re.compile(r"/clientes/$"))
    expect(page.get_by_role("heading", name="Clientes")).to_be_visible()
    page.get_by_label("Buscar").fill("529.982.247-25")
    page.get_by_role("button", name="Buscar").click()
    rows = page.get_by_test_id("customer-table").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("529.982.247-25")
    screenshot("customer_list")

    # When they open the edit screen and save an address with an invalid CEP and no city
    rows.first.get_by_role("link", name="Maria das Graças Silva").click()
    expect(page.get_by_test_id("customer-name")).to_have_text("Maria das Graças Silva")
    page.get_by_label("Logradouro").fill("Rua das Flores")
    page.get_by_label("Número").fill("250")
    page.get_by_label("Bairro").fill("Itaim Bibi")
    page.get_by_label("CEP").fill("0453")
    page.get_by_label("Cidade").fill("")
    page.get_by_role("button", name="Salvar").click()

    # Then the errors show next to the fields, in Portuguese, and the typed values stay
    expect(page.locator('[data-field-error="cep"]')).to_have_text(
        "CEP inválido: informe 8 dígitos."
    )
    expect(page.locator('[data-field-error="city"]')).to_have_text("Este campo é obrigatório.")
    expect(page.get_by_label("Logradouro")).to_have_value("Rua das Flores")
    expect(page.get_by_label("CEP")).to_have_class("form-control is-invalid")
    screenshot("customer_edit_errors")

    # When they fix both fields and save again
    page.get_by_label("CEP").fill("04538133")
    page.get_by_label("Cidade").fill("São Paulo")
    page.get_by_role("button", name="Salvar").click()

    # Then the save is confirmed and, after a reload, the new address is there
    expect(page.get_by_role("alert")).to_contain_text("Dados do cliente salvos.")
    page.reload()
    expect(page.get_by_label("Logradouro")).to_have_value("Rua das Flores")
    expect(page.get_by_label("Número")).to_have_value("250")
    expect(page.get_by_label("CEP")).to_have_value("04538-133")
    expect(page.get_by_label("Cidade")).to_have_value("São Paulo")
    expect(page.locator("[data-field-error]")).to_have_count(0)
    screenshot("customer_edit")
    customer.refresh_from_db()
    assert (customer.street, customer.number, customer.cep, customer.city) == (
        "Rua das Flores",
        "250",
        "04538133",
        "São Paulo",
    )


def test_login_failure_shows_portuguese_message(
    page: Page, log_in: Callable[[str, str], None], attendant: User
) -> None:
    log_in(attendant.username, "senha-errada")

    expect(page.get_by_test_id("login-error")).to_contain_text(
        "Por favor, entre com um usuário e senha corretos."
    )
    expect(page).to_have_title("Entrar · CreditCheck")


def test_user_of_one_branch_cannot_see_other_branch_customer(
    page: Page,
    log_in: Callable[[str, str], None],
    attendant: User,
    customer: Customer,
    other_branch: Branch,
) -> None:
    stranger = CustomerFactory.create(
        name="João Pereira Lima", document="11144477735", branch=other_branch
    )
    log_in(attendant.username, PASSWORD)

    page.get_by_label("Buscar").fill("111.444.777-35")
    page.get_by_role("button", name="Buscar").click()
    expect(page.get_by_test_id("customer-table")).to_contain_text("Nenhum cliente encontrado.")

    response = page.goto(f"/clientes/{stranger.pk}/")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", name="Página não encontrada")).to_be_visible()
