"""Monthly query budgets per branch: the one rule (warning at 80%, block at 100%) and its changes.

`budget_status` is what the query confirmation page and Relatórios > Custos ask; `budget_hold`
is the check of the query service, made under the branch's budget row lock so that parallel
queries cannot all fit in the same remainder; `budget_evaluate` is the rule itself, for callers
that already summed the month's spend (the dashboard sums every branch in one query). A branch
without a budget has no limit. Months are calendar months in America/Sao_Paulo
(settings.TIME_ZONE).

What a budget holds in a month: the cost billed for certain, the cost of the queries whose
billing the platform left unknown (until settled), and the cost per query of the queries still
to be sent or answered (in flight: each one's reservation, released when it ends unbilled).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from creditcheck.analysis.enums import IN_FLIGHT
from creditcheck.analysis.models import CreditQuery
from creditcheck.core.audit import audit_record
from creditcheck.core.enums import AuditAction
from creditcheck.core.models import Branch
from creditcheck.costs.models import BranchBudget, QueryUsageDaily

WARNING_RATIO = Decimal("0.80")
ZERO = Decimal("0.00")
CENTS = Decimal("0.01")


def current_month() -> dt.date:
    return timezone.localdate().replace(day=1)


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[first instant of `month`, first instant of the next month) in the local time zone."""
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    zone = timezone.get_current_timezone()
    return (
        dt.datetime.combine(first, dt.time.min, tzinfo=zone),
        dt.datetime.combine(following, dt.time.min, tzinfo=zone),
    )


@dataclass(frozen=True)
class BudgetStatus:
    limit: Decimal | None  # None: no budget configured, no limit
    spent: Decimal  # billed for certain
    uncertain: Decimal = ZERO  # billing unknown, not settled yet
    reserved: Decimal = ZERO  # queries in flight, at their cost per query

    @property
    def committed(self) -> Decimal:
        """What the budget holds: spent, uncertain and reserved alike."""
        return self.spent + self.uncertain + self.reserved

    @property
    def ratio(self) -> Decimal | None:
        if self.limit is None:
            return None
        if self.limit <= 0:  # a zero budget is spent before it starts
            return Decimal("1.0000")
        return (self.committed / self.limit).quantize(Decimal("0.0001"))

    @property
    def percent(self) -> int | None:
        ratio = self.ratio
        return None if ratio is None else int(ratio * 100)

    @property
    def warning(self) -> bool:
        """80% or more of the month's budget already held (queries still go through)."""
        ratio = self.ratio
        return ratio is not None and ratio >= WARNING_RATIO

    @property
    def blocked(self) -> bool:
        """The whole budget is held: no paid query goes through until an administrator raises
        it."""
        return self.limit is not None and self.committed >= self.limit

    @property
    def available(self) -> Decimal | None:
        return None if self.limit is None else max(self.limit - self.committed, ZERO)

    def allows(self, cost: Decimal) -> bool:
        """Whether a query costing `cost` fits in what is left of the budget."""
        return self.limit is None or self.committed + cost <= self.limit


def budget_limit(budget: BranchBudget | None, month: dt.date) -> Decimal | None:
    if budget is None:
        return None
    raised = budget.raised_amount if budget.raised_month == month else ZERO
    return budget.monthly_amount + raised


def budget_evaluate(
    budget: BranchBudget | None,
    month: dt.date,
    spent: Decimal,
    uncertain: Decimal = ZERO,
    reserved: Decimal = ZERO,
) -> BudgetStatus:
    return BudgetStatus(
        limit=budget_limit(budget, month),
        spent=spent.quantize(CENTS),
        uncertain=uncertain.quantize(CENTS),
        reserved=reserved.quantize(CENTS),
    )


def month_days(month: dt.date) -> tuple[dt.date, dt.date]:
    """First day of `month` and first day of the next one."""
    first = month.replace(day=1)
    return first, (first + dt.timedelta(days=32)).replace(day=1)


def _sum(queryset: QuerySet[Any], field: str) -> Coalesce:
    """The sum of `field` over `queryset` (rows of one branch) as a scalar subquery."""
    total = queryset.order_by().values("branch_id").annotate(total=Sum(field)).values("total")
    return Coalesce(Subquery(total), Value(ZERO), output_field=DecimalField())


