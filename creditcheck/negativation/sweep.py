"""Set-based recording of the daily sweep's requests: one INSERT ... SELECT for all of them.

The eligible invoices are never loaded into Python: the database copies them into negativação
rows (and their first history event) in two statements, so a sweep over a million invoices
costs about as much as counting the eligible ones.
"""

from django.db import connection
from django.db.models import (
    BooleanField,
    CharField,
    DateTimeField,
    F,
    IntegerField,
    QuerySet,
    Value,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from creditcheck.contracts.models import Invoice
from creditcheck.integrations.models import BranchIntegration
from creditcheck.negativation.enums import NegativationStatus
from creditcheck.negativation.models import Negativation, NegativationEvent

COLUMNS = (
    "created_at", "updated_at", "invoice_id", "customer_id", "branch_id", "integration_id",
    "platform", "status", "document", "amount", "due_date", "reason_code", "platform_id",
    "automatic", "attempts", "removal_reason", "removal_platform_code", "error_code",
    "error_message",
)  # fmt: skip


def record_requests(
    invoices: QuerySet[Invoice], *, integration: BranchIntegration, reason_code: str
) -> list[int]:
    """Store one "requested" negativação (and its event) per invoice; returns their ids.

    Invoices that got a live negativação meanwhile are skipped by the unique constraint.
    """
    now = timezone.now()
    text = CharField()
    rows = (
        invoices.order_by()
        .annotate(
            n_created=Value(now, output_field=DateTimeField()),
            n_updated=Value(now, output_field=DateTimeField()),
            n_customer=F("contract__customer_id"),
            n_branch=F("contract__branch_id"),
            n_integration=Value(integration.pk, output_field=IntegerField()),
            n_platform=Value(integration.platform, output_field=text),
            n_status=Value(NegativationStatus.REQUESTED.value, output_field=text),
            n_document=F("contract__customer__document"),
            n_reason=Value(reason_code, output_field=text),
            n_empty=Value("", output_field=text),
            n_automatic=Value(True, output_field=BooleanField()),
            n_attempts=Value(0, output_field=IntegerField()),
        )
        .values_list(
            "n_created",
            "n_updated",
            "id",
            "n_customer",
            "n_branch",
            "n_integration",
            "n_platform",
            "n_status",
            "n_document",
            "amount",
            "due_date",
            "n_reason",
            "n_empty",
            "n_automatic",
            "n_attempts",
            "n_empty",
            "n_empty",
            "n_empty",
            "n_empty",
        )
    )
    select_sql, params = rows.query.sql_with_params()
    table = Negativation._meta.db_table
    events = NegativationEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(COLUMNS)}) {select_sql} "
            "ON CONFLICT DO NOTHING RETURNING id",
            params,
        )
        ids = sorted(row[0] for row in cursor.fetchall())
        if ids:
            # The rows just inserted are the automatic requests that have no event yet.
            cursor.execute(
                f"INSERT INTO {events} (negativation_id, from_status, to_status, at, message) "  # noqa: S608
                f"SELECT n.id, '', %s, n.created_at, %s FROM {table} n "
                f"WHERE n.automatic AND n.status = %s AND NOT EXISTS "
                f"(SELECT 1 FROM {events} e WHERE e.negativation_id = n.id)",
                [
                    NegativationStatus.REQUESTED.value,
                    _("Inclusão automática (rotina diária)"),
                    NegativationStatus.REQUESTED.value,
                ],
            )
    return ids
