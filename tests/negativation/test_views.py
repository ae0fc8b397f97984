"""Negativação screens with the Django test client. Inclusions and removals reach the
SOAWebService sandbox over real HTTP and run in-process after commit (hence transactional tests
where something is sent).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from creditcheck.contracts.enums import InvoiceStatus
from creditcheck.contracts.models import Invoice
from creditcheck.contracts.services import invoice_pay
from creditcheck.core.models import Branch
from creditcheck.integrations.models import BranchIntegration, CreditAnalysisSettings
from creditcheck.negativation.deadlines import removal_deadline
from creditcheck.negativation.enums import NegativationStatus as S
from creditcheck.negativation.enums import RemovalReason
from creditcheck.negativation.models import (
    BranchNegativationSettings,
    Negativation,
)
from creditcheck.negativation.services import negativation_include
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch, enable_credit_analysis, integration_on
from tests.html import by_testid, parse, text, text_by_testid
from tests.negativation.conftest import MakeInvoice
from tests.sandbox_client import advance_clock, inject_fault
from tests.sse_client import stream_body

if TYPE_CHECKING:  # the test client's response type exists only in django-stubs
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

PLATFORM = "soawebservice"
transactional = pytest.mark.django_db(transaction=True)


@pytest.fixture
def connected(branch: Branch, sandbox: RunningSandbox) -> RunningSandbox:
    """Credit analysis on and the branch connected to the SOAWebService sandbox (R$ 12,50)."""
    integration_on(branch, sandbox, PLATFORM, cost="12.50")
    return sandbox


def messages_of(response: Response) -> list[str]:
    return [text(alert) for alert in parse(response).xpath('//div[@role="alert"]')]


def event_rows(response: Response) -> list[list[str]]:
    """(de, para, quem, mensagem) of the status history table; "quando" varies."""
    (table,) = by_testid(response, "negativation-events")
    rows = []
    for row in table.xpath(".//tbody/tr"):
        cells = [text(cell) for cell in row.xpath("./td")]
        rows.append([cells[0], cells[1], cells[3], cells[4]])
    return rows


# ---- the confirmation of one inclusion --------------------------------------------------------


def test_include_confirmation_states_cost_and_legal_effect(
    client_for: Callable[[User], Client],
    financial: User,
    connected: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    invoice = make_overdue_invoice(state="SP", amount="129.90")

    response = client_for(financial).get(f"/financeiro/faturas/{invoice.pk}/negativar/")

    assert response.status_code == 200
    assert text_by_testid(response, "negativation-cost") == (
        "Esta inclusão custa R$ 12,50, cobrados pela plataforma SOAWebService (Filial São Paulo)."
    )
    assert text_by_testid(response, "debt-amount") == "R$ 129,90"
    assert text_by_testid(response, "legal-effect") == (
        "A inclusão só é enviada ao birô depois que um comunicado ao devedor cumprir a regra do "
        "estado dele (canal, conteúdo e prazo; comunicado eletrônico só vale com prova de "
        "entrega, STJ Tema 1.315); até lá fica aguardando prazo do comunicado. O birô também "
        "comunica o devedor por escrito (CDC art. 43 §2º; Súmula 359 do STJ): "
        "São Paulo (SP): 20 dias corridos; sem consentimento: Carta (correio), E-mail, SMS. "
        "Após o pagamento, a baixa é obrigatória em até 5 dias úteis (Súmula 548 do STJ). "
        "O CreditCheck a solicita automaticamente quando o pagamento é registrado. "
        "O registro dura no máximo 5 anos a partir do vencimento (CDC art. 43 §1º; Súmula 323 "
        "do STJ); depois disso é excluído automaticamente."
    )
    posted = timezone.localdate() - dt.timedelta(days=30)
    met = posted + dt.timedelta(days=20)
    assert text_by_testid(response, "notice-compliance") == (
        f"Regra de SP cumprida em {met:%d/%m/%Y} pelo comunicado Carta (correio) "
        f"{posted:%d/%m/%Y}: a inclusão será enviada ao birô."
    )
    assert by_testid(response, "ineligibility") == []


def test_include_confirmation_uses_default_notice_for_state_without_row(
    client_for: Callable[[User], Client],
    financial: User,
    connected: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    invoice = make_overdue_invoice(state="MG")

    response = client_for(financial).get(f"/financeiro/faturas/{invoice.pk}/negativar/")

    assert text_by_testid(response, "notice-days") == (
        "Minas Gerais (MG): 10 dias corridos; sem consentimento: Carta (correio), E-mail, SMS"
    )


def test_include_confirmation_of_ineligible_invoice_lists_reasons(
    client_for: Callable[[User], Client],
    financial: User,
    connected: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    invoice = make_overdue_invoice(days_overdue=10, district="")
    client = client_for(financial)

    response = client.get(f"/financeiro/faturas/{invoice.pk}/negativar/")

    reasons = by_testid(response, "ineligibility-reasons")[0].xpath("./li")
    assert [(li.get("data-code"), text(li)) for li in reasons] == [
        ("not_overdue_enough", "Vencida há 10 dia(s); a regra da filial exige 30."),
        ("incomplete_address", "Endereço incompleto para a carta de comunicado: bairro."),
    ]
    assert by_testid(response, "negativate-form") == []

    # Posting anyway changes nothing and shows the same reasons.
    response = client.post(f"/financeiro/faturas/{invoice.pk}/negativar/")
    assert response.status_code == 400
    assert len(by_testid(response, "ineligibility-reasons")[0].xpath("./li")) == 2
    assert Negativation.objects.count() == 0


def test_include_confirmation_offers_reason_nature_platform_and_amount(
    client_for: Callable[[User], Client],
    financial: User,
    branch: Branch,
    connected: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    spc = connect_branch(branch, connected, "spcbrasil", cost="9.90", is_default=False)
    invoice = make_overdue_invoice(amount="129.90")

    page = parse(client_for(financial).get(f"/financeiro/faturas/{invoice.pk}/negativar/"))

    reasons = page.xpath('//select[@name="reason"]/option')
    assert [(o.get("value"), text(o)) for o in reasons] == [
        ("overdue", "Fatura vencida e não paga"),
        ("contract_fine", "Multa por rescisão do contrato"),
        ("equipment", "Equipamento em comodato não devolvido"),
        ("agreement_broken", "Acordo de pagamento descumprido"),
    ]
    assert page.xpath('//select[@name="reason"]/option[@selected]/@value') == ["overdue"]
    platforms = page.xpath('//select[@name="integration"]/option')
    assert [text(o) for o in platforms] == [
        "SOAWebService (Sandbox (simulador local)) — R$ 12,50",
        "SPC Brasil (Sandbox (simulador local)) — R$ 9,90",
    ]
    default = BranchIntegration.objects.get(branch=branch, platform=PLATFORM)
    assert default.pk != spc.pk
    assert page.xpath('//select[@name="integration"]/option[@selected]/@value') == [str(default.pk)]
    assert page.xpath('//input[@name="amount"]/@value') == ["129,90"]
    assert page.xpath('//input[@name="reason_code"]/@value') in ([], [""])


def test_negativate_with_an_amount_above_the_open_amount_shows_the_field_error(
    client_for: Callable[[User], Client],
    financial: User,
    connected: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    invoice = make_overdue_invoice(amount="129.90")
    client = client_for(financial)

    above = client.post(f"/financeiro/faturas/{invoice.pk}/negativar/", {"amount": "129,91"})
    typo = client.post(f"/financeiro/faturas/{invoice.pk}/negativar/", {"amount": "12x"})

    assert above.status_code == 400
    assert [text(e) for e in parse(above).xpath('//*[@data-field-error="amount"]')] == [
        "O valor não pode passar do valor em aberto da fatura (R$ 129,90)."
    ]
    assert [text(e) for e in parse(typo).xpath('//*[@data-field-error="amount"]')] == [
        "Informe um valor em reais, como 129,90."
    ]
    assert Negativation.objects.count() == 0


@transactional
def test_negativate_with_choices_stores_them(
    client_for: Callable[[User], Client],
    financial: User,
    branch: Branch,
    connected: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    spc = connect_branch(branch, connected, "spcbrasil", is_default=False)
    invoice = make_overdue_invoice(amount="129.90")

    response = client_for(financial).post(
        f"/financeiro/faturas/{invoice.pk}/negativar/",
        {
            "reason": "contract_fine",
            "reason_code": "1",
            "integration": str(spc.pk),
            "amount": "1.00",
        },
    )

    negativation = Negativation.objects.get()
    assert response.status_code == 302
    assert (
        negativation.reason,
        negativation.reason_code,
        negativation.platform,
        negativation.amount,
    ) == ("contract_fine", "1", "spcbrasil", Decimal("1.00"))


@transactional
def test_negativate_creates_record_awaiting_notice(
    client_for: Callable[[User], Client],
    financial: User,
    connected: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    invoice = make_overdue_invoice(state="SP")

    response = client_for(financial).post(
        f"/financeiro/faturas/{invoice.pk}/negativar/", follow=True
    )

    negativation = Negativation.objects.get()
    assert (negativation.invoice_id, negativation.status, negativation.requested_by) == (
        invoice.pk,
        S.AWAITING_NOTICE,
        financial,
    )
    assert response.redirect_chain == [(f"/financeiro/negativacoes/{negativation.pk}/", 302)]
    assert text_by_testid(response, "negativation-status") == "Aguardando comunicado"
    assert messages_of(response) == [
        f"Negativação da fatura {invoice.number} solicitada: aguardando comunicado."
    ]
    visible_on = timezone.localdate() + dt.timedelta(days=20)
    assert text_by_testid(response, "visible-on") == (
        f"{visible_on:%d/%m/%Y} (após o comunicado ao devedor)"
    )
    assert text_by_testid(response, "platform-id") == negativation.platform_id != ""
    name = financial.get_full_name()
    posted = timezone.localdate() - dt.timedelta(days=30)
    met = posted + dt.timedelta(days=20)
    assert text_by_testid(response, "notice-met") == (
        f"Carta (correio) {posted:%d/%m/%Y} (postado) cumpriu a regra de SP em {met:%d/%m/%Y} · "
        "comunicados do cliente · Dossiê de defesa (PDF)"
    )
    assert event_rows(response) == [
        [
            "—",
            "Solicitada",
            name,
            f"Inclusão manual. Comunicado Carta (correio) {posted:%d/%m/%Y} cumpriu a regra de "
            f"SP em {met:%d/%m/%Y}.",
        ],
        ["Solicitada", "Enviada", "Sistema", "Aceita pela plataforma."],
        [
            "Enviada",
            "Aguardando comunicado",
            "Sistema",
            "Aguardando o prazo de comunicado ao devedor "
            "(20 dias corridos; sem consentimento: Carta (correio), E-mail, SMS).",
        ],
    ]


@transactional
def test_refresh_after_notice_period_shows_active(
    client_for: Callable[[User], Client],
    financial: User,
    connected: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    negativation = negativation_include(invoice=make_overdue_invoice(state="MG"), user=financial)
    client = client_for(financial)
    url = f"/financeiro/negativacoes/{negativation.pk}/atualizar/"

    response = client.post(url, follow=True)
    assert text_by_testid(response, "negativation-status") == "Aguardando comunicado"

    advance_clock(connected, 11)
    response = client.post(url, follow=True)

    assert text_by_testid(response, "negativation-status") == "Ativa"
    assert messages_of(response) == ["Situação atualizada: Ativa."]
    assert Negativation.objects.get().status == S.ACTIVE


# ---- payment ----------------------------------------------------------------------------------


@transactional
def test_payment_requests_removal_and_shows_removed_with_deadline(
    client_for: Callable[[User], Client],
    financial: User,
    connected: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    invoice = make_overdue_invoice(days_overdue=400, state="SP")
    negativation = negativation_include(invoice=invoice, user=financial)
    client = client_for(financial)

    form = client.get(f"/financeiro/faturas/{invoice.pk}/pagamento/")
    assert "Esta fatura está negativada (aguardando comunicado)." in text_by_testid(
        form, "payment-removal-notice"
    )

    # Paid on the Friday before Carnival 2026: Monday and Tuesday do not count.
    response = client.post(
        f"/financeiro/faturas/{invoice.pk}/pagamento/",
        {"paid_at": "13/02/2026", "amount": "129,90"},
        follow=True,
    )

    assert response.redirect_chain == [(f"/financeiro/faturas/{invoice.pk}/", 302)]
    assert messages_of(response) == [
        f"Pagamento da fatura {invoice.number} registrado.",
        "Negativação baixada na plataforma (prazo legal: 24/02/2026, Súmula 548 do STJ).",
    ]
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_at, invoice.paid_amount) == (
        InvoiceStatus.PAID,
        dt.date(2026, 2, 13),
        Decimal("129.90"),
    )
    (row,) = by_testid(response, "invoice-negativations")[0].xpath(".//tbody/tr")
    assert text(row.xpath("./td")[0]) == "Baixada"
    assert text_by_testid(response, "removal-deadline") == "24/02/2026"
    assert text_by_testid(response, "invoice-paid-by") == financial.get_full_name()

    detail = client.get(f"/financeiro/negativacoes/{negativation.pk}/")
    assert text_by_testid(detail, "negativation-status") == "Baixada"
    assert text_by_testid(detail, "removal-deadline").startswith("24/02/2026")


def test_payment_form_rejects_future_date_in_portuguese(
    client_for: Callable[[User], Client],
    financial: User,
    connected: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    invoice = make_overdue_invoice()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = client_for(financial).post(
        f"/financeiro/faturas/{invoice.pk}/pagamento/",
        {"paid_at": f"{tomorrow:%d/%m/%Y}", "amount": "129,90"},
    )

    assert response.status_code == 200
    errors = parse(response).xpath('//*[@data-field-error="paid_at"]')
    assert [text(e) for e in errors] == ["A data do pagamento não pode estar no futuro."]
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_by) == (InvoiceStatus.OPEN, None)


# ---- Financeiro > Negativações: list, batch, detail --------------------------------------------


@transactional
def test_batch_removal_confirms_then_removes_selected(
    client_for: Callable[[User], Client],
    financial: User,
    connected: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    first = negativation_include(invoice=make_overdue_invoice(), user=financial)
    second = negativation_include(invoice=make_overdue_invoice(), user=financial)
    closed = negativation_include(invoice=make_overdue_invoice(), user=financial)
    Negativation.objects.filter(pk=closed.pk).update(status=S.REMOVED)
    client = client_for(financial)
    ids = [first.pk, second.pk, closed.pk]

    confirm = client.post(
        "/financeiro/negativacoes/lote/",
        {"action": "remove", "reason": "error", "ids": ids, "next": "/financeiro/negativacoes/"},
    )

    assert confirm.status_code == 200
    assert text_by_testid(confirm, "batch-summary") == (
        "2 negativações com o motivo Registro indevido / erro."
    )
    rows = by_testid(confirm, "batch-confirm")[0].xpath(".//tbody/tr")
    assert [text(row.xpath("./td")[5]) for row in rows] == [
        "Será processada",
        "Será processada",
        "Ignorada — Negativação baixada: nada a baixar.",
    ]
    assert Negativation.objects.filter(status=S.AWAITING_NOTICE).count() == 2  # nothing yet

    hidden_ids = [
        int(value)
        for value in by_testid(confirm, "batch-confirm")[0].xpath('.//input[@name="ids"]/@value')
    ]
    response = client.post(
        "/financeiro/negativacoes/lote/",
        {
            "action": "remove",
            "reason": "error",
            "ids": hidden_ids,
            "confirmed": "True",
            "next": "/financeiro/negativacoes/",
        },
        follow=True,
    )

    assert response.redirect_chain == [("/financeiro/negativacoes/", 302)]
    assert messages_of(response) == ["2 baixas solicitadas."]
    assert sorted(
        Negativation.objects.filter(pk__in=[first.pk, second.pk]).values_list(
            "status", "removal_reason"
        )
    ) == [(S.REMOVED, RemovalReason.ERROR), (S.REMOVED, RemovalReason.ERROR)]


@transactional
def test_batch_retry_resends_failed_inclusion(
    client_for: Callable[[User], Client],
    financial: User,
    connected: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    inject_fault(connected, PLATFORM, "auth", count=1)
    failed = negativation_include(invoice=make_overdue_invoice(), user=financial)
    failed.refresh_from_db()
    assert failed.status == S.FAILED
    client = client_for(financial)

    detail = client.get(f"/financeiro/negativacoes/{failed.pk}/")
    assert failed.error_message != ""
    assert text_by_testid(detail, "negativation-error") == (
        f"Erro da plataforma ({failed.error_code}): {failed.error_message}"
    )

    response = client.post(
        "/financeiro/negativacoes/lote/",
        {"action": "retry", "ids": [failed.pk], "confirmed": "True"},
        follow=True,
    )

    assert messages_of(response) == ["1 nova tentativa solicitada."]
    failed.refresh_from_db()
    assert failed.status == S.AWAITING_NOTICE


def test_batch_without_selection_shows_error(
    client_for: Callable[[User], Client], financial: User, connected: RunningSandbox
) -> None:
    response = client_for(financial).post(
        "/financeiro/negativacoes/lote/", {"action": "remove", "reason": "manual"}, follow=True
    )

    assert messages_of(response) == ["Selecione ao menos uma negativação."]


def test_list_filters_by_status_and_document(
    client_for: Callable[[User], Client],
    financial: User,
    connected: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    # Not transactional: the requests are stored but never sent (no commit).
    mine = negativation_include(
        invoice=make_overdue_invoice(document="52998224725"), user=financial
    )
    negativation_include(invoice=make_overdue_invoice(), user=financial)
    client = client_for(financial)

    by_document = client.get("/financeiro/negativacoes/", {"q": "529.982.247-25"})
    by_status = client.get("/financeiro/negativacoes/", {"status": "active"})

    rows = by_testid(by_document, "negativation-table")[0].xpath(".//tbody/tr")
    assert [row.get("data-negativation") for row in rows] == [str(mine.pk)]
    rows = by_testid(by_status, "negativation-table")[0].xpath(".//tbody/tr")
    assert [text(row) for row in rows] == ["Nenhuma negativação encontrada."]


@pytest.mark.parametrize(
    "url",
    [
        "/financeiro/negativacoes/",
        "/financeiro/negativacoes/prazos/",
        "/clientes/{customer}/negativacoes/",
    ],
)
def test_lists_queries_do_not_grow_with_rows(
    url: str,
    client_for: Callable[[User], Client],
    financial: User,
    connected: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    # Not transactional: requests are stored, never sent; each row gets a board column's state.
    today = timezone.localdate()
    states = [
        {"status": S.AWAITING_NOTICE, "visible_on": today},
        {"status": S.ACTIVE, "active_at": timezone.now()},
        {"status": S.REMOVAL_REQUESTED, "removal_deadline": today - dt.timedelta(days=10)},
    ]
    first = make_overdue_invoice()
    customer = first.contract.customer
    url = url.format(customer=customer.pk)

    def add_row(invoice_: Invoice, fields: dict[str, object]) -> None:
        negativation = negativation_include(invoice=invoice_, user=financial)
        Negativation.objects.filter(pk=negativation.pk).update(**fields)

    add_row(first, states[0])
    client = client_for(financial)
    client.get(url)  # warm-up: lazy singleton rows and caches
    with CaptureQueriesContext(connection) as one_row:
        assert client.get(url).status_code == 200

    for fields in states[1:]:
        contract = make_overdue_invoice().contract
        contract.customer = customer
        contract.save()
        add_row(contract.invoices.get(), fields)
    assert Negativation.objects.filter(customer=customer).count() == 3
    with django_assert_num_queries(len(one_row.captured_queries)):
        assert client.get(url).status_code == 200


# ---- Elegíveis -------------------------------------------------------------------------------


@transactional
def test_eligible_list_shows_reasons_and_batch_states_total_cost(
    client_for: Callable[[User], Client],
    financial: User,
    connected: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    eligible_a = make_overdue_invoice(days_overdue=45, amount="100.00")
    eligible_b = make_overdue_invoice(days_overdue=40, amount="50.50")
    too_recent = make_overdue_invoice(days_overdue=5)
    client = client_for(financial)

    response = client.get("/financeiro/negativacoes/elegiveis/")

    rows = by_testid(response, "eligible-table")[0].xpath(".//tbody/tr")
    assert [
        (row.get("data-invoice"), text(row.xpath('.//*[@data-testid="eligibility"]')[0]))
        for row in rows
    ] == [
        (str(eligible_a.pk), "Elegível"),
        (str(eligible_b.pk), "Elegível"),
        (str(too_recent.pk), "Vencida há 5 dia(s); a regra da filial exige 30."),
    ]
    assert [row.xpath('.//input[@name="invoices"]/@value') for row in rows] == [
        [str(eligible_a.pk)],
        [str(eligible_b.pk)],
        [],
    ]

    confirm = client.post(
        "/financeiro/negativacoes/elegiveis/negativar/",
        {"invoices": [eligible_a.pk, eligible_b.pk, too_recent.pk]},
    )
    assert text_by_testid(confirm, "total-cost") == "R$ 25,00"
    assert text_by_testid(confirm, "total-amount") == "R$ 150,50"
    assert Negativation.objects.count() == 0

    response = client.post(
        "/financeiro/negativacoes/elegiveis/negativar/",
        {"invoices": [eligible_a.pk, eligible_b.pk], "confirmed": "True"},
        follow=True,
    )

    assert messages_of(response) == ["2 negativações solicitadas."]
    assert sorted(Negativation.objects.values_list("invoice_id", "status")) == [
        (eligible_a.pk, S.AWAITING_NOTICE),
        (eligible_b.pk, S.AWAITING_NOTICE),
    ]


# ---- Painel de prazos --------------------------------------------------------------------------


@transactional
def test_deadline_board_columns(
    client_for: Callable[[User], Client],
    financial: User,
    connected: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    today = timezone.localdate()
    awaiting = negativation_include(invoice=make_overdue_invoice(), user=financial)
    active = negativation_include(invoice=make_overdue_invoice(state="MG"), user=financial)
    Negativation.objects.filter(pk=active.pk).update(status=S.ACTIVE, active_at=timezone.now())
    due_soon_invoice = make_overdue_invoice(days_overdue=60)
    overdue_invoice = make_overdue_invoice(days_overdue=90)
    paid_later = make_overdue_invoice(days_overdue=60)
    for invoice in (due_soon_invoice, overdue_invoice, paid_later):
        negativation_include(invoice=invoice, user=financial)
    inject_fault(connected, PLATFORM, "http500", count=100)  # removals stay pending
    # The earliest payment date whose legal deadline has not passed: it ends today or on the
    # next business day, inside the 2-business-day window.
    due_soon_paid_at = next(
        today - dt.timedelta(days=back)
        for back in range(14, -1, -1)
        if removal_deadline(today - dt.timedelta(days=back), "SP") >= today
    )
    invoice_pay(
        invoice=due_soon_invoice, paid_at=due_soon_paid_at, amount=Decimal("1"), user=financial
    )
    invoice_pay(
        invoice=overdue_invoice,
        paid_at=today - dt.timedelta(days=30),
        amount=Decimal("1"),
        user=financial,
    )
    invoice_pay(invoice=paid_later, paid_at=today, amount=Decimal("1"), user=financial)

    response = client_for(financial).get("/financeiro/negativacoes/prazos/")

    def column(testid: str) -> tuple[str, list[str]]:
        (card,) = by_testid(response, testid)
        count = text(card.xpath('.//*[@data-testid="count"]')[0])
        names = [text(a) for a in card.xpath(".//li/a")]
        return count, names

    assert column("board-awaiting") == ("1", [awaiting.customer.name])
    assert column("board-active") == ("1", [active.customer.name])
    assert column("board-due-soon") == ("1", [due_soon_invoice.contract.customer.name])
    assert column("board-overdue") == ("1", [overdue_invoice.contract.customer.name])
    assert text_by_testid(response, "board-removal-errors").startswith(
        "3 baixas com erro na plataforma: o CreditCheck tenta de novo automaticamente"
    )
    (overdue_card,) = by_testid(response, "board-overdue")
    assert overdue_card.get("data-alert") == "true"
    assert "border-danger" in overdue_card.get("class", "").split()


def test_deadline_board_overdue_column_empty_is_green(
    client_for: Callable[[User], Client], financial: User, connected: RunningSandbox
) -> None:
    response = client_for(financial).get("/financeiro/negativacoes/prazos/")

    (card,) = by_testid(response, "board-overdue")
    assert card.get("data-alert") is None
    assert "border-success" in card.get("class", "").split()
    assert by_testid(response, "board-removal-errors") == []
    assert text(card.xpath(".//li")[0]) == "Nenhuma baixa em atraso."


# ---- customer tab ------------------------------------------------------------------------------


@transactional
def test_customer_tab_lists_negativations_with_history(
    client_for: Callable[[User], Client],
    financial: User,
    connected: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    invoice = make_overdue_invoice(days_overdue=100)
    negativation = negativation_include(invoice=invoice, user=financial)
    invoice_pay(
        invoice=invoice, paid_at=timezone.localdate(), amount=invoice.amount, user=financial
    )
    customer = invoice.contract.customer

    response = client_for(financial).get(f"/clientes/{customer.pk}/negativacoes/")

    (table,) = by_testid(response, "customer-negativations")
    (row,) = table.xpath(".//tr[@data-negativation]")
    cells = [text(cell) for cell in row.xpath("./td")]
    assert cells[:5] == [
        invoice.number,
        "R$ 129,90",
        f"{invoice.due_date:%d/%m/%Y}",
        "SOAWebService",
        "Baixada",
    ]
    history = [
        [text(cell) for cell in tr.xpath("./td")][1]
        for tr in table.xpath('.//*[@data-testid="negativation-events"]//tbody/tr')
    ]
    assert history == [
        "Solicitada",
        "Enviada",
        "Aguardando comunicado",
        "Baixa solicitada",
        "Baixada",
    ]
    tabs = [text(a) for a in parse(response).xpath('//ul[contains(@class,"nav-tabs")]//a')]
    assert "Negativações" in tabs
    assert negativation.pk == int(row.get("data-negativation"))


# ---- Configurações > Negativação ---------------------------------------------------------------


def test_settings_form_rejects_zero_days_with_portuguese_error(
    client_for: Callable[[User], Client], administrator: User, branch: Branch
) -> None:
    response = client_for(administrator).post(
        f"/configuracoes/negativacao/filiais/{branch.pk}/",
        {
            "auto_include": "True",
            "days_after_due": "0",
            "min_amount": "10,00",
            "run_hour": "8",
            "integration": "",
            "inclusion_reason_code": "",
            "removal_reason_code": "",
        },
    )

    assert response.status_code == 200
    errors = parse(response).xpath('//*[@data-field-error="days_after_due"]')
    assert [text(e) for e in errors] == [
        "Informe pelo menos 1 dia: a dívida só pode ser registrada a partir do dia seguinte "
        "ao vencimento."
    ]
    assert BranchNegativationSettings.objects.count() == 0


def test_settings_form_saves_branch_rules(
    client_for: Callable[[User], Client],
    administrator: User,
    branch: Branch,
    sandbox: RunningSandbox,
) -> None:
    integration = connect_branch(branch, sandbox, PLATFORM)
    client = client_for(administrator)

    response = client.post(
        f"/configuracoes/negativacao/filiais/{branch.pk}/",
        {
            "auto_include": "True",
            "days_after_due": "45",
            "min_amount": "1.234,50",
            "run_hour": "6",
            "integration": str(integration.pk),
            "inclusion_reason_code": "12",
            "removal_reason_code": "3",
        },
        follow=True,
    )

    assert messages_of(response) == ["Regras de negativação da Filial São Paulo salvas."]
    rules = BranchNegativationSettings.objects.get(branch=branch)
    assert (
        rules.auto_include,
        rules.days_after_due,
        rules.min_amount,
        rules.run_hour,
        rules.integration,
        rules.inclusion_reason_code,
        rules.removal_reason_code,
    ) == (True, 45, Decimal("1234.50"), 6, integration, "12", "3")
    (row,) = by_testid(response, "branch-rules-table")[0].xpath(".//tbody/tr")
    assert [text(cell) for cell in row.xpath("./td")][:6] == [
        "Filial São Paulo",
        "Sim",
        "45",
        "R$ 1.234,50",
        "6h",
        "SOAWebService",
    ]


def test_settings_need_permission(
    client_for: Callable[[User], Client], financial: User, branch: Branch
) -> None:
    client = client_for(financial)

    assert client.get("/configuracoes/negativacao/").status_code == 403
    assert client.get(f"/configuracoes/negativacao/filiais/{branch.pk}/").status_code == 403


# ---- scoping and the global flag ---------------------------------------------------------------


def test_other_branch_records_are_not_found(
    client_for: Callable[[User], Client],
    financial: User,
    other_branch: Branch,
    sandbox: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    integration_on(other_branch, sandbox, PLATFORM)
    invoice = make_overdue_invoice(branch_=other_branch)
    negativation = negativation_include(invoice=invoice, user=None)  # stored, not sent
    client = client_for(financial)

    for url in (
        f"/financeiro/faturas/{invoice.pk}/negativar/",
        f"/financeiro/faturas/{invoice.pk}/pagamento/",
        f"/financeiro/negativacoes/{negativation.pk}/",
        f"/clientes/{invoice.contract.customer_id}/negativacoes/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/financeiro/faturas/{invoice.pk}/negativar/").status_code == 404
    response = client.post(
        "/financeiro/negativacoes/lote/",
        {"action": "remove", "reason": "manual", "ids": [negativation.pk], "confirmed": "True"},
        follow=True,
    )
    assert messages_of(response) == ["Uma das negativações selecionadas não existe mais."]
    assert Negativation.objects.get().status == S.REQUESTED


def test_integration_disabled_hides_actions_with_reason(
    client_for: Callable[[User], Client],
    financial: User,
    connected: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    invoice = make_overdue_invoice()
    negativation = negativation_include(invoice=invoice, user=financial)  # stored, not sent
    CreditAnalysisSettings.objects.filter(pk=1).update(enabled=False)
    client = client_for(financial)

    detail = client.get(f"/financeiro/faturas/{invoice.pk}/")
    (button,) = by_testid(detail, "negativate-disabled")
    assert (button.get("disabled"), button.get("title")) == (
        "disabled",
        "Integração com análise de crédito desativada",
    )
    assert parse(detail).xpath(f'//a[@href="/financeiro/faturas/{invoice.pk}/negativar/"]') == []

    confirm = client.get(f"/financeiro/faturas/{invoice.pk}/negativar/")
    reasons = [text(li) for li in by_testid(confirm, "ineligibility-reasons")[0].xpath("./li")]
    assert reasons[0] == (
        "A integração com análise de crédito está desativada (Configurações > Integrações): "
        "as ações de negativação estão indisponíveis."
    )

    page = client.get(f"/financeiro/negativacoes/{negativation.pk}/")
    assert text_by_testid(page, "actions-disabled") == (
        "Integração com análise de crédito desativada: as ações de negativação estão indisponíveis."
    )
    assert parse(page).xpath('//button[@name="action"]') == []

    listing = client.get("/financeiro/negativacoes/")
    assert parse(listing).xpath('//input[@name="ids"]') == []
    assert text_by_testid(listing, "actions-disabled") == (
        "Integração com análise de crédito desativada: baixas e novas tentativas indisponíveis."
    )

    response = client.post(
        "/financeiro/negativacoes/lote/",
        {"action": "remove", "reason": "manual", "ids": [negativation.pk], "confirmed": "True"},
        follow=True,
    )
    assert messages_of(response) == [
        "A integração com análise de crédito está desativada (Configurações > Integrações): "
        "as ações de negativação estão indisponíveis."
    ]
    assert Negativation.objects.get().status == S.REQUESTED


def test_customer_invoices_tab_shows_row_actions(
    client_for: Callable[[User], Client],
    financial: User,
    connected: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    invoice = make_overdue_invoice()

    response = client_for(financial).get(f"/clientes/{invoice.contract.customer_id}/faturas/")

    (actions,) = by_testid(response, "invoice-actions")
    assert [(text(a), a.get("href")) for a in actions.xpath(".//a")] == [
        ("Registrar pagamento", f"/financeiro/faturas/{invoice.pk}/pagamento/"),
        ("Negativar", f"/financeiro/faturas/{invoice.pk}/negativar/"),
    ]


def test_settings_branch_form_starts_from_defaults(
    client_for: Callable[[User], Client], administrator: User, branch: Branch
) -> None:
    response = client_for(administrator).get(f"/configuracoes/negativacao/filiais/{branch.pk}/")

    form = parse(response)
    assert form.xpath('//input[@name="days_after_due"]/@value') == ["30"]
    assert form.xpath('//input[@name="run_hour"]/@value') == ["8"]
    assert form.xpath('//input[@name="min_amount"]/@value') == ["0,00"]
    assert form.xpath('//input[@name="auto_include"][@checked]/@value') == ["False"]


def test_attendant_sees_tab_but_no_negativation_actions(
    client_for: Callable[[User], Client],
    attendant: User,
    connected: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    invoice = make_overdue_invoice()
    negativation = negativation_include(invoice=invoice, user=None)  # stored, not sent
    Negativation.objects.filter(pk=negativation.pk).update(status=S.AWAITING_NOTICE)
    client = client_for(attendant)

    tab = client.get(f"/clientes/{invoice.contract.customer_id}/negativacoes/")
    detail = client.get(f"/financeiro/negativacoes/{negativation.pk}/")

    assert [
        row.get("data-negativation") for row in parse(tab).xpath("//tr[@data-negativation]")
    ] == [str(negativation.pk)]
    assert parse(detail).xpath('//*[@data-testid="negativation-actions"]//button') == []
    assert client.get(f"/financeiro/faturas/{invoice.pk}/negativar/").status_code == 403
    assert client.post(f"/financeiro/negativacoes/{negativation.pk}/atualizar/").status_code == 403
    response = client.post(
        "/financeiro/negativacoes/lote/",
        {"action": "remove", "reason": "manual", "ids": [negativation.pk], "confirmed": "True"},
    )
    assert response.status_code == 403


# ---- what the screens offer is what the services allow -----------------------------------------


def test_detail_offers_withdrawal_of_a_request_not_sent(
    client_for: Callable[[User], Client],
    financial: User,
    connected: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    negativation = negativation_include(invoice=make_overdue_invoice(), user=financial)  # unsent

    page = client_for(financial).get(f"/financeiro/negativacoes/{negativation.pk}/")

    buttons = parse(page).xpath('//*[@data-testid="negativation-actions"]//button')
    assert [(b.get("value"), text(b)) for b in buttons] == [("remove", "Cancelar inclusão")]


def test_detail_listens_for_the_status_while_a_task_moves_it_on(
    client_for: Callable[[User], Client],
    financial: User,
    connected: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    negativation = negativation_include(invoice=make_overdue_invoice(), user=financial)  # unsent
    client = client_for(financial)
    events = f"/financeiro/negativacoes/{negativation.pk}/eventos/"

    live = parse(client.get(f"/financeiro/negativacoes/{negativation.pk}/")).xpath(
        '//*[@id="negativation-live"]'
    )[0]
    unchanged = stream_body(client.get(f"{events}?desde=requested"))
    Negativation.objects.filter(pk=negativation.pk).update(status=S.REJECTED)
    changed = stream_body(client.get(f"{events}?desde=requested"))
    settled = parse(client.get(f"/financeiro/negativacoes/{negativation.pk}/"))

    assert (live.get("sse-connect"), live.get("hx-select")) == (
        f"{events}?desde=requested",
        "#negativation-live",
    )
    assert (unchanged, changed) == (
        "retry: 2000\n\n",
        "retry: 2000\n\nevent: changed\ndata: rejected\n\n",
    )
    assert settled.xpath('//*[@id="negativation-live"]/@sse-connect') == []


@transactional
def test_refresh_of_a_record_not_awaiting_says_why(
    client_for: Callable[[User], Client],
    financial: User,
    connected: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    negativation = negativation_include(invoice=make_overdue_invoice(), user=financial)
    Negativation.objects.filter(pk=negativation.pk).update(status=S.ACTIVE)

    response = client_for(financial).post(
        f"/financeiro/negativacoes/{negativation.pk}/atualizar/", follow=True
    )

    assert messages_of(response) == ["Negativação ativa: só as que aguardam o comunicado."]
    assert (
        by_testid(response, "negativation-actions")[0].xpath(
            './/form[contains(@action, "/atualizar/")]'
        )
        == []
    )


@transactional
def test_batch_confirmed_after_another_removed_it_says_why(
    client_for: Callable[[User], Client],
    financial: User,
    connected: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    first, second = (negativation_include(invoice=make_overdue_invoice()) for _ in range(2))
    client = client_for(financial)
    data = {"action": "remove", "reason": "error", "ids": [first.pk, second.pk]}
    confirm = client.post("/financeiro/negativacoes/lote/", data)
    assert text_by_testid(confirm, "batch-summary").startswith("2 negativações")
    # ...meanwhile someone else removes the second one
    elsewhere = {**data, "ids": [second.pk], "confirmed": "True"}
    assert messages_of(client.post("/financeiro/negativacoes/lote/", elsewhere, follow=True)) == [
        "1 baixa solicitada."
    ]

    response = client.post(
        "/financeiro/negativacoes/lote/", {**data, "confirmed": "True"}, follow=True
    )

    assert messages_of(response) == [
        "1 baixa solicitada.",
        "1 ignorada(s): Negativação baixada: nada a baixar.",
    ]
    assert list(Negativation.objects.order_by("pk").values_list("status", flat=True)) == [
        S.REMOVED,
        S.REMOVED,
    ]
    assert [e.to_status for e in second.events.order_by("at", "id")].count(S.REMOVED) == 1


def test_eligible_list_shows_branch_without_integration_once_and_no_selection(
    client_for: Callable[[User], Client],
    financial: User,
    branch: Branch,
    make_overdue_invoice: MakeInvoice,
) -> None:
    enable_credit_analysis()
    invoice = make_overdue_invoice()

    response = client_for(financial).get("/financeiro/negativacoes/elegiveis/")

    assert [text(b) for b in by_testid(response, "branch-blocker")] == [
        "A Filial São Paulo não tem integração ativa (Configurações > Integrações)."
    ]
    (row,) = by_testid(response, "eligible-table")[0].xpath(".//tbody/tr")
    assert row.get("data-invoice") == str(invoice.pk)
    assert parse(response).xpath('//input[@name="invoices"]') == []


def test_eligible_list_row_with_invalid_document_lists_the_reason(
    client_for: Callable[[User], Client],
    financial: User,
    connected: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    valid = make_overdue_invoice(days_overdue=45)
    invalid = make_overdue_invoice(days_overdue=40, document="11111111111")

    response = client_for(financial).get("/financeiro/negativacoes/elegiveis/")

    rows = by_testid(response, "eligible-table")[0].xpath(".//tbody/tr")
    assert [
        (
            row.get("data-invoice"),
            text(row.xpath('.//*[@data-testid="eligibility"]')[0]),
            row.xpath('.//input[@name="invoices"]/@value'),
        )
        for row in rows
    ] == [
        (str(valid.pk), "Elegível", [str(valid.pk)]),
        (str(invalid.pk), "O CPF/CNPJ do cliente é inválido.", []),
    ]


def test_eligible_include_while_integration_off_changes_nothing(
    client_for: Callable[[User], Client],
    financial: User,
    connected: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    invoice = make_overdue_invoice()
    CreditAnalysisSettings.objects.filter(pk=1).update(enabled=False)
    client = client_for(financial)

    for confirmed in ("", "True"):
        response = client.post(
            "/financeiro/negativacoes/elegiveis/negativar/",
            {"invoices": [invoice.pk], "confirmed": confirmed},
            follow=True,
        )
        assert messages_of(response) == [
            "A integração com análise de crédito está desativada (Configurações > Integrações): "
            "as ações de negativação estão indisponíveis."
        ]
    assert Negativation.objects.count() == 0
