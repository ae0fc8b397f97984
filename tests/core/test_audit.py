"""The tamper-evident audit trail and what the services record in it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from creditcheck.analysis.services import CreditQueryRefused, credit_query_request
from creditcheck.analysis.subjects import subject_from_document
from creditcheck.core.audit import verify_audit_chain
from creditcheck.core.enums import AuditAction
from creditcheck.core.models import AuditEntry, Branch
from creditcheck.integrations.services import credit_settings_update
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch, enable_credit_analysis, integration_on

pytestmark = pytest.mark.django_db(transaction=True)


def entries(action: str) -> list[tuple[str, str, str]]:
    return [
        (e.username, e.document, e.outcome)
        for e in AuditEntry.objects.filter(action=action).order_by("seq")
    ]


def test_each_query_attempt_is_audited_once(
    attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    connect_branch(branch, sandbox)
    with pytest.raises(CreditQueryRefused):
        credit_query_request(
            subject=subject_from_document("52998224725"),
            branch=branch,
            user=attendant,
            ip_address="10.1.2.3",
        )
    enable_credit_analysis()
    credit_query_request(
        subject=subject_from_document("52998224725"),
        branch=branch,
        user=attendant,
        ip_address="10.1.2.3",
    )
    assert entries(AuditAction.CREDIT_QUERY) == [
        ("atendente", "52998224725", "recusada: integration_disabled"),
        ("atendente", "52998224725", "concluída"),
    ]
    ips = AuditEntry.objects.filter(action=AuditAction.CREDIT_QUERY).values_list(
        "ip_address", flat=True
    )
    assert set(ips) == {"10.1.2.3"}


def test_settings_change_records_before_and_after(administrator: User) -> None:
    credit_settings_update(user=administrator, enabled=True, requery_interval_days=15)
    entry = AuditEntry.objects.get(action=AuditAction.SETTINGS_CHANGE)
    assert (entry.username, entry.details) == (
        "administrador",
        {
            "before": {"enabled": False, "requery_interval_days": 0},
            "after": {"enabled": True, "requery_interval_days": 15},
        },
    )


def test_report_download_is_audited(
    attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    integration_on(branch, sandbox)
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=attendant.pk))
    created = client.post(
        "/api/v1/credit-queries/", {"document": "12345678909", "branch": branch.pk}
    ).json()
    assert client.get(created["report_url"]).status_code == 200
    assert entries(AuditAction.REPORT_DOWNLOAD) == [
        ("atendente", "12345678909", "relatório de análise de crédito")
    ]


def test_verify_audit_finds_the_first_tampered_entry(administrator: User) -> None:
    for days in (1, 2, 3, 4):
        credit_settings_update(user=administrator, enabled=True, requery_interval_days=days)
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert out.getvalue().strip() == "Trilha de auditoria íntegra: 4 entradas verificadas."
    second = AuditEntry.objects.get(seq=2)
    AuditEntry.objects.filter(pk=second.pk).update(username="intruso")  # bypasses the app
    with pytest.raises(CommandError) as caught:
        call_command("verify_audit")
    assert str(caught.value) == (
        "Trilha de auditoria violada na entrada #2: conteúdo alterado (hash não confere) "
        "(1 entradas anteriores íntegras)."
    )


def test_deleted_entry_breaks_the_chain(administrator: User) -> None:
    for days in (1, 2, 3):
        credit_settings_update(user=administrator, enabled=True, requery_interval_days=days)
    AuditEntry.objects.filter(seq=2)._raw_delete("default")
    checked, broken = verify_audit_chain()
    assert (checked, broken and broken.seq) == (1, 2)


def test_entries_cannot_be_changed_or_deleted_through_the_app(administrator: User) -> None:
    credit_settings_update(user=administrator, enabled=True, requery_interval_days=1)
    entry = AuditEntry.objects.get()
    entry.outcome = "outro"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
