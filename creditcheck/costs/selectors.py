"""Every figure of Relatórios > Custos, its CSV and /api/v1/reports/costs/, for one month.

All sums and counts are GROUP BY queries in the database (a month of a large ISP is hundreds of
thousands of rows); Python only fills the days without queries and applies the budget rule.

"Queries" here are the ones sent to a platform (every status but refused): refused attempts
cost nothing. The cost is what was billed for certain; the queries whose billing the platform
left unknown count apart ("cobrança incerta": how many, at their cost per query) until settled.
Those refused by the re-query interval, and those that received the result of another branch's
query of the same document, are the queries avoided, each saving its integration's current cost
per query.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from creditcheck.core.models import Branch
from creditcheck.costs.budgets import (
    BudgetStatus,
    budget_evaluate,
    month_bounds,
    month_days,
)
from creditcheck.costs.models import BranchBudget, QueryUsageDaily
from creditcheck.negativation.enums import REGISTERED, NegativationStatus
from creditcheck.negativation.models import Negativation
from providers import registry

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
    uncertain: int = 0
    uncertain_cost: Decimal = ZERO


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
    uncertain: int
    uncertain_cost: Decimal
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


def _user_labels(user_ids: Iterable[int]) -> dict[int, str]:
    users = get_user_model().objects.filter(pk__in=list(user_ids))
    return {user.pk: user.get_full_name() or user.get_username() for user in users}


def _days_of(month: dt.date) -> list[dt.date]:
    _, end = month_bounds(month)
    days = (timezone.localtime(end) - dt.timedelta(days=1)).day
    return [month + dt.timedelta(days=offset) for offset in range(days)]


class _Tally:
    """Count and R$ per key, filled from the grouped rows."""

    def __init__(self) -> None:
        self.values: dict[Any, tuple[int, Decimal]] = {}

    def add(self, key: Any, count: int, cost: Decimal) -> None:
        n, total = self.values.get(key, (0, ZERO))
        self.values[key] = (n + count, total + cost)

    def get(self, key: Any) -> tuple[int, Decimal]:
        n, total = self.values.get(key, (0, ZERO))
        return n, _money(total)

    def ranked(self) -> list[tuple[Any, int, Decimal]]:
        rows = [(key, n, _money(total)) for key, (n, total) in self.values.items()]
        return sorted(rows, key=lambda row: (-row[2], -row[1], str(row[0])))


def _month_tallies(branch_ids: list[int], month: dt.date) -> tuple[_Tally, ...]:
    """(per day, per branch, avoided per branch, uncertain per branch, per platform, per user,
    per product).

    Three GROUP BYs over the month's usage rows, each returning a few hundred or thousand
    groups; Python only adds those up per figure.
    """
    first, following = month_days(month)
    rows = QueryUsageDaily.objects.filter(
        branch_id__in=branch_ids, day__gte=first, day__lt=following
    ).order_by()
    per_day, per_branch, avoided, uncertain = _Tally(), _Tally(), _Tally(), _Tally()
    platforms, users, products = _Tally(), _Tally(), _Tally()
    sent = rows.filter(sent__gt=0)
    for day, branch_id, n, total, n_uncertain, uncertain_total in (
        sent.values("day", "branch_id")
        .annotate(
            n=Sum("sent"), total=Sum("cost"), u=Sum("uncertain"), u_total=Sum("uncertain_cost")
        )
        .values_list("day", "branch_id", "n", "total", "u", "u_total")
    ):
        per_day.add(day, n, total)
        per_branch.add(branch_id, n, total)
        uncertain.add(branch_id, n_uncertain, uncertain_total)
    for platform, user_id, product, n, total in (
        sent.values("platform", "user_id", "product")
        .annotate(n=Sum("sent"), total=Sum("cost"))
        .values_list("platform", "user_id", "product", "n", "total")
    ):
        platforms.add(platform, n, total)
        users.add(user_id, n, total)
        products.add(product, n, total)
    for branch_id, n, total in (
        rows.filter(avoided__gt=0)
        .values("branch_id")
        .annotate(n=Sum("avoided"), total=Sum("saved"))
        .values_list("branch_id", "n", "total")
    ):
        avoided.add(branch_id, n, total)
    return per_day, per_branch, avoided, uncertain, platforms, users, products


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
    branch_list = list(branches.order_by("name").values_list("pk", "name"))
    branch_ids = [pk for pk, _ in branch_list]
    per_day, branch_usage, avoided, uncertain, platforms, users, products = _month_tallies(
        branch_ids, month
    )

    budgets = {b.branch_id: b for b in BranchBudget.objects.filter(branch_id__in=branch_ids)}
    per_branch = []
    for pk, name in branch_list:
        count, cost = branch_usage.get(pk)
        avoided_count, saved_amount = avoided.get(pk)
        uncertain_count, uncertain_cost = uncertain.get(pk)
        per_branch.append(
            BranchCosts(
                branch_id=pk,
                name=name,
                count=count,
                cost=cost,
                budget=budget_evaluate(budgets.get(pk), month, cost, uncertain_cost),
                avoided=avoided_count,
                saved=saved_amount,
                uncertain=uncertain_count,
                uncertain_cost=uncertain_cost,
            )
        )

    user_rows = users.ranked()
    user_labels = _user_labels(key for key, _, _ in user_rows)
    return CostsReport(
        month=month,
        count=sum(row.count for row in per_branch),
        cost=sum((row.cost for row in per_branch), ZERO),
        avoided=sum(row.avoided for row in per_branch),
        saved=sum((row.saved for row in per_branch), ZERO),
        uncertain=sum(row.uncertain for row in per_branch),
        uncertain_cost=sum((row.uncertain_cost for row in per_branch), ZERO),
        per_day=[DayRow(day, *per_day.get(day)) for day in _days_of(month)],
        per_branch=per_branch,
        per_platform=[
            UsageRow(key, registry.trade_name(key) or "—", n, total)
            for key, n, total in platforms.ranked()
        ],
        per_user=[
            UsageRow(str(key), user_labels.get(key, str(key)), n, total)
            for key, n, total in user_rows
        ],
        per_product=[
            UsageRow(key, key or "(padrão)", n, total) for key, n, total in products.ranked()
        ],
        negativations=_negativation_figures(branch_ids, month),
    )
