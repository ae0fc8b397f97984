"""The daily usage figures (QueryUsageDaily): one home for what a finished query adds to them.

A query sent to a platform (succeeded or failed) adds one query and its cost; when the platform
left its billing unknown, its cost counts apart as uncertain until someone settles it
(`usage_settle`). One refused by the re-query interval, or that received the result of another
branch's query of the same document (shared_from), adds one avoided query and the cost per query
it saved. Other refusals add nothing. Relatórios > Custos and the budget check read these rows.
"""

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from creditcheck.analysis.enums import Billed, QueryStatus, RefusalCode
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.selectors import BILLED_FOR_CERTAIN, SENT_TO_PLATFORM
from creditcheck.costs.models import QueryUsageDaily

SENT = (QueryStatus.SUCCEEDED, QueryStatus.FAILED)


def usage_record(query: CreditQuery) -> None:
    """Add a finished query to its day's usage row (created on first use)."""
    delta: dict[str, int | Decimal]
    if query.shared_from_id is not None:
        # It received the result of another branch's query instead of calling the platform.
        if query.status != QueryStatus.SUCCEEDED:
            return
        delta = {"avoided": 1, "saved": _saved_by(query)}
    elif query.status in SENT and query.billed == Billed.UNKNOWN:
        delta = {"sent": 1, "uncertain": 1, "uncertain_cost": query.cost}
    elif query.status in SENT:
        delta = {"sent": 1, "cost": query.cost}
    elif query.status == QueryStatus.REFUSED and query.refusal_code == RefusalCode.REQUERY_INTERVAL:
        delta = {"avoided": 1, "saved": _saved_by(query)}
    else:
        return
    _add(query, delta)


def usage_settle(query: CreditQuery, *, amount: Decimal) -> None:
    """Move a sent query whose billing was unknown (at `amount`) out of the uncertain figures:
    into the cost when `query` is now billed, out of the figures when it is not."""
    delta: dict[str, int | Decimal] = {"uncertain": -1, "uncertain_cost": -amount}
    if query.billed == Billed.YES:
        delta["cost"] = query.cost
    # No row: the query was stored outside the service and never counted (usage_rebuild will).
    _add(query, delta, create=False)


def _add(query: CreditQuery, delta: dict[str, int | Decimal], *, create: bool = True) -> None:
    """Add `delta` to the usage row of the query's day and key (created on first use)."""
    key = {
        "day": timezone.localdate(query.created_at),
        "branch_id": query.branch_id,
        "platform": query.platform,
        "product": query.product,
        "user_id": query.user_id,
    }
    increments = {name: F(name) + value for name, value in delta.items()}
    if QueryUsageDaily.objects.filter(**key).update(**increments) or not create:
        return
    try:
        with transaction.atomic():
            QueryUsageDaily.objects.create(**key, **delta)
    except IntegrityError:  # created meanwhile by another query of the same key
        QueryUsageDaily.objects.filter(**key).update(**increments)


def _saved_by(query: CreditQuery) -> Decimal:
    """What an avoided query saved: the price of the call it did not make."""
    return query.integration.cost_per_query if query.integration else Decimal("0")


def usage_rebuild(*, since: dt.date | None = None) -> int:
    """Recompute the usage rows from the stored queries (from `since` on); returns rows written.

    For installations upgraded with queries already stored, and for data loaded outside the
    query service.
    """
    queries = CreditQuery.objects.order_by()
    rows = QueryUsageDaily.objects.all()
    if since is not None:
        start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
        queries = queries.filter(created_at__gte=start)
        rows = rows.filter(day__gte=since)
    avoided = Q(status=QueryStatus.REFUSED, refusal_code=RefusalCode.REQUERY_INTERVAL) | Q(
        status=QueryStatus.SUCCEEDED, shared_from__isnull=False
    )
    sent = SENT_TO_PLATFORM
    uncertain = sent & Q(billed=Billed.UNKNOWN)
    billed = BILLED_FOR_CERTAIN
    grouped = (
        queries.filter(sent | avoided)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day", "branch_id", "platform", "product", "user_id")
        .annotate(
            n_sent=Count("id", filter=sent),
            n_cost=Coalesce(Sum("cost", filter=billed), Decimal("0")),
            n_uncertain=Count("id", filter=uncertain),
            n_uncertain_cost=Coalesce(Sum("cost", filter=uncertain), Decimal("0")),
            n_avoided=Count("id", filter=avoided),
            n_saved=Coalesce(Sum("integration__cost_per_query", filter=avoided), Decimal("0")),
        )
    )
    with transaction.atomic():
        rows.delete()
        written = QueryUsageDaily.objects.bulk_create(
            [
                QueryUsageDaily(
                    day=row["day"],
                    branch_id=row["branch_id"],
                    platform=row["platform"],
                    product=row["product"],
                    user_id=row["user_id"],
                    sent=row["n_sent"],
                    cost=row["n_cost"],
                    uncertain=row["n_uncertain"],
                    uncertain_cost=row["n_uncertain_cost"],
                    avoided=row["n_avoided"],
                    saved=row["n_saved"],
                )
                for row in grouped.iterator(chunk_size=5000)
            ],
            batch_size=2000,
        )
    return len(written)
