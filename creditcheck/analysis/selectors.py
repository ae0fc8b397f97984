"""Reads of credit queries: history, filtered lists and totals, scoped to the user's branches."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from creditcheck.analysis.models import CreditQuery
from creditcheck.core import documents
from creditcheck.core.selectors import scope_to_user
from creditcheck.decisions.enums import Outcome

# The credit decision filter (creditcheck/decisions): an outcome, or no decision at all.
NO_DECISION = "sem_decisao"
DECISION_FILTER_CHOICES = [*Outcome.choices, (NO_DECISION, _("Sem decisão"))]


def queries_for(user: Any) -> QuerySet[CreditQuery]:
    return scope_to_user(CreditQuery.objects.all(), user).select_related("branch", "user")


@dataclass(frozen=True)
class QueryFilters:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    branch_id: int | None = None
    platform: str = ""
    user_id: int | None = None
    status: str = ""
    result: str = ""  # "" | "with_restrictions" | "clean"
    decision: str = ""  # "" | an outcome of the credit decision | NO_DECISION
    document: str = ""


def filter_queries(queryset: QuerySet[CreditQuery], filters: QueryFilters) -> QuerySet[CreditQuery]:
    if filters.date_from:
        queryset = queryset.filter(created_at__date__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(created_at__date__lte=filters.date_to)
    if filters.branch_id:
        queryset = queryset.filter(branch_id=filters.branch_id)
    if filters.platform:
        queryset = queryset.filter(platform=filters.platform)
    if filters.user_id:
        queryset = queryset.filter(user_id=filters.user_id)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.result == "with_restrictions":
        queryset = queryset.filter(has_restrictions=True)
    elif filters.result == "clean":
        queryset = queryset.filter(has_restrictions=False)
    if filters.decision == NO_DECISION:
        queryset = queryset.filter(decision__isnull=True)
    elif filters.decision:
        queryset = queryset.filter(decision__outcome=filters.decision)
    if filters.document:
        queryset = queryset.filter(document=documents.normalize(filters.document))
    return queryset


def report_users(user: Any) -> QuerySet[User]:
    """The users of the queries `user` sees (Relatórios > Consultas' user filter)."""
    return User.objects.filter(pk__in=queries_for(user).values("user_id")).order_by(
        "first_name", "last_name", "username"
    )


def report_queries(user: Any, filters: QueryFilters | None) -> QuerySet[CreditQuery]:
    """The queries `user` sees, filtered (none when the filters were invalid): the rows of
    Relatórios > Consultas and of its CSV."""
    visible = queries_for(user).select_related("decision")
    return visible.none() if filters is None else filter_queries(visible, filters)


@dataclass(frozen=True)
class QueryTotals:
    count: int
    cost: Decimal
    with_restrictions: int


def query_totals(queryset: QuerySet[CreditQuery]) -> QueryTotals:
    row = queryset.order_by().aggregate(
        count=Count("id"),
        cost=Sum("cost"),
        with_restrictions=Count("id", filter=Q(has_restrictions=True)),
    )
    cost = (row["cost"] or Decimal("0")).quantize(Decimal("0.01"))
    return QueryTotals(row["count"], cost, row["with_restrictions"])


def history_for_subject(
    user: Any,
    *,
    customer_id: int | None = None,
    lead_id: int | None = None,
    prospect_id: int | None = None,
) -> QuerySet[CreditQuery]:
    queryset = queries_for(user)
    if customer_id is not None:
        return queryset.filter(customer_id=customer_id)
    if lead_id is not None:
        return queryset.filter(lead_id=lead_id)
    if prospect_id is not None:
        return queryset.filter(prospect_id=prospect_id)
    return queryset.none()
