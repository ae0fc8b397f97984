"""A small month of queries, usage and negativações for the tests of Relatórios > Custos."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User

from creditcheck.analysis.enums import Billed, QueryStatus, RefusalCode, SubjectType
from creditcheck.analysis.models import CreditQuery
from creditcheck.core.enums import Role
from creditcheck.core.models import Branch
from creditcheck.costs.models import BranchBudget
from creditcheck.costs.usage import usage_rebuild
from creditcheck.integrations.models import BranchIntegration
from creditcheck.negativation.enums import NegativationStatus
from creditcheck.negativation.models import Negativation
from tests.factories import InvoiceFactory

SP = ZoneInfo("America/Sao_Paulo")
MARCH = dt.date(2026, 3, 1)


def at(day: int, hour: int = 10, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=SP)


def integration_of(branch: Branch, cost: str) -> BranchIntegration:
    return BranchIntegration.objects.create(
        branch=branch,
        platform="spcbrasil",
        base_url="http://127.0.0.1:9/",
        cost_per_query=Decimal(cost),
        is_default=True,
    )


def stored_query(
    *,
    branch: Branch,
    user: User,
    created_at: dt.datetime,
    cost: str = "0.00",
    status: QueryStatus = QueryStatus.SUCCEEDED,
    refusal_code: str = "",
    platform: str = "spcbrasil",
    product: str = "257",
    integration: BranchIntegration | None = None,
    billed: Billed | None = None,
) -> CreditQuery:
    query = CreditQuery.objects.create(
        subject_type=SubjectType.DOCUMENT,
        document="52998224725",
        branch=branch,
        integration=integration,
        user=user,
        platform=platform,
        product=product,
        status=status,
        refusal_code=refusal_code,
        billed=billed or (Billed.YES if Decimal(cost) else Billed.NO),
        cost=Decimal(cost),
    )
    # created_at is auto_now_add: the month's dates are set after the insert.
    CreditQuery.objects.filter(pk=query.pk).update(created_at=created_at)
    return query


def stored_negativation(
    branch: Branch,
    integration: BranchIntegration,
    status: NegativationStatus,
    *,
    deadline: dt.date | None = None,
    removed_at: dt.datetime | None = None,
) -> Negativation:
    invoice = InvoiceFactory.create(contract__customer__branch=branch)
    return Negativation.objects.create(
        invoice=invoice,
        customer=invoice.contract.customer,
        branch=branch,
        integration=integration,
        platform="spcbrasil",
        status=status,
        document=invoice.contract.customer.document,
        amount=Decimal("99.90"),
        due_date=dt.date(2026, 1, 10),
        removal_deadline=deadline,
        removed_at=removed_at,
    )


@pytest.fixture
def month_data(
    branch: Branch, other_branch: Branch, make_user: Callable[..., User]
) -> dict[str, object]:
    """March 2026: 4 sent queries in São Paulo, 1 in Belo Horizonte, refusals, other months."""
    ana = make_user(Role.ATTENDANT, [branch], username="ana", first_name="Ana", last_name="Lima")
    bia = make_user(Role.ATTENDANT, [other_branch], username="bia", first_name="", last_name="")
    sp = integration_of(branch, "12.50")
    bh = integration_of(other_branch, "8.00")
    stored_query(branch=branch, user=ana, created_at=at(2), cost="12.50", integration=sp)
    stored_query(branch=branch, user=ana, created_at=at(2, 15), cost="12.50", integration=sp)
    stored_query(
        branch=branch,
        user=ana,
        created_at=at(10),
        cost="7.00",
        platform="soawebservice",
        product="",
        integration=sp,
    )
    # Failed but billed: it costs and counts.
    stored_query(
        branch=branch,
        user=ana,
        created_at=at(10, 11),
        cost="12.50",
        status=QueryStatus.FAILED,
        integration=sp,
    )
    # 23:00 on 31/03 in São Paulo is already April in UTC: still March here.
    stored_query(branch=other_branch, user=bia, created_at=at(31, 23), cost="8.00", integration=bh)
    # Refused by the interval: avoided, each saving its integration's cost per query.
    for day in (3, 4):
        stored_query(
            branch=branch,
            user=ana,
            created_at=at(day),
            status=QueryStatus.REFUSED,
            refusal_code=RefusalCode.REQUERY_INTERVAL,
            integration=sp,
        )
    stored_query(
        branch=other_branch,
        user=bia,
        created_at=at(5),
        status=QueryStatus.REFUSED,
        refusal_code=RefusalCode.REQUERY_INTERVAL,
        integration=bh,
    )
    # Refused for another reason: neither a query nor an avoided one.
    stored_query(
        branch=branch,
        user=ana,
        created_at=at(6),
        status=QueryStatus.REFUSED,
        refusal_code=RefusalCode.INVALID_DOCUMENT,
    )
    # Other months stay out.
    stored_query(branch=branch, user=ana, created_at=at(28, month=2), cost="12.50")
    stored_query(branch=branch, user=ana, created_at=at(1, 0, month=4), cost="12.50")

    BranchBudget.objects.create(branch=branch, monthly_amount=Decimal("50.00"))
    # Rows stored directly (with their dates rewritten), not through the query service: the
    # daily usage figures are computed from them, as `usage_rebuild` does after an upgrade.
    usage_rebuild()
    BranchBudget.objects.create(branch=other_branch, monthly_amount=Decimal("100.00"))

    stored_negativation(branch, sp, NegativationStatus.ACTIVE)
    stored_negativation(branch, sp, NegativationStatus.SENT)
    stored_negativation(
        branch,
        sp,
        NegativationStatus.REMOVED,
        deadline=dt.date(2026, 3, 10),
        removed_at=at(10, 22),  # on the deadline's day, late evening: met
    )
    stored_negativation(
        branch,
        sp,
        NegativationStatus.REMOVED,
        deadline=dt.date(2026, 3, 10),
        removed_at=at(11, 9),
    )
    stored_negativation(
        other_branch,
        bh,
        NegativationStatus.REMOVED,
        deadline=dt.date(2026, 2, 20),
        removed_at=at(18, month=2),  # removed in February: not this month's
    )
    stored_negativation(
        other_branch, bh, NegativationStatus.REMOVAL_REQUESTED, deadline=dt.date(2026, 1, 5)
    )
    return {"ana": ana, "bia": bia}


@pytest.fixture
def uncertain_in_march(month_data: dict[str, object], branch: Branch) -> CreditQuery:
    """The month above, plus a query of São Paulo on 12/03 whose billing the platform left
    unknown (a 500): R$ 12,50 at stake, counted in the usage figures as the service does."""
    ana = month_data["ana"]
    assert isinstance(ana, User)
    query = stored_query(
        branch=branch,
        user=ana,
        created_at=at(12),
        cost="12.50",
        status=QueryStatus.FAILED,
        integration=BranchIntegration.objects.get(branch=branch),
        billed=Billed.UNKNOWN,
    )
    usage_rebuild()
    return query
