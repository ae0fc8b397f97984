"""Fixtures of the credit-decision tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User

from creditcheck.analysis.enums import QueryStatus
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.services import credit_query_request
from creditcheck.analysis.subjects import Subject, subject_from_document
from creditcheck.core.models import Branch
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch, enable_credit_analysis

Run = Callable[[str | Subject], CreditQuery]


@pytest.fixture
def run_query(
    attendant: User,
    branch: Branch,
    sandbox: RunningSandbox,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> Run:
    """A query of the attendant's branch (SPC Brasil sandbox), its platform call run: of a
    bare document, or of a customer's, lead's or prospect's subject."""
    enable_credit_analysis()
    connect_branch(branch, sandbox)

    def run(document: str | Subject) -> CreditQuery:
        subject = subject_from_document(document) if isinstance(document, str) else document
        with django_capture_on_commit_callbacks(execute=True):
            outcome = credit_query_request(subject=subject, branch=branch, user=attendant)
        query = CreditQuery.objects.get(pk=outcome.query.pk)
        assert query.status == QueryStatus.SUCCEEDED, query.error_message
        return query

    return run
