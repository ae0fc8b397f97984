"""A negativação end to end in the browser, as financial staff meet it: negativate an overdue
invoice from the customer's invoices, wait for the bureau's notice period (the sandbox clock),
register the payment and follow the removal to its legal deadline. The branch integration points
at the SOAWebService sandbox.
"""

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect

from creditcheck.contracts.enums import InvoiceStatus
from creditcheck.core.models import Branch
from creditcheck.negativation.deadlines import removal_deadline
from creditcheck.negativation.enums import NegativationStatus as S
from creditcheck.negativation.models import Negativation
from creditcheck.negativation.services import negativation_retry_due
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import integration_on
from tests.factories import PASSWORD, ContractFactory, CustomerFactory, InvoiceFactory
from tests.notice_setup import letter_posted
from tests.sandbox_client import advance_clock, inject_fault

PLATFORM = "soawebservice"

pytestmark = pytest.mark.browser


def test_negativation_from_overdue_invoice_to_removal(
    page: Page,
    log_in: Callable[[str, str], None],
    screenshot: Callable[[str], Path],
    sandbox: RunningSandbox,
    branch: Branch,
    financial: User,
) -> None:
    integration_on(branch, sandbox, PLATFORM, cost="12.50")
    today = timezone.localdate()
    customer = CustomerFactory.create(name="Joana Inadimplente", branch=branch, state="SP")
    invoice = InvoiceFactory.create(
        contract=ContractFactory.create(customer=customer, start_date=dt.date(2020, 1, 10)),
        amount=Decimal("129.90"),
        due_date=today - dt.timedelta(days=40),
    )
    letter_posted(invoice)  # the debtor's notice, posted 30 days ago: SP's 20 days have passed

    # Given a financial user on the customer's invoices, with an invoice 40 days overdue
    log_in(financial.username, PASSWORD)
    page.goto(f"/clientes/{customer.pk}/faturas/")
    row = page.get_by_test_id("invoice-table").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Vencida há 40 dias")
    screenshot("negativation_customer_invoices")

    # When they choose "Negativar", the confirmation states the cost and the legal effect
    row.get_by_role("link", name="Negativar").click()
    expect(page.get_by_role("heading", name=f"Negativar fatura {invoice.number}")).to_be_visible()
    expect(page.get_by_test_id("negativation-cost")).to_have_text(
        "Esta inclusão custa R$ 12,50, cobrados pela plataforma SOAWebService (Filial São Paulo)."
    )
    legal = page.get_by_test_id("legal-effect")
    expect(legal.get_by_test_id("notice-days")).to_have_text(
        "São Paulo (SP): 20 dias corridos; sem consentimento: Carta (correio), E-mail, SMS"
    )
    expect(legal).to_contain_text("baixa é obrigatória em até 5 dias úteis (Súmula 548 do STJ)")
    expect(legal).to_contain_text("máximo 5 anos a partir do vencimento (CDC art. 43 §1º")
    screenshot("negativation_confirm")
    page.get_by_role("button", name="Confirmar negativação").click()

    # Then the record is awaiting the bureau's notice to the debtor
    expect(page).to_have_url(re.compile(r"/financeiro/negativacoes/\d+/$"))
    expect(page.get_by_test_id("negativation-status")).to_have_text("Aguardando comunicado")
    visible_on = today + dt.timedelta(days=20)
    expect(page.get_by_test_id("visible-on")).to_contain_text(f"{visible_on:%d/%m/%Y}")
    negativation = Negativation.objects.get(invoice=invoice)
    expect(page.get_by_test_id("platform-id")).to_have_text(negativation.platform_id)
    screenshot("negativation_awaiting_notice")

    # When the notice period passes at the bureau and staff update the situation
    advance_clock(sandbox, 21)
    page.get_by_role("button", name="Atualizar situação").click()

    # Then it is active
    expect(page.get_by_test_id("negativation-status")).to_have_text("Ativa")
    expect(page.get_by_role("alert")).to_contain_text("Situação atualizada: Ativa.")
    events = page.get_by_test_id("negativation-events").locator("tbody tr")
    expect(events).to_have_count(4)
    expect(events.nth(3)).to_contain_text("Prazo de comunicado cumprido: registro visível.")
    screenshot("negativation_active")

    # When the customer pays, while the platform is briefly down for removals
    inject_fault(sandbox, PLATFORM, "http500", count=1, path="Excluir")
    page.get_by_role("link", name=invoice.number).first.click()
    page.get_by_role("link", name="Registrar pagamento").click()
    expect(page.get_by_test_id("payment-removal-notice")).to_contain_text(
        "Esta fatura está negativada (ativa)."
    )
    expect(page.get_by_label("Data do pagamento")).to_have_value(f"{today:%d/%m/%Y}")
    expect(page.get_by_label("Valor pago (R$)")).to_have_value("129,90")
    screenshot("negativation_payment_form")
    page.get_by_role("button", name="Registrar pagamento").click()

    # Then the removal is requested with its legal deadline (5 business days, Súmula 548)
    negativation.refresh_from_db()
    assert negativation.status == S.REMOVAL_REQUESTED
    assert negativation.removal_deadline == removal_deadline(today, "SP")
    deadline = f"{negativation.removal_deadline:%d/%m/%Y}"
    expect(page).to_have_url(re.compile(rf"/financeiro/faturas/{invoice.pk}/$"))
    expect(page.get_by_role("alert").first).to_contain_text(
        f"Pagamento da fatura {invoice.number} registrado."
    )
    panel = page.get_by_test_id("invoice-negativations")
    expect(panel.locator("tbody tr")).to_contain_text("Baixa solicitada")
    expect(panel.get_by_test_id("removal-deadline")).to_have_text(deadline)
    screenshot("negativation_removal_requested")
    panel.get_by_role("link", name="Detalhes").click()
    expect(page.get_by_test_id("negativation-status")).to_have_text("Baixa solicitada")
    expect(page.get_by_test_id("removal-deadline")).to_contain_text(deadline)
    expect(page.get_by_test_id("business-days-left")).to_have_text("5 dias úteis restantes")
    expect(page.get_by_test_id("negativation-error")).to_be_visible()
    screenshot("negativation_removal_requested_detail")

    # and the deadline board counts it among the removals in progress, none overdue
    page.get_by_role("button", name="Financeiro").click()
    page.get_by_role("link", name="Painel de prazos").click()
    expect(page.get_by_test_id("board-overdue").get_by_test_id("count")).to_have_text("0")
    expect(page.get_by_test_id("board-due-soon")).to_contain_text("1 baixa em andamento no total")
    expect(page.get_by_test_id("board-removal-errors")).to_contain_text(
        "1 baixa com erro na plataforma"
    )
    screenshot("negativation_deadline_board")

    # When the maintenance job retries the removal
    negativation_retry_due(now=timezone.now() + dt.timedelta(minutes=5))

    # Then the record is removed, with its whole history on the customer's tab
    page.goto(f"/clientes/{customer.pk}/")
    page.locator(".nav-tabs").get_by_role("link", name="Negativações").click()
    table = page.get_by_test_id("customer-negativations")
    expect(table.locator("tr[data-negativation]")).to_contain_text("Baixada")
    expect(table.locator("tr[data-negativation]")).to_contain_text(deadline)
    table.locator("summary").click()
    history = table.get_by_test_id("negativation-events").locator("tbody tr td:nth-child(2)")
    expect(history).to_have_text(
        [
            "Solicitada",
            "Enviada",
            "Aguardando comunicado",
            "Ativa",
            "Baixa solicitada",
            "Baixada",
        ]
    )
    screenshot("negativation_customer_tab")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert Negativation.objects.get(pk=negativation.pk).status == S.REMOVED


