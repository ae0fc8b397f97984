"""Reads of credit queries: history, filtered lists and totals, scoped to the user's branches."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.db.models import Count, Model, OuterRef, Q, QuerySet, Subquery, Sum

from creditcheck.analysis.enums import Billed, QueryStatus
from creditcheck.analysis.models import CreditQuery
from creditcheck.core import documents
from creditcheck.core.selectors import filter_given, given_fields, in_period, scope_to_user


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
    document: str = ""


def filter_queries(queryset: QuerySet[CreditQuery], filters: QueryFilters) -> QuerySet[CreditQuery]:
    queryset = in_period(queryset, "created_at", filters.date_from, filters.date_to)
    equal = given_fields(filters, "branch_id", "platform", "user_id", "status")
    queryset = filter_given(queryset, **equal)
    if filters.result == "with_restrictions":
        queryset = queryset.filter(has_restrictions=True)
    elif filters.result == "clean":
        queryset = queryset.filter(has_restrictions=False)
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
    visible = queries_for(user)
    return visible.none() if filters is None else filter_queries(visible, filters)


# What the reports count, defined once: Relatórios > Consultas counts with these conditions, and
# Relatórios > Custos reads daily rows built from them (costs/usage.py).
# A "consulta realizada" was sent to a platform (succeeded or failed), not copied from another
# branch's query; its cost is certain unless the platform left its billing unknown.
SENT_TO_PLATFORM = Q(
    status__in=(QueryStatus.SUCCEEDED, QueryStatus.FAILED), shared_from__isnull=True
)
BILLED_FOR_CERTAIN = SENT_TO_PLATFORM & ~Q(billed=Billed.UNKNOWN)
# A "tentativa recusada" was stopped before any platform call (flag, interval, budget...).
REFUSED_ATTEMPT = Q(status=QueryStatus.REFUSED)


@dataclass(frozen=True)
class QueryTotals:
    count: int  # every row listed, whatever its status
    performed: int  # consultas realizadas
    refused: int  # tentativas recusadas
    cost: Decimal  # spent for certain: Relatórios > Custos' "Gasto"
    with_restrictions: int


def query_totals(queryset: QuerySet[CreditQuery]) -> QueryTotals:
    row = queryset.order_by().aggregate(
        count=Count("id"),
        performed=Count("id", filter=SENT_TO_PLATFORM),
        refused=Count("id", filter=REFUSED_ATTEMPT),
        cost=Sum("cost", filter=BILLED_FOR_CERTAIN),
        with_restrictions=Count("id", filter=Q(has_restrictions=True)),
    )
    cost = (row["cost"] or Decimal("0")).quantize(Decimal("0.01"))
    return QueryTotals(
        row["count"], row["performed"], row["refused"], cost, row["with_restrictions"]
    )


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


RecordT = TypeVar("RecordT", bound=Model)


def with_last_query(records: QuerySet[RecordT], user: Any, subject_field: str) -> QuerySet[RecordT]:
    """Customers, leads or prospects (`subject_field`: "customer", "lead" or "prospect") with
    their last concluded query the user can open: `last_query_id`, `last_query_at`,
    `last_score`, `last_band` (the bureau's class) and `last_has_restrictions`; None without one,
    and for a user not allowed to see queries. One subquery each, on the page's rows only (the
    lists paginate)."""
    last = (
        scope_to_user(CreditQuery.objects.all(), user)
        .filter(**{subject_field: OuterRef("pk")}, status=QueryStatus.SUCCEEDED)
        .order_by("-created_at", "-pk")
    )
    if not user.has_perm("analysis.view_creditquery"):
        last = last.none()
    return records.annotate(  # type: ignore[return-value]  # stubs: annotate widens the model
        last_query_id=Subquery(last.values("pk")[:1]),
        last_query_at=Subquery(last.values("created_at")[:1]),
        last_score=Subquery(last.values("score")[:1]),
        last_band=Subquery(last.values("report__score__band")[:1]),
        last_has_restrictions=Subquery(last.values("has_restrictions")[:1]),
    )
