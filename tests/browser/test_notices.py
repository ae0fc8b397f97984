"""Done-when of issue 14: a Pernambuco debtor who never consented to electronic notice is not
negativated after an e-mail alone (the ruler's, delivered to a real SMTP server on loopback);
once a letter posted 10 business days ago is recorded on the customer's Comunicados tab, the
periodic job sends the inclusion, and the negativação shows the letter that met the rule."""

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect

from creditcheck.core.models import Branch
from creditcheck.negativation.enums import NegativationStatus as S
from creditcheck.negativation.models import Negativation
from creditcheck.negativation.services import negativation_release_noticed
from creditcheck.notices.dunning import dunning_run, dunning_step_save
from creditcheck.notices.models import DunningStep, Notice
from creditcheck.notices.rules import DEFAULT_RULES
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import integration_on
from tests.factories import PASSWORD, ContractFactory, CustomerFactory, InvoiceFactory
from tests.notice_setup import creditor_for
from tests.notices.smtp import Mailbox, smtp_server
from tests.notices.test_dunning import FULL_TEMPLATE

__all__ = ["smtp_server"]
pytestmark = pytest.mark.browser


def _posted_ten_business_days_ago(today: dt.date) -> dt.date:
    """The latest posting day whose 10 business days in PE end today or earlier."""
    day = today
    while DEFAULT_RULES["PE"].met_on(day) > today:
        day -= dt.timedelta(days=1)
    return day


def test_pe_debtor_without_consent_needs_a_posted_letter(
    page: Page,
    log_in: Callable[[str, str], None],
    screenshot: Callable[[str], Path],
    smtp_server: Mailbox,
    sandbox: RunningSandbox,
    branch: Branch,
    financial: User,
) -> None:
    integration_on(branch, sandbox, "soawebservice", cost="12.50")
    creditor_for(branch)
    today = timezone.localdate()
    customer = CustomerFactory.create(
        name="Severino Recifense", branch=branch, state="PE", city="Recife", cep="50010000"
    )
    invoice = InvoiceFactory.create(
        contract=ContractFactory.create(customer=customer, start_date=dt.date(2020, 1, 10)),
        amount=Decimal("99.90"),
        due_date=today - dt.timedelta(days=40),
    )
    step = DunningStep(
        branch=branch,
        name="Aviso de negativação",
        offset_days=40,
        channel="email",
        subject="Aviso de negativação",
        template=FULL_TEMPLATE,
    )
    dunning_step_save(step=step, user=None)
    assert dunning_run() == 1
    assert len(smtp_server.received) == 1  # the e-mail arrived: delivered
    email = Notice.objects.get(invoice=invoice)

    # Given a financial user who negativates the invoice after the e-mail alone
    log_in(financial.username, PASSWORD)
    page.goto(f"/financeiro/faturas/{invoice.pk}/negativar/")
    expect(page.get_by_test_id("notice-compliance")).to_contain_text(
        "a regra de PE não aceita este canal sem consentimento prévio do cliente"
    )
    page.get_by_role("button", name="Confirmar negativação").click()

    # Then it is not included: it waits for the notice, and says why
    expect(page).to_have_url(re.compile(r"/financeiro/negativacoes/\d+/$"))
    expect(page.get_by_test_id("negativation-status")).to_have_text(
        "Aguardando prazo do comunicado"
    )
    expect(page.get_by_test_id("notice-pending-reason")).to_have_text(
        f"Nenhum comunicado cumpre a regra: E-mail de {email.sent_on:%d/%m/%Y}: a regra de PE "
        "não aceita este canal sem consentimento prévio do cliente."
    )
    screenshot("notices_pe_waiting_after_email")
    negativation = Negativation.objects.get(invoice=invoice)
    assert (negativation.status, negativation.platform_id) == (S.NOTICE_PENDING, "")

    # When the letter posted 10 business days ago is recorded on the customer's tab
    posted = _posted_ten_business_days_ago(today)
    page.get_by_role("link", name="comunicados do cliente").click()
    letter_form = page.get_by_test_id("letter-form")
    letter_form.get_by_label("Fatura").select_option(str(invoice.pk))
    letter_form.get_by_label("Postada em").fill(f"{posted:%d/%m/%Y}")
    letter_form.get_by_label("Código de rastreio").fill("BR123456789BR")
    letter_form.get_by_role("button", name="Registrar carta").click()
    expect(page.get_by_role("alert")).to_contain_text(
        f"Carta da fatura {invoice.number} registrada."
    )
    screenshot("notices_pe_letter_recorded")

    # and the periodic job runs, the inclusion is sent, naming the letter that met the rule
    assert negativation_release_noticed() == 1
    page.goto(f"/financeiro/negativacoes/{negativation.pk}/")
    expect(page.get_by_test_id("negativation-status")).to_have_text("Aguardando comunicado")
    expect(page.get_by_test_id("notice-met")).to_contain_text(
        f"Carta (correio) {posted:%d/%m/%Y} (postado) cumpriu a regra de PE em "
        f"{DEFAULT_RULES['PE'].met_on(posted):%d/%m/%Y}"
    )
    screenshot("notices_pe_included_after_letter")
    negativation.refresh_from_db()
    assert negativation.status == S.AWAITING_NOTICE and negativation.platform_id != ""
