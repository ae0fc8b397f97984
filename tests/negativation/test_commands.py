"""run_scheduled_jobs: the periodic jobs of the embedded mode (creditcheck/core)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from creditcheck.analysis.enums import Billed, QueryStatus, SubjectType
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.services import STALE_RUNNING_AFTER
from creditcheck.core.models import Branch
from creditcheck.negativation.enums import NegativationStatus as S
from creditcheck.negativation.models import BranchNegativationSettings, Negativation
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import integration_on
from tests.factories import BranchFactory, UserFactory
from tests.negativation.conftest import MakeInvoice


@pytest.mark.django_db(transaction=True)
def test_scheduled_jobs_run_the_sweep_at_the_branch_hour(
    branch: Branch, sandbox: RunningSandbox, make_overdue_invoice: MakeInvoice
) -> None:
    integration_on(branch, sandbox, "soawebservice")
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


@pytest.mark.django_db
def test_scheduled_jobs_run_every_task_of_the_beat_schedule() -> None:
    """The embedded runner and Celery beat share one list: a job added to beat runs here too."""
    assert "credit-query-maintenance" in settings.CELERY_BEAT_SCHEDULE
    branch = BranchFactory.create()
    stale = CreditQuery.objects.create(
        subject_type=SubjectType.DOCUMENT,
        document="52998224725",
        person_type="F",
        branch=branch,
        user=UserFactory.create(),
        status=QueryStatus.RUNNING,
        started_at=timezone.now() - STALE_RUNNING_AFTER - dt.timedelta(seconds=1),
    )

    call_command("run_scheduled_jobs")

    stale.refresh_from_db()
    assert (stale.status, stale.billed) == (QueryStatus.FAILED, Billed.UNKNOWN)
