"""Set-based recording of the daily sweep: one INSERT ... SELECT for every eligible invoice.

The eligible invoices are never loaded into Python: the database copies their ids into the
sweep's outbox (SweepRequest) in one statement, so a sweep over a million invoices costs about
as much as counting the eligible ones. Not even the new rows' ids come back one by one: the
caller gets their id range and enqueues it as one message, which a worker splits into slices.
Each request then goes through negativation_include, with every rule checked again.
"""

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import DateTimeField, IntegerField, Max, Min, QuerySet, Value
from django.utils import timezone

from creditcheck.contracts.models import Invoice
from creditcheck.negativation.models import SweepRequest


@dataclass(frozen=True)
class QueuedRange:
    """The requests a sweep queued: ids first_id..last_id of its branch (count of them)."""

    first_id: int
    last_id: int
    count: int


def record_requests(invoices: QuerySet[Invoice], *, branch_id: int) -> QueuedRange | None:
    """Store one pending SweepRequest per invoice; None when there is none to store."""
    rows = (
        invoices.order_by()
        .annotate(
            n_branch=Value(branch_id, output_field=IntegerField()),
            n_created=Value(timezone.now(), output_field=DateTimeField()),
        )
        .values_list("id", "n_branch", "n_created")
    )
    select_sql, params = rows.query.sql_with_params()
    table = SweepRequest._meta.db_table
    with transaction.atomic():
        before = SweepRequest.objects.aggregate(last=Max("id"))["last"] or 0
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (invoice_id, branch_id, created_at, outcome) "  # noqa: S608
                f"SELECT *, '' FROM ({select_sql}) AS eligible",
                params,
            )
            inserted = cursor.rowcount
        if not inserted:
            return None
        # Other branches' sweeps may interleave ids: the branch tells ours apart.
        new = SweepRequest.objects.filter(id__gt=before, branch_id=branch_id).aggregate(
            first=Min("id"), last=Max("id")
        )
    return QueuedRange(new["first"], new["last"], inserted)
