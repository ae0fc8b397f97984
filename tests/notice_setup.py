"""Notices for tests: the creditor's data of a branch and a letter of notice posted long enough
ago to meet every UF's shipped rule (through the services, as the screens record them)."""

import datetime as dt

from django.contrib.auth.models import User
from django.utils import timezone

from creditcheck.contracts.models import Invoice
from creditcheck.core.models import Branch
from creditcheck.notices.models import CreditorProfile, Notice
from creditcheck.notices.services import creditor_profile_save, notice_record_letter

# Longer than any shipped rule (SP 20 calendar days; PE 10 business days with Carnival).
NOTICED_DAYS_AGO = 30


def creditor_for(branch: Branch) -> CreditorProfile:
    return creditor_profile_save(
        branch=branch,
        legal_name=f"{branch.name} Telecomunicações Ltda",
        address="Rua do Credor, 100, Centro, Recife/PE",
        phone="(81) 3000-0000",
        user=None,
    )


def letter_posted(
    invoice: Invoice, *, days_ago: int = NOTICED_DAYS_AGO, user: User | None = None
) -> Notice:
    """A letter of notice for `invoice` posted `days_ago` days ago (the creditor's data too)."""
    branch = invoice.contract.branch
    if not CreditorProfile.objects.filter(branch=branch).exists():
        creditor_for(branch)
    return notice_record_letter(
        invoice=invoice,
        posted_on=timezone.localdate() - dt.timedelta(days=days_ago),
        tracking_code="",
        user=user,
    )
