"""Notices: the per-UF rules and the creditor's data (settings), consents to electronic notice,
letters posted and what happened to each notice. Every change is audited."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from creditcheck.contracts.enums import InvoiceStatus
from creditcheck.contracts.models import Invoice
from creditcheck.core.audit import audit_record
from creditcheck.core.enums import AuditAction
from creditcheck.core.models import Branch
from creditcheck.customers.models import Customer
from creditcheck.negativation.eligibility import branch_rules
from creditcheck.notices.enums import (
    EVENT_STATUS,
    NoticeChannel,
    NoticeContent,
    NoticeEventKind,
    NoticeStatus,
)
from creditcheck.notices.models import (
    CreditorProfile,
    Notice,
    NoticeConsent,
    NoticeEvent,
    RepaymentPlan,
    StateNoticeRule,
)
from creditcheck.notices.refusals import NoticeRefusalCode, NoticeRefused
from creditcheck.notices.rules import DEFAULT_RULES, UfRule
from creditcheck.notices.selectors import creditor_of, notice_rule
from creditcheck.notices.texts import letter_text, notice_values, stated

R = NoticeRefusalCode


def notice_rule_validate(
    *, channels_without_consent: list[str], channels_with_consent: list[str], contents: list[str]
) -> None:
    """Raise `invalid_rule` for a rule no notice could meet or naming unknown values."""
    known_channels, known_contents = set(NoticeChannel.values), set(NoticeContent.values)
    if not channels_without_consent and not channels_with_consent:
        raise NoticeRefused(
            R.INVALID_RULE, field="channels_without_consent", detail="Escolha ao menos um canal."
        )
    if not set(channels_without_consent) <= set(channels_with_consent):
        raise NoticeRefused(
            R.INVALID_RULE,
            field="channels_with_consent",
            detail="Um canal aceito sem consentimento também vale com consentimento.",
        )
    if not (set(channels_with_consent) <= known_channels and set(contents) <= known_contents):
        raise NoticeRefused(R.INVALID_RULE, detail="Canal ou conteúdo desconhecido.")


def notice_rule_save(
    *,
    state: str,
    days: int,
    business_days: bool,
    channels_without_consent: list[str],
    channels_with_consent: list[str],
    contents: list[str],
    source: str,
    user: Any,
) -> UfRule:
    """Store a UF's rule (it replaces the shipped default); audited with before/after."""
    notice_rule_validate(
        channels_without_consent=channels_without_consent,
        channels_with_consent=channels_with_consent,
        contents=contents,
    )
    with transaction.atomic():
        before = notice_rule(state).fields()
        StateNoticeRule.objects.update_or_create(
            state=state,
            defaults={
                "days": days,
                "business_days": business_days,
                "channels_without_consent": [
                    c for c in NoticeChannel.values if c in channels_without_consent
                ],
                "channels_with_consent": [
                    c for c in NoticeChannel.values if c in channels_with_consent
                ],
                "contents": [c for c in NoticeContent.values if c in contents],
                "source": source,
            },
        )
        rule = notice_rule(state)
        _audit_rule(state, before, rule.fields(), user)
    return rule


def notice_rule_reset(*, state: str, user: Any) -> UfRule:
    """Back to the shipped default of `state`; audited."""
    with transaction.atomic():
        before = notice_rule(state).fields()
        StateNoticeRule.objects.filter(state=state).delete()
        _audit_rule(state, before, DEFAULT_RULES[state].fields(), user)
    return DEFAULT_RULES[state]


def _audit_rule(state: str, before: dict[str, Any], after: dict[str, Any], user: Any) -> None:
    if before != after:
        audit_record(
            action=AuditAction.SETTINGS_CHANGE,
            user=user,
            outcome=f"regra de comunicado {state}",
            details={"state": state, "before": before, "after": after},
        )


def creditor_profile_save(
    *, branch: Branch, legal_name: str, address: str, phone: str, user: Any
) -> CreditorProfile:
    """The creditor's data the branch's notices state; audited with before/after."""
    fields = {"legal_name": legal_name.strip(), "address": address.strip(), "phone": phone.strip()}
    with transaction.atomic():
        existing = creditor_of(branch)
        before = {k: getattr(existing, k) for k in fields} if existing else {}
        profile, _ = CreditorProfile.objects.update_or_create(branch=branch, defaults=fields)
        if before != fields:
            audit_record(
                action=AuditAction.SETTINGS_CHANGE,
                user=user,
                branch=branch,
                outcome="dados do credor",
                target=profile,
                details={"before": before, "after": fields},
            )
    return profile


