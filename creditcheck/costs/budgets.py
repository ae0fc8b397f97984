"""Monthly query budgets per branch: the one rule (warning at 80%, block at 100%) and its changes.

`budget_status` is what the query service, the query confirmation page and Relatórios > Custos
all ask; `budget_evaluate` is the rule itself, for callers that already summed the month's spend
(the dashboard sums every branch in one query). A branch without a budget has no limit.
Months are calendar months in America/Sao_Paulo (settings.TIME_ZONE).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from creditcheck.core.audit import audit_record
from creditcheck.core.enums import AuditAction
from creditcheck.core.models import Branch
from creditcheck.costs.models import BranchBudget, QueryUsageDaily

WARNING_RATIO = Decimal("0.80")
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
    spent: Decimal

    @property
    def ratio(self) -> Decimal | None:
        if self.limit is None:
            return None
        if self.limit <= 0:  # a zero budget is spent before it starts
            return Decimal("1.0000")
        return (self.spent / self.limit).quantize(Decimal("0.0001"))

    @property
    def percent(self) -> int | None:
        ratio = self.ratio
        return None if ratio is None else int(ratio * 100)

    @property
    def warning(self) -> bool:
        """80% or more of the month's budget already spent (queries still go through)."""
        ratio = self.ratio
        return ratio is not None and ratio >= WARNING_RATIO

    @property
    def blocked(self) -> bool:
        """The whole budget is spent: no paid query goes through until an administrator raises
        it."""
        return self.limit is not None and self.spent >= self.limit

    @property
    def available(self) -> Decimal | None:
        return None if self.limit is None else max(self.limit - self.spent, Decimal("0.00"))

    def allows(self, cost: Decimal) -> bool:
        """Whether a query costing `cost` fits in what is left of the budget."""
        return self.limit is None or self.spent + cost <= self.limit


def budget_limit(budget: BranchBudget | None, month: dt.date) -> Decimal | None:
    if budget is None:
        return None
    raised = budget.raised_amount if budget.raised_month == month else Decimal("0.00")
    return budget.monthly_amount + raised


def budget_evaluate(budget: BranchBudget | None, month: dt.date, spent: Decimal) -> BudgetStatus:
    return BudgetStatus(limit=budget_limit(budget, month), spent=spent.quantize(CENTS))


def month_days(month: dt.date) -> tuple[dt.date, dt.date]:
    """First day of `month` and first day of the next one."""
    first = month.replace(day=1)
    return first, (first + dt.timedelta(days=32)).replace(day=1)


def branch_month_spend(branch_id: int, month: dt.date) -> Decimal:
    first, following = month_days(month)
    total = QueryUsageDaily.objects.filter(
        branch_id=branch_id, day__gte=first, day__lt=following
    ).aggregate(total=Sum("cost"))["total"]
    return total or Decimal("0.00")


def budget_status(branch: Branch, *, month: dt.date | None = None) -> BudgetStatus:
    """The branch's budget for `month` (default: the current one) and what it has spent."""
    month = month or current_month()
    budget = BranchBudget.objects.filter(branch=branch).first()
    if budget is None:
        # No limit: the month's spend is not needed to decide anything, so it is not summed.
        return BudgetStatus(limit=None, spent=Decimal("0.00"))
    return budget_evaluate(budget, month, branch_month_spend(branch.pk, month))


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
