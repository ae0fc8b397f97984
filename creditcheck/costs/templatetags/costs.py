"""Template tags of Relatórios > Custos and of the budget warning on the query page."""

from django import template

from creditcheck.core.models import Branch
from creditcheck.costs.budgets import BudgetStatus, budget_status

register = template.Library()


@register.simple_tag
def branch_budget(branch: Branch | None) -> BudgetStatus | None:
    """{% branch_budget branch as budget %}: the branch's budget this month (None: no branch)."""
    return None if branch is None else budget_status(branch)