def test_batch_negativation_from_eligible_list_then_batch_removal(
    page: Page,
    log_in: Callable[[str, str], None],
    screenshot: Callable[[str], Path],
    sandbox: RunningSandbox,
    branch: Branch,
    financial: User,
    administrator: User,
) -> None:
    integration_on(branch, sandbox, PLATFORM, cost="12.50")
    today = timezone.localdate()
    invoices = []
    for name, days, amount in (
        ("Carlos Atrasado", 45, "100.00"),
        ("Dora Devedora", 40, "50.50"),
        ("Edu Recente", 5, "80.00"),
    ):
        customer = CustomerFactory.create(name=name, branch=branch)
        invoice = InvoiceFactory.create(
            contract=ContractFactory.create(customer=customer),
            amount=Decimal(amount),
            due_date=today - dt.timedelta(days=days),
        )
        letter_posted(invoice)
        invoices.append(invoice)

    # Given the financial user on Financeiro > Elegíveis
    log_in(financial.username, PASSWORD)
    page.get_by_role("button", name="Financeiro").click()
    page.get_by_role("link", name="Elegíveis").click()
    expect(page.get_by_test_id("branch-rules")).to_contain_text(
        "negativar após 30 dias do vencimento"
    )
    eligibility = page.get_by_test_id("eligible-table").get_by_test_id("eligibility")
    expect(eligibility).to_have_text(
        ["Elegível", "Elegível", "Vencida há 5 dia(s); a regra da filial exige 30."]
    )
    screenshot("negativation_eligible_list")

    # When they select every eligible invoice and ask to negativate them
    page.get_by_label("Selecionar todas as elegíveis").check()
    expect(page.locator('input[name="invoices"]:checked')).to_have_count(2)
    page.get_by_role("button", name="Negativar selecionadas").click()

    # Then the confirmation states the total cost before anything is sent
    expect(page.get_by_test_id("total-cost")).to_have_text("R$ 25,00")
    expect(page.get_by_test_id("total-amount")).to_have_text("R$ 150,50")
    screenshot("negativation_eligible_confirm")
    assert Negativation.objects.count() == 0
    page.get_by_role("button", name="Confirmar negativação de 2 faturas").click()
    expect(page.get_by_role("alert")).to_contain_text("2 negativações solicitadas.")

    # When they open Financeiro > Negativações, select both and request their removal
    page.get_by_role("button", name="Financeiro").click()
    page.locator(".dropdown-menu").get_by_role("link", name="Negativações").click()
    rows = page.get_by_test_id("negativation-table").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.locator('[data-status="awaiting_notice"]')).to_have_count(2)
    screenshot("negativation_list")
    page.get_by_label("Selecionar todas").check()
    page.get_by_label("Motivo da baixa").select_option(label="Registro indevido / erro")
    page.get_by_role("button", name="Solicitar baixa").click()

    # Then a confirmation lists them with the reason, and confirming removes both
    expect(page.get_by_test_id("batch-summary")).to_have_text(
        "2 negativações com o motivo Registro indevido / erro."
    )
    screenshot("negativation_batch_confirm")
    page.get_by_role("button", name="Confirmar").click()
    expect(page.get_by_role("alert")).to_contain_text("2 baixas solicitadas.")
    expect(rows.locator('[data-status="removed"]')).to_have_count(2)
    assert sorted(Negativation.objects.values_list("status", flat=True)) == [S.REMOVED, S.REMOVED]
    screenshot("negativation_list_removed")

    # And an administrator adjusts the branch rules in Configurações > Negativação
    page.context.clear_cookies()
    log_in(administrator.username, PASSWORD)
    page.get_by_role("button", name="Configurações").click()
    page.get_by_role("link", name="Negativação").click()
    expect(page.get_by_test_id("notice-rules-link")).to_contain_text("Configurações > Comunicados")
    screenshot("negativation_settings")
    page.get_by_test_id("branch-rules-table").get_by_role("link", name="Editar").click()
    page.get_by_label("Dias após o vencimento").fill("0")
    page.get_by_role("button", name="Salvar").click()
    expect(page.locator('[data-field-error="days_after_due"]')).to_have_text(
        "Informe pelo menos 1 dia: a dívida só pode ser registrada a partir do dia seguinte "
        "ao vencimento."
    )
    screenshot("negativation_settings_branch_error")
    page.get_by_label("Dias após o vencimento").fill("45")
    page.get_by_role("button", name="Salvar").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Regras de negativação da Filial São Paulo salvas."
    )
    expect(page.get_by_test_id("branch-rules-table").locator("tbody tr")).to_contain_text("45")
