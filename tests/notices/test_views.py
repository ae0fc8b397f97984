"""Configurações > Comunicados and the customer's Comunicados tab."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from creditcheck.core.models import Branch
from creditcheck.notices.models import CreditorProfile, Notice, NoticeConsent, StateNoticeRule
from creditcheck.notices.selectors import notice_rule
from tests.html import by_testid, parse, text, text_by_testid
from tests.negativation.conftest import MakeInvoice
from tests.negativation.test_views import messages_of
from tests.notice_setup import creditor_for

pytestmark = pytest.mark.django_db


def test_rules_screen_lists_every_uf_with_its_source(
    client_for: Callable[[User], Client], administrator: User
) -> None:
    response = client_for(administrator).get("/configuracoes/comunicados/")

    rows = parse(response).xpath('//table[@data-testid="notice-rules-table"]/tbody/tr')
    assert len(rows) == 27
    (pe,) = [row for row in rows if row.get("data-state") == "PE"]
    cells = [text(cell) for cell in pe.xpath("./td")]
    assert cells[:3] == ["PE", "10 dias úteis", "Carta (correio)"]
    assert cells[5].startswith("Lei PE 16.559/2019")


def test_rule_edit_saves_and_shows_field_errors(
    client_for: Callable[[User], Client], administrator: User
) -> None:
    client = client_for(administrator)
    bad = client.post(
        "/configuracoes/comunicados/uf/MT/",
        {"days": "0", "channels_with_consent": ["letter"], "source": ""},
    )
    assert bad.status_code == 400
    errors = {
        e.get("data-field-error"): text(e) for e in parse(bad).xpath("//*[@data-field-error]")
    }
    assert errors == {"days": "Mínimo 1 dia.", "source": "Informe a fonte da regra."}

    no_channel = client.post("/configuracoes/comunicados/uf/MT/", {"days": "45", "source": "Lei"})
    assert [text(e) for e in parse(no_channel).xpath("//*[@data-field-error]")] == [
        "Escolha ao menos um canal."
    ]

    saved = client.post(
        "/configuracoes/comunicados/uf/MT/",
        {
            "days": "45",
            "business_days": "on",
            "channels_without_consent": ["letter"],
            "channels_with_consent": ["letter", "sms"],
            "contents": ["creditor_name", "amount"],
            "source": "Lei MT 10.260/2015",
        },
        follow=True,
    )
    assert messages_of(saved) == ["Regra de comunicado de MT salva."]
    rule = notice_rule("MT")
    assert (rule.days, rule.business_days, rule.channels_with_consent) == (
        45,
        True,
        ("letter", "sms"),
    )

    reset = client.post("/configuracoes/comunicados/uf/MT/", {"reset": "1"}, follow=True)
    assert messages_of(reset) == ["Regra de comunicado de MT de volta ao padrão."]
    assert StateNoticeRule.objects.count() == 0


def test_rules_need_permission(
    client_for: Callable[[User], Client], financial: User, branch: Branch
) -> None:
    client = client_for(financial)
    assert client.get("/configuracoes/comunicados/").status_code == 403
    assert client.post("/configuracoes/comunicados/uf/SP/", {"days": "5"}).status_code == 403
    assert client.get(f"/configuracoes/comunicados/credor/{branch.pk}/").status_code == 403


def test_creditor_edit_saves(
    client_for: Callable[[User], Client], administrator: User, branch: Branch
) -> None:
    client = client_for(administrator)
    url = f"/configuracoes/comunicados/credor/{branch.pk}/"
    bad = client.post(url, {"legal_name": "", "address": "Rua A, 1", "phone": ""})
    assert bad.status_code == 400
    errors = {
        e.get("data-field-error"): text(e) for e in parse(bad).xpath("//*[@data-field-error]")
    }
    assert errors == {"legal_name": "Informe a razão social.", "phone": "Informe o telefone."}

    client.post(url, {"legal_name": "Net Ltda", "address": "Rua A, 1", "phone": "8130000000"})

    assert CreditorProfile.objects.get(branch=branch).legal_name == "Net Ltda"


def test_customer_tab_records_consent_and_letter(
    client_for: Callable[[User], Client], financial: User, make_overdue_invoice: MakeInvoice
) -> None:
    invoice = make_overdue_invoice(state="PE", noticed=False)
    creditor_for(invoice.contract.branch)
    customer = invoice.contract.customer
    client = client_for(financial)
    url = f"/clientes/{customer.pk}/comunicados/"
    today = timezone.localdate()

    page = client.get(url)
    assert text_by_testid(page, "customer-notice-rule").startswith(
        "Regra de comunicado de PE: 10 dias úteis; sem consentimento: Carta (correio)."
    )
    bad = client.post(url, {"form": "consent", "consent-channel": "email", "consent-source": ""})
    assert bad.status_code == 400
    assert [text(e) for e in parse(bad).xpath("//*[@data-field-error]")] == [
        "Informe a data.",
        "Informe a origem do consentimento.",
    ]
    consented = client.post(
        url,
        {
            "form": "consent",
            "consent-channel": "email",
            "consent-given_on": today.strftime("%d/%m/%Y"),
            "consent-source": "Contrato assinado",
        },
        follow=True,
    )
    assert messages_of(consented) == ["Consentimento de comunicado eletrônico registrado."]
    posted = client.post(
        url,
        {
            "form": "letter",
            "letter-invoice": invoice.pk,
            "letter-posted_on": today.strftime("%d/%m/%Y"),
            "letter-tracking_code": "BR123456789BR",
        },
        follow=True,
    )
    assert messages_of(posted) == [f"Carta da fatura {invoice.number} registrada."]
    consent = NoticeConsent.objects.get(customer=customer)
    assert (consent.channel, consent.given_on, consent.recorded_by) == ("email", today, financial)
    letter = Notice.objects.get(invoice=invoice)
    assert (letter.channel, letter.tracking_code, letter.recorded_by) == (
        "letter",
        "BR123456789BR",
        financial,
    )
    rows = by_testid(posted, "notices-table")[0].xpath(".//tbody/tr")
    assert [text(cell) for cell in rows[0].xpath("./td")][:3] == [
        invoice.number,
        "Carta (correio) rastreio BR123456789BR",
        today.strftime("%d/%m/%Y"),
    ]


def test_customer_tab_letter_in_the_future_is_refused_on_its_field(
    client_for: Callable[[User], Client], financial: User, make_overdue_invoice: MakeInvoice
) -> None:
    invoice = make_overdue_invoice(noticed=False)
    creditor_for(invoice.contract.branch)
    url = f"/clientes/{invoice.contract.customer_id}/comunicados/"

    response = client_for(financial).post(
        url, {"form": "letter", "letter-invoice": invoice.pk, "letter-posted_on": "01/01/2099"}
    )

    assert response.status_code == 400
    errors = parse(response).xpath('//*[@data-field-error="letter-posted_on"]')
    assert [text(e) for e in errors] == ["A data não pode estar no futuro."]
    assert Notice.objects.count() == 0


def test_seller_sees_no_notices(
    client_for: Callable[[User], Client], seller: User, make_overdue_invoice: MakeInvoice
) -> None:
    customer = make_overdue_invoice(noticed=False).contract.customer
    response = client_for(seller).get(f"/clientes/{customer.pk}/comunicados/")
    assert response.status_code == 403


def test_customer_plan_tab_records_a_plan_and_shows_bad_dates_on_their_fields(
    client_for: Callable[[User], Client], financial: User, make_overdue_invoice: MakeInvoice
) -> None:
    invoice = make_overdue_invoice(noticed=False)
    url = f"/clientes/{invoice.contract.customer_id}/repactuacao/"
    client = client_for(financial)
    data = {
        "kind": "court",
        "reference": "0001234-56.2026.8.17.0001",
        "starts_on": "01/12/2026",
        "ends_on": "30/11/2026",
        "removal_on": "01/12/2026",
        "invoices": [invoice.pk],
    }

    bad = client.post(url, data)
    assert bad.status_code == 400
    errors = parse(bad).xpath('//*[@data-field-error="ends_on"]')
    assert [text(e) for e in errors] == ["O término do plano não pode ser antes do início."]

    saved = client.post(url, {**data, "ends_on": "30/11/2027"}, follow=True)
    assert messages_of(saved) == ["Plano de repactuação 0001234-56.2026.8.17.0001 registrado."]
    (row,) = by_testid(saved, "plans-table")[0].xpath(".//tbody/tr")
    assert [text(cell) for cell in row.xpath("./td")] == [
        "Judicial (homologado)",
        "0001234-56.2026.8.17.0001",
        "01/12/2026 a 30/11/2027",
        "01/12/2026",
        invoice.number,
        financial.username,
    ]


def test_attendant_cannot_see_plans(
    client_for: Callable[[User], Client], attendant: User, make_overdue_invoice: MakeInvoice
) -> None:
    customer = make_overdue_invoice(noticed=False).contract.customer
    assert client_for(attendant).get(f"/clientes/{customer.pk}/repactuacao/").status_code == 403
