"""run_scheduled_jobs: the periodic jobs of the embedded mode."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from creditcheck.core.models import Branch
from creditcheck.negativation.enums import NegativationStatus as S
from creditcheck.negativation.models import BranchNegativationSettings, Negativation
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch, enable_credit_analysis
from tests.negativation.conftest import MakeInvoice


@pytest.mark.django_db(transaction=True)
def test_scheduled_jobs_run_the_sweep_at_the_branch_hour(
    branch: Branch, sandbox: RunningSandbox, make_overdue_invoice: MakeInvoice
) -> None:
    enable_credit_analysis()
    connect_branch(branch, sandbox, "soawebservice")
    invoice = make_overdue_invoice()
    hour = timezone.localtime().hour
    rules = BranchNegativationSettings.objects.create(
        branch=branch,
        auto_include=True,
        days_after_due=30,
        min_amount=Decimal("0"),
        run_hour=(hour + 1) % 24,
    )
    call_command("run_scheduled_jobs")
    assert Negativation.objects.count() == 0  # not this branch's hour
    rules.run_hour = hour
    rules.save()
    call_command("run_scheduled_jobs")
    negativation = Negativation.objects.get()
    assert (negativation.invoice, negativation.status, negativation.automatic) == (
        invoice,
        S.AWAITING_NOTICE,
        True,
    )
    assert negativation.visible_on == timezone.localdate() + dt.timedelta(days=20)