def _month_status(budget: BranchBudget, month: dt.date) -> BudgetStatus:
    """The budget's status from the month's usage rows and the branch's queries in flight.

    One statement, so its three sums see the same moment: a query that ends meanwhile is counted
    once (in flight, or in the usage rows its end wrote), never in neither.
    """
    first, following = month_days(month)
    start, end = month_bounds(month)
    usage = QueryUsageDaily.objects.filter(
        branch_id=OuterRef("branch_id"), day__gte=first, day__lt=following
    )
    in_flight = CreditQuery.objects.filter(
        branch_id=OuterRef("branch_id"),
        status__in=IN_FLIGHT,
        created_at__gte=start,
        created_at__lt=end,
    )
    row = (
        BranchBudget.objects.filter(pk=budget.pk)
        .annotate(
            spent=_sum(usage, "cost"),
            uncertain=_sum(usage, "uncertain_cost"),
            reserved=_sum(in_flight, "integration__cost_per_query"),
        )
        .values("spent", "uncertain", "reserved")
        .get()
    )
    return budget_evaluate(budget, month, row["spent"], row["uncertain"], row["reserved"])


def branch_budget(branch: Branch) -> BranchBudget | None:
    """The branch's budget row; None: no limit."""
    return BranchBudget.objects.filter(branch=branch).first()


def budget_status(branch: Branch, *, month: dt.date | None = None) -> BudgetStatus:
    """The branch's budget for `month` (default: the current one) and what it holds."""
    month = month or current_month()
    budget = branch_budget(branch)
    if budget is None:
        # No limit: the month's spend is not needed to decide anything, so it is not summed.
        return BudgetStatus(limit=None, spent=ZERO)
    return _month_status(budget, month)


def budget_hold(*, budget: BranchBudget, cost: Decimal) -> BudgetStatus | None:
    """The budget check of a new query costing `cost`: None when it fits (or the budget was
    removed meanwhile), else the budget's status, for the refusal.

    Inside the caller's transaction, which stores the new pending query when it fits: that row
    is the query's reservation. The budget row stays locked until that commit, so the next
    query of the branch sums after it and counts it (in flight, or ended); without the lock
    parallel queries would each see the same remainder and all go through.
    """
    locked = BranchBudget.objects.select_for_update().filter(pk=budget.pk).first()
    if locked is None:
        return None
    # A statement of its own after the lock: in PostgreSQL's READ COMMITTED it sees what the
    # query that held the lock before committed.
    status = _month_status(locked, current_month())
    return None if status.allows(cost) else status


def _snapshot(budget: BranchBudget | None) -> dict[str, str | None]:
    if budget is None:
        return {"monthly_amount": None, "raised_month": None, "raised_amount": None}
    return {
        "monthly_amount": str(budget.monthly_amount),
        "raised_month": budget.raised_month.isoformat() if budget.raised_month else None,
        "raised_amount": str(budget.raised_amount),
    }


def _audit_change(
    branch: Branch, user: Any, ip_address: str | None, outcome: str, before: dict, after: dict
) -> None:
    audit_record(
        action=AuditAction.SETTINGS_CHANGE,
        user=user,
        ip_address=ip_address,
        branch=branch,
        outcome=outcome,
        details={"setting": "branch_budget", "before": before, "after": after},
    )


def branch_budget_set(
    *, branch: Branch, monthly_amount: Decimal | None, user: Any, ip_address: str | None = None
) -> BranchBudget | None:
    """Set (or with None remove) the branch's standing monthly budget. Audited with before/after."""
    with transaction.atomic():
        budget = BranchBudget.objects.select_for_update().filter(branch=branch).first()
        before = _snapshot(budget)
        if monthly_amount is None:
            if budget is not None:
                budget.delete()
            budget = None
        elif budget is None:
            budget = BranchBudget.objects.create(branch=branch, monthly_amount=monthly_amount)
        else:
            budget.monthly_amount = monthly_amount
            budget.save(update_fields=["monthly_amount"])
        _audit_change(
            branch, user, ip_address, "orçamento mensal alterado", before, _snapshot(budget)
        )
    return budget


def branch_budget_raise(
    *, branch: Branch, amount: Decimal, user: Any, ip_address: str | None = None
) -> BranchBudget:
    """Add `amount` to the current month's budget of a branch that has one. Audited.

    Raises BranchBudget.DoesNotExist when the branch has no budget (it has no limit to raise).
    """
    month = current_month()
    with transaction.atomic():
        budget = BranchBudget.objects.select_for_update().get(branch=branch)
        before = _snapshot(budget)
        current = budget.raised_amount if budget.raised_month == month else Decimal("0.00")
        budget.raised_month = month
        budget.raised_amount = current + amount
        budget.raised_by = user
        budget.raised_at = timezone.now()
        budget.save(update_fields=["raised_month", "raised_amount", "raised_by", "raised_at"])
        _audit_change(
            branch, user, ip_address, "orçamento do mês aumentado", before, _snapshot(budget)
        )
    return budget
