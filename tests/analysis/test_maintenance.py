"""The credit-query maintenance job: queries cut short by a dead worker, messages the broker lost.

Against the sandboxes over real HTTP, checked in their ledger.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone

from creditcheck.analysis.enums import Billed, QueryStatus, SubjectType
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.services import (
    PENDING_EXPIRES_AFTER,
    REQUEUE_PENDING_AFTER,
    STALE_RUNNING_AFTER,
    credit_query_close_stale,
    credit_query_request,
    credit_query_requeue_pending,
)
from creditcheck.analysis.subjects import subject_from_document
from creditcheck.analysis.tasks import task_credit_query_maintenance
from creditcheck.celery import app as celery_app
from creditcheck.core.enums import AuditAction
from creditcheck.core.models import AuditEntry, Branch
from creditcheck.integrations.models import BranchIntegration
from providers.sandbox.scenarios import CLEAN_CNPJ, CLEAN_CPF
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch, integration_on
from tests.sandbox_client import billed_calls, ledger

SECOND = dt.timedelta(seconds=1)


def _running(
    user: User, integration: BranchIntegration, document: str, started_ago: dt.timedelta
) -> CreditQuery:
    return CreditQuery.objects.create(
        integration=integration,
        platform=integration.platform,
        subject_type=SubjectType.DOCUMENT,
        document=document,
        person_type="F" if len(document) == 11 else "J",
        branch=integration.branch,
        user=user,
        status=QueryStatus.RUNNING,
        started_at=timezone.now() - started_ago,
    )


def _lost(user: User, branch: Branch, document: str, capture: Any) -> CreditQuery:
    """A query stored pending whose task message never reached a worker."""
    with capture(execute=False):
        return credit_query_request(
            subject=subject_from_document(document), branch=branch, user=user
        ).query


@pytest.fixture
def lost_query(
    attendant: User,
    branch: Branch,
    sandbox: RunningSandbox,
    django_capture_on_commit_callbacks: Any,
) -> CreditQuery:
    """A query of CLEAN_CPF stored pending whose task message never reached a worker."""
    integration_on(branch, sandbox)
    return _lost(attendant, branch, CLEAN_CPF, django_capture_on_commit_callbacks)


def _status(query: CreditQuery) -> tuple[str, str, str]:
    query.refresh_from_db()
    return query.status, query.error_code, query.billed


@pytest.mark.django_db(transaction=True)
def test_close_stale_closes_only_queries_running_past_the_bound_once(
    attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    integration = connect_branch(branch, sandbox)
    stale = _running(attendant, integration, CLEAN_CPF, STALE_RUNNING_AFTER + SECOND)
    live = _running(attendant, integration, CLEAN_CNPJ, dt.timedelta(minutes=1))

    assert credit_query_close_stale() == 1
    assert credit_query_close_stale() == 0
    assert _status(stale) == (QueryStatus.FAILED, "interrupted", Billed.UNKNOWN)
    assert stale.error_message.startswith("A consulta foi interrompida")
    assert _status(live)[:2] == (QueryStatus.RUNNING, "")
    assert (
        AuditEntry.objects.filter(
            action=AuditAction.CREDIT_QUERY, outcome="falhou: interrupted"
        ).count()
        == 1
    )
    assert ledger(sandbox) == []


@pytest.mark.django_db
def test_requeue_pending_runs_a_query_whose_message_was_lost_once(
    lost_query: CreditQuery, sandbox: RunningSandbox
) -> None:
    query = lost_query
    assert credit_query_requeue_pending() == (0, 0)  # too recent: its message may be on its way
    later = timezone.now() + REQUEUE_PENDING_AFTER + SECOND
    assert credit_query_requeue_pending(now=later) == (1, 0)
    assert credit_query_requeue_pending(now=later) == (0, 0)
    query.refresh_from_db()
    assert (query.status, query.billed) == (QueryStatus.SUCCEEDED, Billed.YES)
    assert billed_calls(sandbox, document=CLEAN_CPF) == 1


@pytest.mark.django_db
def test_requeue_pending_expires_a_query_nobody_could_run_without_calling_the_platform(
    lost_query: CreditQuery,
    attendant: User,
    branch: Branch,
    sandbox: RunningSandbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    query = lost_query
    later = timezone.now() + PENDING_EXPIRES_AFTER + SECOND
    assert credit_query_requeue_pending(now=later) == (0, 1)
    assert _status(query) == (QueryStatus.FAILED, "not_sent", Billed.NO)
    assert query.cost == 0
    assert "Nada foi cobrado" in query.error_message
    assert ledger(sandbox) == []
    # The document is free again: a new request makes a new query.
    again = _lost(attendant, branch, CLEAN_CPF, django_capture_on_commit_callbacks)
    assert again.pk != query.pk


@pytest.mark.django_db(transaction=True)
def test_maintenance_task_closes_stale_queries_and_sends_lost_ones(
    attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    integration = integration_on(branch, sandbox)
    stale = _running(attendant, integration, CLEAN_CPF, STALE_RUNNING_AFTER + SECOND)
    lost = _running(attendant, integration, CLEAN_CNPJ, dt.timedelta(0))
    CreditQuery.objects.filter(pk=lost.pk).update(
        status=QueryStatus.PENDING,
        started_at=None,
        created_at=timezone.now() - REQUEUE_PENDING_AFTER - SECOND,
    )

    task_credit_query_maintenance.delay()

    assert _status(stale) == (QueryStatus.FAILED, "interrupted", Billed.UNKNOWN)
    assert _status(lost)[0] == QueryStatus.SUCCEEDED
    assert billed_calls(sandbox) == 1


def test_maintenance_is_scheduled_every_minute() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["credit-query-maintenance"]
    assert entry["task"] == task_credit_query_maintenance.name
    assert entry["task"] in celery_app.tasks
    assert entry["schedule"] == 60.0
