"""Reads of Relatórios > Consultas (the screen and its CSV): scoped, filtered, or none."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User

from creditcheck.analysis.enums import QueryStatus, SubjectType
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.selectors import QueryFilters, report_queries, report_users
from creditcheck.core.models import Branch
from creditcheck.crm.models import Lead
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


# --- The lists' "Última análise" -------------------------------------------------------------


def _stored(lead: Lead, user: User, *, score: int, band: str, restricted: bool, at: dt.datetime):  # type: ignore[no-untyped-def]
    query = CreditQuery.objects.create(
        subject_type="lead",
        lead=lead,
        document=lead.document,
        branch=lead.branch,
        user=user,
        platform="spcbrasil",
        status=QueryStatus.SUCCEEDED,
        score=score,
        has_restrictions=restricted,
        report={"score": {"value": score, "band": band}},
    )
    CreditQuery.objects.filter(pk=query.pk).update(created_at=at)
    return query


@pytest.mark.django_db
def test_with_last_query_gives_the_last_concluded_query_the_user_sees(
    attendant: User, branch: Branch, other_branch: Branch
) -> None:
    from creditcheck.analysis.selectors import with_last_query
    from tests.factories import LeadFactory

    lead = LeadFactory.create(document="52998224725", branch=branch)
    never = LeadFactory.create(branch=branch)
    march = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
    _stored(lead, attendant, score=300, band="E", restricted=True, at=march)
    last = _stored(lead, attendant, score=720, band="B", restricted=False, at=march.replace(day=9))
    # Later, but refused (not concluded) and in a branch the attendant cannot open
    refused = CreditQuery.objects.create(
        subject_type="lead", lead=lead, document=lead.document, branch=branch, user=attendant,
        platform="spcbrasil", status=QueryStatus.REFUSED, refusal_code="requery_interval",
    )  # fmt: skip
    CreditQuery.objects.filter(pk=refused.pk).update(created_at=march.replace(day=20))
    stranger = _stored(lead, attendant, score=100, band="H", restricted=True, at=march)
    CreditQuery.objects.filter(pk=stranger.pk).update(
        branch=other_branch, created_at=march.replace(day=25)
    )

    fields = ("last_query_id", "last_query_at", "last_score", "last_band", "last_has_restrictions")
    rows = {
        row.pk: tuple(getattr(row, name) for name in fields)
        for row in with_last_query(Lead.objects.all(), attendant, "lead")
    }

    assert rows == {
        lead.pk: (last.pk, march.replace(day=9), 720, "B", False),
        never.pk: (None, None, None, None, None),
    }


@pytest.mark.django_db
def test_with_last_query_shows_nothing_without_the_permission_to_see_queries(
    attendant: User, branch: Branch
) -> None:
    from django.contrib.auth.models import Permission

    from creditcheck.analysis.selectors import with_last_query
    from tests.factories import LeadFactory

    lead = LeadFactory.create(document="52998224725", branch=branch)
    _stored(lead, attendant, score=720, band="B", restricted=False, at=dt.datetime.now(tz=dt.UTC))
    attendant.groups.clear()
    attendant.user_permissions.add(Permission.objects.get(codename="view_lead"))
    reader = User.objects.get(pk=attendant.pk)  # permissions are cached per user object

    [row] = with_last_query(Lead.objects.all(), reader, "lead")

    fields = ("last_query_id", "last_score", "last_band")
    assert [getattr(row, name) for name in fields] == [None, None, None]