# ---- consent -----------------------------------------------------------------------------------


def consent_record(
    *, customer: Customer, channel: str, given_on: dt.date, source: str, user: Any
) -> NoticeConsent:
    """Record a customer's consent to electronic notice through `channel`; audited."""
    if given_on > timezone.localdate():
        raise NoticeRefused(R.FUTURE_DATE, field="given_on")
    with transaction.atomic():
        consent = NoticeConsent.objects.create(
            customer=customer,
            channel=channel,
            given_on=given_on,
            source=source.strip(),
            recorded_by=user if getattr(user, "is_authenticated", False) else None,
        )
        _audit_customer(
            customer,
            "consentimento de comunicado eletrônico registrado",
            user=user,
            target=consent,
            channel=channel,
            given_on=given_on.isoformat(),
            source=consent.source,
        )
    return consent


def consent_revoke(*, consent: NoticeConsent, revoked_on: dt.date, user: Any) -> NoticeConsent:
    """End a consent from `revoked_on` (notices sent before it keep counting); audited."""
    with transaction.atomic():
        stored = NoticeConsent.objects.select_for_update().get(pk=consent.pk)
        if stored.revoked_on is not None:
            raise NoticeRefused(R.CONSENT_REVOKED)
        if revoked_on > timezone.localdate():
            raise NoticeRefused(R.FUTURE_DATE, field="revoked_on")
        if revoked_on < stored.given_on:
            raise NoticeRefused(R.REVOKE_BEFORE_CONSENT, field="revoked_on")
        stored.revoked_on = revoked_on
        stored.save(update_fields=["revoked_on", "updated_at"])
        _audit_customer(
            stored.customer,
            "consentimento de comunicado eletrônico revogado",
            user=user,
            target=stored,
            channel=stored.channel,
            revoked_on=revoked_on.isoformat(),
        )
    return stored


def _audit_customer(
    customer: Customer, outcome: str, *, user: Any, target: Any, **details: Any
) -> None:
    audit_record(
        action=AuditAction.NEGATIVATION,
        user=user,
        branch=customer.branch,
        document=customer.document,
        outcome=outcome,
        target=target,
        details={"customer": customer.pk, **details},
    )


# ---- notices -----------------------------------------------------------------------------------


def registrable_from(invoice: Invoice, start: dt.date) -> dt.date:
    """The first day the debt may be registered after a notice counting from `start`."""
    rule = notice_rule(invoice.contract.customer.state)
    days_after_due = branch_rules(invoice.contract.branch_id).days_after_due
    overdue = invoice.due_date + dt.timedelta(days=days_after_due)
    return max(rule.met_on(start), overdue)


def notice_record_letter(
    *, invoice: Invoice, posted_on: dt.date, tracking_code: str = "", user: Any
) -> Notice:
    """A letter of notice posted to the customer's address: its text is written here (every
    content the branch's data allows) and it counts from `posted_on`. Audited."""
    contract = invoice.contract
    customer = contract.customer
    if posted_on > timezone.localdate():
        raise NoticeRefused(R.FUTURE_DATE, field="posted_on")
    if invoice.status != InvoiceStatus.OPEN:
        raise NoticeRefused(R.INVOICE_NOT_OPEN, field="invoice")
    creditor = creditor_of(contract.branch)
    if creditor is None:
        raise NoticeRefused(R.CREDITOR_INCOMPLETE, branch=contract.branch.name)
    values = notice_values(invoice, creditor, registrable_from(invoice, posted_on))
    address = ", ".join(
        part
        for part in (
            f"{customer.street}, {customer.number}",
            customer.complement,
            customer.district,
            f"{customer.city}/{customer.state}",
            f"CEP {customer.cep}",
        )
        if part
    )
    with transaction.atomic():
        notice = Notice.objects.create(
            customer=customer,
            invoice=invoice,
            channel=NoticeChannel.LETTER,
            status=NoticeStatus.POSTED,
            destination=address,
            subject="Comunicado de débito",
            body=letter_text(customer.name, invoice.number, values),
            contents=stated(values),
            sent_on=posted_on,
            tracking_code=tracking_code.strip(),
            recorded_by=user if getattr(user, "is_authenticated", False) else None,
        )
        NoticeEvent.objects.create(
            notice=notice,
            kind=NoticeEventKind.POSTED,
            at=timezone.now(),
            detail=f"Postada em {posted_on:%d/%m/%Y}"
            + (f", rastreio {notice.tracking_code}" if notice.tracking_code else ""),
        )
        _audit_notice(notice, "carta de comunicado registrada", user=user)
    return notice


