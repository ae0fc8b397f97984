"""What storing a finished credit query writes: its fields, its usage row, its credit decision
(creditcheck/decisions) and its audit entry, and the platform's own report kept as PDF."""

import logging
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from creditcheck.analysis.enums import Billed, QueryStatus
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.services.status import credit_query_set_status
from creditcheck.core.audit import audit_record
from creditcheck.core.enums import AuditAction
from creditcheck.core.pdf import html_to_pdf
from creditcheck.costs.usage import usage_record
from creditcheck.decisions.services import credit_decision_make

logger = logging.getLogger(__name__)

# What finishing a query writes with its status (saving only these keeps the hot path's UPDATE
# small).
OUTCOME_FIELDS = ("billed", "cost", "finished_at", "duration_ms")
# What a platform's answer fills in (also what a query waiting for it receives).
REPORT_FIELDS = (
    "report",
    "raw_payload",
    "protocol",
    "has_restrictions",
    "score",
    "restriction_count",
    "restriction_amount",
)
RESULT_FIELDS = (*OUTCOME_FIELDS, *REPORT_FIELDS)


def audit_query(
    query: CreditQuery,
    outcome: str,
    *,
    by: Any = None,
    ip_address: str | None = None,
    **details: Any,
) -> None:
    """An audit entry of the query: by the user who asked for it, unless `by` (someone acting
    on it later, from `ip_address`)."""
    audit_record(
        action=AuditAction.CREDIT_QUERY,
        user=query.user if by is None else by,
        ip_address=query.ip_address if by is None else ip_address,
        branch=query.branch,
        document=query.document,
        outcome=outcome,
        target=query,
        details={"platform": query.platform, **details},
    )


def cost_for(query: CreditQuery, billed: str) -> Decimal:
    if billed == Billed.NO or query.integration is None:
        return Decimal("0.00")
    return query.integration.cost_per_query


def store_outcome(
    query: CreditQuery, status: QueryStatus, fields: list[str], outcome: str, **details: Any
) -> bool:
    """Finish `query` with `status`, saving only `fields`, with its usage row and audit entry.

    Runs inside the caller's transaction, so that these and whatever the caller adds (handing
    the outcome over to waiting queries) are stored all together or not at all. Returns False,
    storing nothing, when the query was finished meanwhile by another run (the status setter).
    """
    assert transaction.get_connection().in_atomic_block, "store_outcome needs a transaction"
    query.finished_at = timezone.now()
    if query.started_at:
        query.duration_ms = int((query.finished_at - query.started_at).total_seconds() * 1000)
    if not credit_query_set_status(query=query, status=status, update_fields=fields):
        logger.warning("credit query %s was finished meanwhile: %s not stored", query.pk, outcome)
        return False
    usage_record(query)
    if status == QueryStatus.SUCCEEDED:
        # The credit policy decides every succeeded query, its own call's or a shared result.
        decision = credit_decision_make(query)
        if decision is not None:
            details["decision"] = decision.outcome
    audit_query(query, outcome, **details)
    return True


def attach_provider_document(query: CreditQuery, content: bytes, media_type: str) -> None:
    """Keep the platform's own report as PDF (HTML reports are converted)."""
    if media_type != "application/pdf":
        try:
            content = html_to_pdf(content.decode("utf-8", errors="replace"))
        except Exception:  # a report we cannot convert must not lose the query's result
            logger.exception("could not convert the platform report of query %s", query.pk)
            return
    query.provider_file.save(f"consulta-{query.pk}.pdf", ContentFile(content), save=False)
    query.provider_file_type = "application/pdf"
