"""The LGPD retention job: raw payloads and platform PDFs go, query rows and audit stay."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from creditcheck.analysis.enums import QueryStatus, SubjectType
from creditcheck.analysis.models import CreditQuery
from creditcheck.compliance.retention import months_before, retention_purge
from creditcheck.compliance.tasks import task_retention_purge
from creditcheck.core.audit import audit_record
from creditcheck.core.enums import AuditAction
from creditcheck.core.models import AuditEntry, Branch

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
REPORT = {"score": 520, "restrictions": []}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def stored_query(user: User, branch: Branch, created_at: dt.datetime, pdf: bool) -> CreditQuery:
    query = CreditQuery.objects.create(
        subject_type=SubjectType.DOCUMENT,
        document="12345678909",
        branch=branch,
        user=user,
        status=QueryStatus.SUCCEEDED,
        report=REPORT,
        raw_payload="<xml>resposta completa</xml>",
    )
    if pdf:
        query.provider_file.save("relatorio.pdf", ContentFile(b"%PDF-1.4 sandbox"), save=False)
        query.provider_file_type = "application/pdf"
        query.save()
    audit_record(
        action=AuditAction.CREDIT_QUERY,
        user=user,
        branch=branch,
        document=query.document,
        outcome="concluída",
        target=query,
    )
    # created_at is auto_now_add: set the past with an UPDATE.
    CreditQuery.objects.filter(pk=query.pk).update(created_at=created_at)
    query.refresh_from_db()
    return query


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (dt.datetime(2026, 11, 29, 12, 0), 60, dt.datetime(2021, 11, 29, 12, 0)),
        (dt.datetime(2026, 3, 31, 8, 30), 1, dt.datetime(2026, 2, 28, 8, 30)),
        (dt.datetime(2024, 3, 31), 1, dt.datetime(2024, 2, 29)),
        (dt.datetime(2026, 1, 15), 13, dt.datetime(2024, 12, 15)),
    ],
)
def test_months_before_calendar_months(
    moment: dt.datetime, months: int, expected: dt.datetime
) -> None:
    assert months_before(moment, months) == expected


def test_purge_clears_old_payloads_and_files_keeping_rows_report_and_audit(
    attendant: User, branch: Branch, tmp_path: Path
) -> None:
    old_with_pdf = stored_query(attendant, branch, NOW - dt.timedelta(days=5 * 365 + 30), pdf=True)
    old_without_pdf = stored_query(
        attendant, branch, NOW - dt.timedelta(days=5 * 365 + 2), pdf=False
    )
    recent = stored_query(attendant, branch, NOW - dt.timedelta(days=5 * 365 - 30), pdf=True)
    old_path = Path(old_with_pdf.provider_file.path)
    recent_path = Path(recent.provider_file.path)
    audit_before = list(AuditEntry.objects.values_list("seq", "hash"))

    result = retention_purge(now=NOW, months=60)

    assert (result.cutoff, result.queries, result.files) == (
        dt.datetime(2021, 11, 29, 12, 0, tzinfo=dt.UTC),
        2,
        1,
    )
    for query in (old_with_pdf, old_without_pdf):
        query.refresh_from_db()
        assert (query.raw_payload, query.provider_file.name, query.provider_file_type) == (
            "",
            "",
            "",
        )
        assert query.report == REPORT
    recent.refresh_from_db()
    assert recent.raw_payload == "<xml>resposta completa</xml>"
    assert recent.provider_file.name != "" and recent_path.exists()
    assert not old_path.exists()
    assert CreditQuery.objects.count() == 3
    assert list(AuditEntry.objects.values_list("seq", "hash")) == audit_before


def test_purge_twice_changes_nothing_the_second_time(attendant: User, branch: Branch) -> None:
    stored_query(attendant, branch, NOW - dt.timedelta(days=2000), pdf=True)
    assert retention_purge(now=NOW, months=60).queries == 1
    assert retention_purge(now=NOW, months=60).queries == 0


def test_purge_uses_retention_months_setting(
    settings: Any, attendant: User, branch: Branch
) -> None:
    settings.RETENTION_MONTHS = 6
    query = stored_query(attendant, branch, timezone.now() - dt.timedelta(days=200), pdf=True)
    task_retention_purge.delay()
    query.refresh_from_db()
    assert (query.raw_payload, query.provider_file.name) == ("", "")


def test_scheduled_jobs_command_runs_the_purge(
    settings: Any, attendant: User, branch: Branch
) -> None:
    settings.RETENTION_MONTHS = 12
    query = stored_query(attendant, branch, timezone.now() - dt.timedelta(days=400), pdf=False)
    call_command("run_scheduled_jobs")
    query.refresh_from_db()
    assert query.raw_payload == ""


def retention_months_with(value: str | None) -> str:
    """RETENTION_MONTHS as settings.py reads it in a fresh interpreter."""
    env = {k: v for k, v in os.environ.items() if k != "RETENTION_MONTHS"}
    if value is not None:
        env["RETENTION_MONTHS"] = value
    return subprocess.run(
        [sys.executable, "-c", "import creditcheck.settings as s; print(s.RETENTION_MONTHS)"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_settings_retention_months_default_and_env() -> None:
    assert (retention_months_with(None), retention_months_with("24")) == ("60", "24")
