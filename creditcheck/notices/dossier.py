"""Dossiê de defesa: one PDF per negativação with the whole chain a court asks about — the debt
and its invoice, every notice with its delivery events and raw receipts, the consents, the UF
rule applied and when it was met, the bureau's protocol, inclusion, payment, removal request and
confirmation, each deadline and whether it was met, and the audit entries with their hashes.

`negativation_dossier` reads (no side effect); `dossier_download` renders it with WeasyPrint
(creditcheck/core/pdf.py, like the other reports) and audits the download.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from creditcheck.core.audit import audit_record
from creditcheck.core.enums import AuditAction
from creditcheck.core.models import AuditEntry
from creditcheck.core.pdf import html_to_pdf
from creditcheck.negativation.deadlines import expiry_date
from creditcheck.negativation.models import Negativation
from creditcheck.notices.models import Notice, NoticeConsent
from creditcheck.notices.rules import UfRule
from creditcheck.notices.selectors import notice_rule


@dataclass(frozen=True)
class Deadline:
    label: str
    due: dt.date | None
    done: dt.date | None
    met: bool | None  # None: not due yet / does not apply


@dataclass(frozen=True)
class Dossier:
    negativation: Negativation
    notices: list[Notice]
    consents: list[NoticeConsent]
    rule: UfRule
    deadlines: list[Deadline]
    audit: list[AuditEntry]
    generated_at: dt.datetime
    generated_by: str


def _date(value: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(value) if value else None


def _deadlines(negativation: Negativation) -> list[Deadline]:
    sent = _date(negativation.sent_at)
    removed = _date(negativation.removed_at)
    met_on = negativation.notice_met_on
    rows = [
        Deadline(
            "Prazo do comunicado ao devedor cumprido antes do envio ao birô",
            met_on,
            sent,
            None if sent is None else (met_on is not None and met_on <= sent),
        )
    ]
    if negativation.removal_deadline is not None:
        rows.append(
            Deadline(
                "Baixa em até 5 dias úteis (Súmula 548 do STJ)",
                negativation.removal_deadline,
                removed,
                None if removed is None else removed <= negativation.removal_deadline,
            )
        )
    expiry = expiry_date(negativation.due_date)
    kept_within: bool | None
    if removed is not None:
        kept_within = removed <= expiry
    else:  # still registered: broken only once the ceiling has passed
        kept_within = None if timezone.localdate() < expiry else False
    rows.append(
        Deadline(
            "Exclusão em até 5 anos do vencimento (CDC art. 43 §1º)", expiry, removed, kept_within
        )
    )
    return rows


def negativation_dossier(negativation: Negativation, *, user: Any) -> Dossier:
    notices = list(
        Notice.objects.filter(invoice=negativation.invoice_id)
        .prefetch_related("events")
        .order_by("sent_on", "pk")
    )
    consents = list(NoticeConsent.objects.filter(customer=negativation.customer_id))
    targets = Q(target_type="negativation.negativation", target_id=str(negativation.pk))
    targets |= Q(target_type="notices.notice", target_id__in=[str(n.pk) for n in notices])
    targets |= Q(target_type="notices.noticeconsent", target_id__in=[str(c.pk) for c in consents])
    return Dossier(
        negativation=negativation,
        notices=notices,
        consents=consents,
        rule=notice_rule(negativation.customer.state),
        deadlines=_deadlines(negativation),
        audit=list(AuditEntry.objects.filter(targets).order_by("seq")),
        generated_at=timezone.now(),
        generated_by=user.get_username(),
    )


def dossier_pdf(dossier: Dossier) -> bytes:
    return html_to_pdf(render_to_string("notices/dossier_pdf.html", {"d": dossier}))


def dossier_download(
    negativation: Negativation, *, user: Any, ip_address: str | None
) -> HttpResponse:
    """The dossier as an attachment; the download is audited."""
    dossier = negativation_dossier(negativation, user=user)
    response = HttpResponse(dossier_pdf(dossier), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="dossie-negativacao-{negativation.pk}.pdf"'
    )
    audit_record(
        action=AuditAction.REPORT_DOWNLOAD,
        user=user,
        ip_address=ip_address,
        branch=negativation.branch,
        document=negativation.document,
        outcome="dossiê de defesa da negativação",
        target=negativation,
        details={"notices": len(dossier.notices), "audit_entries": len(dossier.audit)},
    )
    return response
