"""The dunning ruler (régua de cobrança): each branch's steps, relative to the due date, sent by
a periodic job, once per invoice and step.

`dunning_run` (task_dunning_run, hourly; `run_scheduled_jobs` in embedded mode) selects, for
every active step, the open invoices whose due date plus the step's offset is today (or up to
CATCH_UP_DAYS before, so a day the job did not run is made up), that have no notice of the
step yet and no repayment plan in force; it stores the notice (the unique constraint on
invoice and step makes a second run store nothing) and sends it. A message the channel refuses
ends "devolvida"/"falhou" with the raw answer: the negativação of that invoice then waits, and
its screen says why (notices/compliance.py).
"""

import datetime as dt
import logging
import smtplib
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from creditcheck.contracts.enums import InvoiceStatus
from creditcheck.contracts.models import Invoice
from creditcheck.core.audit import audit_record
from creditcheck.core.enums import AuditAction
from creditcheck.notices.enums import NoticeChannel, NoticeEventKind, NoticeStatus
from creditcheck.notices.models import DunningStep, Notice, RepaymentPlan
from creditcheck.notices.refusals import NoticeRefusalCode, NoticeRefused
from creditcheck.notices.rules import UfRule
from creditcheck.notices.selectors import creditor_of, notice_rule
from creditcheck.notices.services import notice_record_event, registrable_from
from creditcheck.notices.texts import notice_values, render_template, template_check

logger = logging.getLogger(__name__)
CATCH_UP_DAYS = 3
SMS_MAX_LENGTH = 160  # one SMS part in the GSM alphabet; longer messages are refused


def due_invoices(step: DunningStep, today: dt.date) -> QuerySet[Invoice]:
    """The invoices `step` is due for today: one query (the index on status and due date)."""
    latest = today - dt.timedelta(days=step.offset_days)
    in_plan = RepaymentPlan.objects.filter(ends_on__gte=today, invoices=OuterRef("pk"))
    return (
        Invoice.objects.filter(
            contract__branch_id=step.branch_id,
            status=InvoiceStatus.OPEN,
            disputed=False,
            due_date__lte=latest,
            due_date__gt=latest - dt.timedelta(days=CATCH_UP_DAYS),
        )
        .exclude(Exists(Notice.objects.filter(step=step, invoice=OuterRef("pk"))))
        .exclude(Exists(in_plan))
    )


def dunning_run(*, today: dt.date | None = None) -> int:
    """Send every step's messages due today. Returns how many notices were stored."""
    today = today or timezone.localdate()
    stored = 0
    for step in DunningStep.objects.filter(active=True, branch__active=True):
        invoices = due_invoices(step, today).select_related(
            "contract__customer", "contract__branch"
        )
        for invoice in invoices:
            notice = _store(step, invoice, today)
            if notice is not None:
                stored += 1
                dunning_send(notice)
    return stored


def _destination(step: DunningStep, invoice: Invoice) -> str:
    customer = invoice.contract.customer
    return customer.email if step.channel == NoticeChannel.EMAIL else customer.phone


def _store(step: DunningStep, invoice: Invoice, today: dt.date) -> Notice | None:
    """The notice of `step` for `invoice`, stored once (None: already stored by another run)."""
    customer = invoice.contract.customer
    values = notice_values(
        invoice, creditor_of(invoice.contract.branch), registrable_from(invoice, today)
    )
    body, contents = render_template(
        step.template, values, customer_name=customer.name, invoice_number=invoice.number
    )
    try:
        with transaction.atomic():
            return Notice.objects.create(
                customer=customer,
                invoice=invoice,
                step=step,
                channel=step.channel,
                status=NoticeStatus.QUEUED,
                destination=_destination(step, invoice),
                subject=step.subject,
                body=body,
                contents=contents,
                sent_on=today,
            )
    except IntegrityError:
        return None


def dunning_send(notice: Notice) -> Notice:
    """Send a queued notice through its channel and record what the channel answered."""
    if notice.status != NoticeStatus.QUEUED:
        return notice
    if not notice.destination:
        return notice_record_event(
            notice=notice, kind=NoticeEventKind.FAILED, detail="Cliente sem endereço de destino."
        )
    if notice.channel == NoticeChannel.EMAIL:
        return _send_email(notice)
    from creditcheck.notices.sms import send_sms_notice

    return send_sms_notice(notice)


def _send_email(notice: Notice) -> Notice:
    from creditcheck.notices.email import send_notice_email

    try:
        outcome = send_notice_email(to=notice.destination, subject=notice.subject, body=notice.body)
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("notice %s: e-mail not sent: %s", notice.pk, type(exc).__name__)
        return notice_record_event(
            notice=notice,
            kind=NoticeEventKind.FAILED,
            detail=f"Servidor de e-mail indisponível ({type(exc).__name__}).",
            raw=str(exc),
        )
    Notice.objects.filter(pk=notice.pk).update(provider_id=outcome.message_id)
    if outcome.refused:
        return notice_record_event(
            notice=notice,
            kind=NoticeEventKind.BOUNCED,
            detail=f"Endereço recusado pelo servidor de e-mail: {outcome.refused}",
            raw=outcome.transcript,
        )
    notice = notice_record_event(notice=notice, kind=NoticeEventKind.SENT, raw=outcome.transcript)
    if settings.NOTICE_EMAIL_ACCEPTED_IS_DELIVERED:
        notice = notice_record_event(
            notice=notice,
            kind=NoticeEventKind.DELIVERED,
            detail="Aceito pelo servidor de e-mail do destinatário.",
            raw=outcome.transcript,
        )
    return notice


def step_rule(step: DunningStep) -> UfRule:
    """The notice rule a step's template is checked against: its branch's UF."""
    return notice_rule(step.branch.state)


STEP_FIELDS = ("name", "offset_days", "channel", "subject", "template", "active")


def dunning_step_save(*, step: DunningStep, user: Any) -> DunningStep:
    """Save a step of a branch's ruler: an e-mail needs a subject, and the template must use
    known fields and every content the branch's UF rule requires. Audited with before/after."""
    if step.channel == NoticeChannel.EMAIL and not step.subject.strip():
        raise NoticeRefused(NoticeRefusalCode.SUBJECT_REQUIRED, field="subject")
    template_check(step.template, step_rule(step))
    stored = DunningStep.objects.filter(pk=step.pk).first() if step.pk else None
    before = {name: str(getattr(stored, name)) for name in STEP_FIELDS} if stored else {}
    with transaction.atomic():
        step.save()
        after = {name: str(getattr(step, name)) for name in STEP_FIELDS}
        if after != before:
            audit_record(
                action=AuditAction.SETTINGS_CHANGE,
                user=user,
                branch=step.branch,
                outcome="etapa da régua de cobrança",
                target=step,
                details={"before": before, "after": after},
            )
    return step
