"""Negativação transitions in the audit trail."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from creditcheck.core.enums import AuditAction
from creditcheck.core.models import AuditEntry, Branch
from creditcheck.negativation.services import negativation_include
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import integration_on
from tests.negativation.conftest import MakeInvoice

pytestmark = pytest.mark.django_db(transaction=True)


def test_negativation_transitions_are_audited(
    financial: User, branch: Branch, sandbox: RunningSandbox, make_overdue_invoice: MakeInvoice
) -> None:
    integration_on(branch, sandbox, "spcbrasil")
    invoice = make_overdue_invoice()
    negativation_include(invoice=invoice, user=financial)
    document = invoice.contract.customer.document
    assert [
        (e.username, e.document, e.outcome)
        for e in AuditEntry.objects.filter(action=AuditAction.NEGATIVATION).order_by("seq")
    ] == [
        ("sistema", document, "carta de comunicado registrada"),
        ("financeiro", document, "solicitada"),
        ("sistema", document, "requested → sent"),
        ("sistema", document, "sent → awaiting_notice"),
    ]


def test_negativation_settings_changes_are_audited_with_before_and_after(
    administrator: User, branch: Branch
) -> None:
    from decimal import Decimal

    from creditcheck.negativation.models import BranchNegativationSettings
    from creditcheck.negativation.services import branch_negativation_settings_save

    rules = BranchNegativationSettings(branch=branch, days_after_due=45, min_amount=Decimal("50"))
    branch_negativation_settings_save(rules=rules, user=administrator)
    changes = AuditEntry.objects.filter(action=AuditAction.SETTINGS_CHANGE).order_by("seq")
    assert [(e.username, e.outcome) for e in changes] == [
        ("administrador", "regras de negativação da filial"),
    ]
    assert changes[0].details["after"]["days_after_due"] == "45"
