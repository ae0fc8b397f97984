"""notice_compliance: the UF's rule met, or why not (channels, consent, contents, delivery)."""

import datetime as dt

import pytest
from django.utils import timezone

from creditcheck.contracts.models import Invoice
from creditcheck.notices.compliance import notice_compliance
from creditcheck.notices.enums import NoticeChannel, NoticeEventKind
from creditcheck.notices.models import NoticeConsent
from creditcheck.notices.services import notice_record_event, notice_rule_save
from tests.negativation.conftest import MakeInvoice
from tests.notice_setup import creditor_for, letter_posted
from tests.notices.helpers import electronic_notice

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 2)  # PE: 6 March (Data Magna) is a state holiday


def _pe_invoice(make_overdue_invoice: MakeInvoice) -> Invoice:
    invoice = make_overdue_invoice(state="PE", noticed=False)
    creditor_for(invoice.contract.branch)
    return invoice


def _delivered_email(invoice: Invoice, sent_on: dt.date) -> None:
    notice = electronic_notice(invoice, sent_on=sent_on)
    at = dt.datetime.combine(sent_on, dt.time(10), tzinfo=dt.UTC)
    notice_record_event(notice=notice, kind=NoticeEventKind.DELIVERED, at=at, raw="250 OK")


def test_no_notice_waits_with_the_rule_in_the_reason(make_overdue_invoice: MakeInvoice) -> None:
    invoice = _pe_invoice(make_overdue_invoice)

    result = notice_compliance(invoice, MONDAY)

    assert (result.satisfied, result.blocked, result.notice) == (False, False, None)
    assert result.reason == (
        "Nenhum comunicado registrado para esta fatura (regra de PE: 10 dias úteis; sem "
        "consentimento: Carta (correio))."
    )


def test_pe_delivered_email_without_consent_does_not_count(
    make_overdue_invoice: MakeInvoice,
) -> None:
    invoice = _pe_invoice(make_overdue_invoice)
    _delivered_email(invoice, MONDAY)

    result = notice_compliance(invoice, MONDAY + dt.timedelta(days=60))

    assert (result.satisfied, result.notice) == (False, None)
    assert result.reason == (
        "Nenhum comunicado cumpre a regra: E-mail de 02/03/2026: a regra de PE não aceita este "
        "canal sem consentimento prévio do cliente."
    )


def test_pe_letter_counts_ten_business_days_from_posting(
    make_overdue_invoice: MakeInvoice,
) -> None:
    invoice = _pe_invoice(make_overdue_invoice)
    letter = letter_posted(invoice, days_ago=(timezone.localdate() - MONDAY).days)
    assert letter.sent_on == MONDAY

    before = notice_compliance(invoice, dt.date(2026, 3, 16))
    met = notice_compliance(invoice, dt.date(2026, 3, 17))

    assert (before.satisfied, before.met_on, before.notice) == (
        False,
        dt.date(2026, 3, 17),
        letter,
    )
    assert before.reason == (
        "Prazo do comunicado (10 dias úteis; sem consentimento: Carta (correio)) cumpre-se em "
        "17/03/2026."
    )
    assert (met.satisfied, met.met_on, met.notice, met.reason) == (
        True,
        dt.date(2026, 3, 17),
        letter,
        "",
    )


@pytest.mark.parametrize(
    ("consented_on", "satisfied"),
    [(MONDAY - dt.timedelta(days=1), True), (MONDAY + dt.timedelta(days=1), False)],
    ids=["consent-before", "consent-after"],
)
def test_pe_email_counts_from_delivery_only_with_prior_consent(
    make_overdue_invoice: MakeInvoice, consented_on: dt.date, satisfied: bool
) -> None:
    invoice = _pe_invoice(make_overdue_invoice)
    NoticeConsent.objects.create(
        customer=invoice.contract.customer,
        channel=NoticeChannel.EMAIL,
        given_on=consented_on,
        source="Contrato assinado",
    )
    _delivered_email(invoice, MONDAY)

    result = notice_compliance(invoice, dt.date(2026, 3, 17))

    assert (result.satisfied, result.met_on) == (
        (True, dt.date(2026, 3, 17)) if satisfied else (False, None)
    )


def test_email_without_delivery_proof_does_not_count(make_overdue_invoice: MakeInvoice) -> None:
    invoice = make_overdue_invoice(state="MG", noticed=False)
    creditor_for(invoice.contract.branch)
    electronic_notice(invoice, sent_on=MONDAY)

    result = notice_compliance(invoice, dt.date(2026, 6, 1))

    assert (result.satisfied, result.blocked) == (False, False)
    assert result.reason == (
        "Nenhum comunicado cumpre a regra: E-mail de 02/03/2026: sem confirmação de entrega."
    )


def test_bounced_email_blocks_with_its_detail(make_overdue_invoice: MakeInvoice) -> None:
    invoice = make_overdue_invoice(state="MG", noticed=False)
    creditor_for(invoice.contract.branch)
    notice = electronic_notice(invoice, sent_on=MONDAY)
    notice_record_event(
        notice=notice, kind=NoticeEventKind.BOUNCED, detail="550 caixa inexistente", raw="550"
    )

    result = notice_compliance(invoice, dt.date(2026, 6, 1))

    assert (result.satisfied, result.blocked) == (False, True)
    assert result.reason == (
        "Nenhum comunicado cumpre a regra: E-mail de 02/03/2026: devolvido (550 caixa inexistente)."
    )


def test_mg_delivered_email_counts_ten_calendar_days(make_overdue_invoice: MakeInvoice) -> None:
    invoice = make_overdue_invoice(state="MG", noticed=False)
    creditor_for(invoice.contract.branch)
    _delivered_email(invoice, MONDAY)

    assert notice_compliance(invoice, dt.date(2026, 3, 11)).satisfied is False
    assert notice_compliance(invoice, dt.date(2026, 3, 12)).satisfied is True


def test_letter_missing_required_content_does_not_count(
    make_overdue_invoice: MakeInvoice, administrator: object
) -> None:
    invoice = make_overdue_invoice(state="MG", noticed=False)
    letter_posted(invoice, days_ago=60)
    notice_rule_save(
        state="MG",
        days=10,
        business_days=False,
        channels_without_consent=["letter"],
        channels_with_consent=["letter", "email"],
        contents=["creditor_name", "payment"],
        source="Teste",
        user=administrator,
    )

    result = notice_compliance(invoice, timezone.localdate())

    assert result.satisfied is False
    assert result.reason.endswith("falta como pagar (linha digitável ou Pix).")
