"""Every figure of Relatórios > Custos, its CSV and /api/v1/reports/costs/, for one month.

All sums and counts are GROUP BY queries in the database (a month of a large ISP is hundreds of
thousands of rows); Python only fills the days without queries and applies the budget rule.

"Queries" here are the ones sent to a platform (every status but refused): refused attempts
cost nothing. Those refused by the re-query interval are the queries avoided, each saving its
integration's current cost per query.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from creditcheck.analysis.budgets import BudgetStatus, budget_evaluate, month_bounds
from creditcheck.analysis.enums import QueryStatus, RefusalCode
from creditcheck.analysis.models import BranchBudget, CreditQuery
from creditcheck.core.models import Branch
from creditcheck.negativation.enums import REGISTERED, NegativationStatus
from creditcheck.negativation.models import Negativation
from providers.base import PLATFORM_NAMES

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class UsageRow:
    key: str
    label: str
    count: int
    cost: Decimal


@dataclass(frozen=True)
class DayRow:
    day: dt.date
    count: int
    cost: Decimal


@dataclass(frozen=True)
class BranchCosts:
    branch_id: int
    name: str
    count: int
    cost: Decimal
    budget: BudgetStatus
    avoided: int
    saved: Decimal


@dataclass(frozen=True)
class NegativationFigures:
    active: int
    removed: int
    deadlines_met: int
    deadlines_missed: int
    overdue: int  # removal requested, deadline passed, not removed yet


@dataclass(frozen=True)
class CostsReport:
    month: dt.date
    count: int
    cost: Decimal
    avoided: int
    saved: Decimal
    per_day: list[DayRow]
    per_branch: list[BranchCosts]
    per_platform: list[UsageRow]
    per_user: list[UsageRow]
    per_product: list[UsageRow]
    negativations: NegativationFigures

    @property
    def branches_warning(self) -> list[BranchCosts]:
        return [row for row in self.per_branch if row.budget.warning]


def _money(value: Decimal | None) -> Decimal:
    return (value or ZERO).quantize(Decimal("0.01"))


def _usage(queryset: QuerySet[CreditQuery], field: str) -> list[tuple[Any, int, Decimal]]:
    rows = (
        queryset.values(field)
        .annotate(n=Count("id"), total=Sum("cost"))
        .order_by("-total", "-n", field)
        .values_list(field, "n", "total")
    )
    return [(key, n, _money(total)) for key, n, total in rows]


def _user_labels(user_ids: Iterable[int]) -> dict[int, str]:
    users = get_user_model().objects.filter(pk__in=list(user_ids))
    return {user.pk: user.get_full_name() or user.get_username() for user in users}


def _per_day(queryset: QuerySet[CreditQuery], month: dt.date) -> list[DayRow]:
    rows = (
        queryset.annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("id"), total=Sum("cost"))
        .values_list("day", "n", "total")
    )
    by_day = {day: (n, _money(total)) for day, n, total in rows}
    _, end = month_bounds(month)
    days = (timezone.localtime(end) - dt.timedelta(days=1)).day
    return [
        DayRow(day, *by_day.get(day, (0, ZERO)))
        for day in (month + dt.timedelta(days=offset) for offset in range(days))
    ]


def _negativation_figures(branch_ids: list[int], month: dt.date) -> NegativationFigures:
    start, end = month_bounds(month)
    removed_in_month = Q(
        status=NegativationStatus.REMOVED, removed_at__gte=start, removed_at__lt=end
    )
    with_deadline = removed_in_month & Q(removal_deadline__isnull=False)
    row = Negativation.objects.filter(branch_id__in=branch_ids).aggregate(
        active=Count("id", filter=Q(status__in=REGISTERED)),
        removed=Count("id", filter=removed_in_month),
        met=Count("id", filter=with_deadline & Q(removed_at__date__lte=F("removal_deadline"))),
        missed=Count("id", filter=with_deadline & Q(removed_at__date__gt=F("removal_deadline"))),
        overdue=Count(
            "id",
            filter=Q(
                status=NegativationStatus.REMOVAL_REQUESTED,
                removal_deadline__lt=timezone.localdate(),
            ),
        ),
    )
    return NegativationFigures(
        active=row["active"],
        removed=row["removed"],
        deadlines_met=row["met"],
        deadlines_missed=row["missed"],
        overdue=row["overdue"],
    )


def costs_report(*, month: dt.date, branches: QuerySet[Branch]) -> CostsReport:
    """The month's usage, spend, budgets, savings and negativações of `branches`.

    `branches` is already scoped to the user (core.selectors.branches_for) and filtered.
    """
    month = month.replace(day=1)
    start, end = month_bounds(month)
    branch_list = list(branches.order_by("name").values_list("pk", "name"))
    branch_ids = [pk for pk, _ in branch_list]
    in_month = CreditQuery.objects.filter(
        branch_id__in=branch_ids, created_at__gte=start, created_at__lt=end
    ).order_by()
    sent = in_month.exclude(status=QueryStatus.REFUSED)

    per_branch_usage = {key: (n, total) for key, n, total in _usage(sent, "branch_id")}
    avoided_rows = (
        in_month.filter(status=QueryStatus.REFUSED, refusal_code=RefusalCode.REQUERY_INTERVAL)
        .values("branch_id")
        .annotate(n=Count("id"), saved=Sum("integration__cost_per_query"))
        .values_list("branch_id", "n", "saved")
    )
    avoided = {branch_id: (n, _money(saved)) for branch_id, n, saved in avoided_rows}
    budgets = {b.branch_id: b for b in BranchBudget.objects.filter(branch_id__in=branch_ids)}
    per_branch = []
    for pk, name in branch_list:
        count, cost = per_branch_usage.get(pk, (0, ZERO))
        avoided_count, saved = avoided.get(pk, (0, ZERO))
        per_branch.append(
            BranchCosts(
                branch_id=pk,
                name=name,
                count=count,
                cost=cost,
                budget=budget_evaluate(budgets.get(pk), month, cost),
                avoided=avoided_count,
                saved=saved,
            )
        )

    users = _usage(sent, "user_id")
    user_labels = _user_labels(key for key, _, _ in users)
    return CostsReport(
        month=month,
        count=sum(row.count for row in per_branch),
        cost=sum((row.cost for row in per_branch), ZERO),
        avoided=sum(row.avoided for row in per_branch),
        saved=sum((row.saved for row in per_branch), ZERO),
        per_day=_per_day(sent, month),
        per_branch=per_branch,
        per_platform=[
            UsageRow(key, PLATFORM_NAMES.get(key, key) or "—", n, total)
            for key, n, total in _usage(sent, "platform")
        ],
        per_user=[
            UsageRow(str(key), user_labels.get(key, str(key)), n, total) for key, n, total in users
        ],
        per_product=[
            UsageRow(key, key or "(padrão)", n, total) for key, n, total in _usage(sent, "product")
        ],
        negativations=_negativation_figures(branch_ids, month),
    )
