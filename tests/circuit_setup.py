"""Test helpers that drive a branch's circuit breaker through real credit queries."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User

from creditcheck.analysis.enums import QueryStatus
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.services import credit_query_request
from creditcheck.analysis.subjects import subject_from_document
from creditcheck.core.models import Branch
from providers.sandbox.scenarios import CLEAN_CPF
from providers.sandbox.server import RunningSandbox
from tests.sandbox_client import inject_fault

PLATFORM = "spcbrasil"  # connect_branch's default platform


def consult(user: User, branch: Branch, document: str = CLEAN_CPF) -> CreditQuery:
    """One credit query through the real service (tasks run eagerly), as finished."""
    outcome = credit_query_request(
        subject=subject_from_document(document), branch=branch, user=user
    )
    outcome.query.refresh_from_db()
    return outcome.query


def fail_queries(user: User, branch: Branch, sandbox: RunningSandbox, count: int) -> None:
    """`count` queries that reach the platform and get an unreadable answer (an outage sign).

    The fault covers exactly these calls, so the platform answers normally afterwards.
    """
    inject_fault(sandbox, PLATFORM, "malformed", count=count)
    for _ in range(count):
        query = consult(user, branch)
        assert (query.status, query.error_code) == (QueryStatus.FAILED, "malformed_xml")


def open_circuit(user: User, branch: Branch, sandbox: RunningSandbox) -> None:
    """Open the branch's SPC Brasil circuit: CIRCUIT_FAILURE_THRESHOLD failures in a row."""
    fail_queries(user, branch, sandbox, settings.CIRCUIT_FAILURE_THRESHOLD)
