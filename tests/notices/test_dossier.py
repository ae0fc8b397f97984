"""The dossiê de defesa: the whole chain of one negativação in a PDF, downloaded by financial
staff and audited."""

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from creditcheck.contracts.services import invoice_pay
from creditcheck.core.enums import AuditAction
from creditcheck.core.models import AuditEntry
from creditcheck.negativation.models import Negativation
from creditcheck.negativation.services import negativation_include
from creditcheck.notices.dossier import dossier_pdf, negativation_dossier
from creditcheck.notices.models import NoticeConsent
from providers.sandbox.server import RunningSandbox
from tests.conftest import ClientFor, Connect
from tests.negativation.conftest import MakeInvoice
from tests.security.conftest import pdf_text

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def negativation(
    financial: User, connect: Connect, sandbox: RunningSandbox, make_overdue_invoice: MakeInvoice
) -> Negativation:
    """Included after a letter, then paid and removed at the platform."""
    connect("spcbrasil")
    invoice = make_overdue_invoice(state="PE", amount="99.90")
    NoticeConsent.objects.create(
        customer=invoice.contract.customer,
        channel="email",
        given_on=invoice.due_date,
        source="Contrato assinado",
    )
    negativation = negativation_include(invoice=invoice, user=financial)
    today = timezone.localdate()
    invoice_pay(invoice=invoice, paid_at=today, amount=invoice.amount, user=financial)
    negativation.refresh_from_db()
    return negativation


def test_dossier_states_every_step_and_deadline(
    negativation: Negativation, financial: User
) -> None:
    dossier = negativation_dossier(negativation, user=financial)

    assert [row.met for row in dossier.deadlines] == [True, True, True]
    text = pdf_text(dossier_pdf(dossier))
    for shown in (
        f"Dossiêdedefesa—negativaçãonº{negativation.pk}",
        "R$99,90",
        "10diasúteis;semconsentimento:Carta(correio)",
        "Contratoassinado",
        "Carta(correio)de",
        "(cumpriuaregra)",
        negativation.platform_id,
        "Baixaconfirmadaem",
        "Baixaematé5diasúteis(Súmula548doSTJ)",
        "Trilhadeauditoria",
        dossier.audit[-1].hash,
    ):
        assert shown in text, shown


def test_dossier_download_is_audited_and_for_financial_staff(
    negativation: Negativation, client_for: ClientFor, financial: User, attendant: User
) -> None:
    url = f"/financeiro/negativacoes/{negativation.pk}/dossie.pdf"

    assert client_for(attendant).get(url).status_code == 403
    response = client_for(financial).get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    entry = AuditEntry.objects.filter(action=AuditAction.REPORT_DOWNLOAD).get()
    assert (entry.username, entry.outcome, entry.target_id) == (
        financial.username,
        "dossiê de defesa da negativação",
        str(negativation.pk),
    )