def notice_record_event(
    *,
    notice: Notice,
    kind: str,
    at: dt.datetime | None = None,
    detail: str = "",
    raw: str = "",
    user: Any = None,
    provider_event_id: str = "",
) -> Notice:
    """Record what happened to a notice (sent, delivered, returned, failed), with its raw
    evidence; the notice's state follows (a late "sent" never undoes a delivery). Audited."""
    at = at or timezone.now()
    with transaction.atomic():
        stored = Notice.objects.select_for_update().get(pk=notice.pk)
        NoticeEvent.objects.create(
            notice=stored,
            kind=kind,
            at=at,
            detail=detail,
            raw=raw,
            provider_event_id=provider_event_id,
        )
        if kind == NoticeEventKind.SENT and stored.status != NoticeStatus.QUEUED:
            _audit_notice(stored, "comunicado enviada", user=user, detail=detail)
            notice.refresh_from_db()
            return notice
        stored.status = EVENT_STATUS[NoticeEventKind(kind)]
        if kind == NoticeEventKind.DELIVERED:
            stored.delivered_on = timezone.localdate(at)
        if detail and kind in (NoticeEventKind.BOUNCED, NoticeEventKind.FAILED):
            stored.status_detail = detail
        stored.save(update_fields=["status", "delivered_on", "status_detail", "updated_at"])
        _audit_notice(stored, f"comunicado {NoticeEventKind(kind).label}", user=user, detail=detail)
    notice.refresh_from_db()
    return notice


def _audit_notice(notice: Notice, outcome: str, *, user: Any, **details: Any) -> None:
    audit_record(
        action=AuditAction.NEGATIVATION,
        user=user,
        branch=notice.invoice.contract.branch,
        document=notice.customer.document,
        outcome=outcome,
        target=notice,
        details={
            "invoice": notice.invoice_id,
            "channel": notice.channel,
            "status": notice.status,
            "sent_on": notice.sent_on.isoformat(),
            **details,
        },
    )


# ---- repayment plans (superendividamento) ------------------------------------------------------


def repayment_plan_record(
    *,
    customer: Customer,
    kind: str,
    reference: str,
    starts_on: dt.date,
    ends_on: dt.date,
    removal_on: dt.date,
    invoices: list[Invoice],
    user: Any,
) -> RepaymentPlan:
    """Record a court or conciliation repayment plan covering `invoices` of `customer`; from
    now on they are not negativated while it is in force, and their negativações are removed
    (those not sent yet are withdrawn now; registered ones on `removal_on`). Audited."""
    from creditcheck.negativation.services import negativation_remove_for_plans

    if ends_on < starts_on:
        raise NoticeRefused(R.PLAN_ENDS_BEFORE_START, field="ends_on")
    if not starts_on <= removal_on <= ends_on:
        raise NoticeRefused(R.PLAN_REMOVAL_OUTSIDE, field="removal_on")
    if not invoices:
        raise NoticeRefused(R.PLAN_WITHOUT_DEBTS, field="invoices")
    for invoice in invoices:
        if invoice.contract.customer_id != customer.pk:
            raise NoticeRefused(R.PLAN_FOREIGN_DEBT, field="invoices", invoice=invoice.number)
    with transaction.atomic():
        plan = RepaymentPlan.objects.create(
            customer=customer,
            kind=kind,
            reference=reference.strip(),
            starts_on=starts_on,
            ends_on=ends_on,
            removal_on=removal_on,
            recorded_by=user if getattr(user, "is_authenticated", False) else None,
        )
        plan.invoices.set(invoices)
        _audit_customer(
            customer,
            "plano de repactuação registrado",
            user=user,
            target=plan,
            kind=kind,
            reference=plan.reference,
            starts_on=starts_on.isoformat(),
            ends_on=ends_on.isoformat(),
            removal_on=removal_on.isoformat(),
            invoices=sorted(invoice.number for invoice in invoices),
        )
        negativation_remove_for_plans()
    return plan
