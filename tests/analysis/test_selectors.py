"""Reads of Relatórios > Consultas (the screen and its CSV): scoped, filtered, or none."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from creditcheck.analysis.enums import QueryStatus, SubjectType
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.selectors import QueryFilters, report_queries, report_users
from creditcheck.core.models import Branch
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def query_by(user: User, branch: Branch, status: str = QueryStatus.SUCCEEDED) -> CreditQuery:
    customer = CustomerFactory.create(branch=branch)
    return CreditQuery.objects.create(
        subject_type=SubjectType.CUSTOMER,
        customer=customer,
        document=customer.document,
        branch=branch,
        user=user,
        status=status,
    )


def test_report_reads_only_the_users_branches(
    attendant: User,
    other_attendant: User,
    branch: Branch,
    other_branch: Branch,
) -> None:
    mine = query_by(attendant, branch)
    failed = query_by(attendant, branch, QueryStatus.FAILED)
    query_by(other_attendant, other_branch)

    assert list(report_users(attendant)) == [attendant]
    assert sorted(q.pk for q in report_queries(attendant, QueryFilters())) == [mine.pk, failed.pk]
    assert [q.pk for q in report_queries(attendant, QueryFilters(status=QueryStatus.FAILED))] == [
        failed.pk
    ]


def test_report_with_invalid_filters_reads_nothing(attendant: User, branch: Branch) -> None:
    query_by(attendant, branch)

    assert list(report_queries(attendant, None)) == []
