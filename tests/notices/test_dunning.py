"""The dunning ruler over a real SMTP server on loopback: what arrives, once per step, and a
refused address that blocks the inclusion."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from creditcheck.contracts.models import Invoice
from creditcheck.core.models import AuditEntry, Branch
from creditcheck.negativation.enums import NegativationStatus
from creditcheck.negativation.services import negativation_include
from creditcheck.notices.dunning import dunning_run, dunning_step_save
from creditcheck.notices.enums import NoticeStatus
from creditcheck.notices.models import DunningStep, Notice, RepaymentPlan
from creditcheck.notices.refusals import NoticeRefused
from tests.conftest import Connect
from tests.negativation.conftest import MakeInvoice
from tests.notice_setup import creditor_for
from tests.notices.smtp import REFUSED_DOMAIN, Mailbox, smtp_server

__all__ = ["smtp_server"]
pytestmark = pytest.mark.django_db

FULL_TEMPLATE = (
    "Prezado(a) {cliente}, a fatura {fatura} de {valor}, vencida em {vencimento}, referente a "
    "{natureza}, está em aberto. Se não for paga, poderá ser registrada nos cadastros de "
    "proteção ao crédito a partir de {negativacao_a_partir_de}. Credor: {razao_social}, CNPJ "
    "{cnpj}, {endereco_credor}, telefone {telefone_credor}."
)


def _step(branch: Branch, user: User | None = None, **fields: object) -> DunningStep:
    values: dict[str, object] = {
        "name": "Aviso de negativação D+5",
        "offset_days": 5,
        "channel": "email",
        "subject": "Aviso de negativação",
        "template": FULL_TEMPLATE,
        **fields,
    }
    return dunning_step_save(step=DunningStep(branch=branch, **values), user=user)


def _due(make_overdue_invoice: MakeInvoice, days: int = 5, **customer: object) -> Invoice:
    invoice = make_overdue_invoice(days_overdue=days, noticed=False, **customer)
    creditor_for(invoice.contract.branch)
    return invoice


def test_pe_template_without_the_creditors_data_is_refused(
    administrator: User, make_user: object
) -> None:
    from tests.factories import BranchFactory

    recife = BranchFactory.create(name="Filial Recife", state="PE", city="Recife")
    with pytest.raises(NoticeRefused) as refused:
        _step(recife, administrator, template="Sua fatura {fatura} de {valor} venceu.")

    assert (refused.value.code, refused.value.field) == ("template_missing_content", "template")
    assert refused.value.message == (
        "A regra de comunicado de PE exige no texto: {razao_social} (razão social do credor), "
        "{cnpj} (CNPJ do credor), {endereco_credor} (endereço do credor), {telefone_credor} "
        "(telefone do credor), {natureza} (natureza da dívida), {vencimento} (vencimento)."
    )
    assert DunningStep.objects.count() == 0


@pytest.mark.parametrize(
    ("template", "code"),
    [
        ("Fatura {fatura} {desconto}", "template_unknown_field"),
        ("Fatura {fatura", "template_invalid"),
    ],
)
def test_template_with_bad_fields_is_refused(branch: Branch, template: str, code: str) -> None:
    with pytest.raises(NoticeRefused) as refused:
        _step(branch, template=template)
    assert refused.value.code == code


def test_step_saved_is_audited(branch: Branch, administrator: User) -> None:
    step = _step(branch, administrator)

    entry = AuditEntry.objects.get(outcome="etapa da régua de cobrança")
    assert (entry.username, entry.details["after"]["offset_days"]) == (administrator.username, "5")
    assert step.pk is not None


def test_ruler_email_arrives_once_with_what_the_uf_requires(
    smtp_server: Mailbox, branch: Branch, make_overdue_invoice: MakeInvoice
) -> None:
    invoice = _due(make_overdue_invoice, email="maria@example.com", name="Maria Souza")
    step = _step(branch)

    first, second = dunning_run(), dunning_run()

    assert (first, second) == (1, 0)
    (message,) = smtp_server.received
    assert (message["To"], message["Subject"]) == ("maria@example.com", "Aviso de negativação")
    text = message.get_content()
    assert f"Prezado(a) Maria Souza, a fatura {invoice.number} de R$ 129,90" in text
    assert f"CNPJ {branch.cnpj_formatted}" in text
    notice = Notice.objects.get(invoice=invoice, step=step)
    assert notice.status == NoticeStatus.DELIVERED
    assert notice.provider_id == message["Message-ID"]
    assert [e.kind for e in notice.events.all()] == ["sent", "delivered"]
    assert notice.events.first().raw.splitlines() == [  # type: ignore[union-attr]
        "MAIL FROM:<cobranca@localhost> -> 250 OK",
        "RCPT TO:<maria@example.com> -> 250 2.1.5 Ok",
        "DATA -> 250 2.0.0 Ok: queued as Q0001",
    ]


def test_ruler_reminder_before_due_date_and_not_for_plan_debts(
    smtp_server: Mailbox, branch: Branch, make_overdue_invoice: MakeInvoice
) -> None:
    _step(branch, name="Lembrete D-3", offset_days=-3, subject="Lembrete")
    reminded = _due(make_overdue_invoice, days=-3)
    in_plan = _due(make_overdue_invoice, days=-3)
    today = timezone.localdate()
    plan = RepaymentPlan.objects.create(
        customer=in_plan.contract.customer,
        kind="court",
        reference="1",
        starts_on=today,
        ends_on=today + dt.timedelta(days=30),
        removal_on=today,
    )
    plan.invoices.add(in_plan)

    assert dunning_run() == 1
    assert list(Notice.objects.values_list("invoice_id", flat=True)) == [reminded.pk]


def test_refused_address_bounces_and_blocks_the_inclusion(
    smtp_server: Mailbox,
    branch: Branch,
    financial: User,
    connect: Connect,
    make_overdue_invoice: MakeInvoice,
) -> None:
    connect("spcbrasil")
    invoice = _due(make_overdue_invoice, days=40, state="MG", email=f"joao@{REFUSED_DOMAIN}")
    _step(branch, offset_days=40)

    dunning_run()
    negativation = negativation_include(invoice=invoice, user=financial)

    notice = Notice.objects.get(invoice=invoice)
    assert (notice.status, notice.status_detail) == (
        NoticeStatus.BOUNCED,
        "Endereço recusado pelo servidor de e-mail: 550 5.1.1 Caixa postal inexistente",
    )
    assert smtp_server.received == []
    negativation.refresh_from_db()
    assert (negativation.status, negativation.error_code) == (
        NegativationStatus.NOTICE_PENDING,
        "notice_undelivered",
    )
    assert negativation.error_message == (
        f"Nenhum comunicado cumpre a regra: E-mail de {timezone.localdate():%d/%m/%Y}: devolvido "
        "(Endereço recusado pelo servidor de e-mail: 550 5.1.1 Caixa postal inexistente)."
    )
