"""The periodic tasks while "Utiliza integração com análise de crédito" is off: no sweep and no
status polling, but the removals the law requires still go out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from creditcheck.core.models import Branch
from creditcheck.integrations.models import CreditAnalysisSettings
from creditcheck.negativation.enums import NegativationStatus as S
from creditcheck.negativation.enums import RemovalReason
from creditcheck.negativation.models import BranchNegativationSettings, SweepRequest
from creditcheck.negativation.tasks import (
    task_negativation_daily_sweep,
    task_negativation_maintenance,
)
from providers.sandbox.server import RunningSandbox
from tests.conftest import Connect
from tests.factories import negativation_for
from tests.negativation.conftest import MakeInvoice
from tests.sandbox_client import ledger

pytestmark = pytest.mark.django_db(transaction=True)


def test_daily_sweep_while_integration_off_queues_nothing(
    branch: Branch, connect: Connect, sandbox: RunningSandbox, make_overdue_invoice: MakeInvoice
) -> None:
    connect("spcbrasil")
    BranchNegativationSettings.objects.create(
        branch=branch, auto_include=True, run_hour=timezone.localtime().hour
    )
    make_overdue_invoice()
    CreditAnalysisSettings.objects.filter(pk=1).update(enabled=False)

    task_negativation_daily_sweep()

    assert SweepRequest.objects.count() == 0
    assert ledger(sandbox) == []


def test_maintenance_while_integration_off_still_removes_expired_records(
    connect: Connect, sandbox: RunningSandbox, make_overdue_invoice: MakeInvoice
) -> None:
    integration = connect("spcbrasil")
    expired = negativation_for(
        make_overdue_invoice(days_overdue=5 * 366), integration, S.ACTIVE, platform_id="NEG-9"
    )
    awaiting = negativation_for(
        make_overdue_invoice(), integration, S.AWAITING_NOTICE, visible_on=dt.date(2020, 1, 1)
    )
    CreditAnalysisSettings.objects.filter(pk=1).update(enabled=False)

    task_negativation_maintenance()

    expired.refresh_from_db()
    awaiting.refresh_from_db()
    assert (expired.status, expired.removal_reason) == (S.REMOVED, RemovalReason.EXPIRED)
    assert awaiting.status == S.AWAITING_NOTICE  # not polled while off
    assert [(e["operation"], e["billed"]) for e in ledger(sandbox)] == [("excluirSpc", False)]
