"""LGPD retention: what the platforms sent about a person is kept RETENTION_MONTHS, no longer.

The purge clears the raw payload and deletes the stored platform PDF of older credit queries.
The query row (who, when, why, result), its normalized report and the audit trail stay: they are
the record the business and the data subject rely on (LGPD art. 16, I: legal obligation).
"""

import calendar
import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from creditcheck.analysis.models import CreditQuery

logger = logging.getLogger(__name__)


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time `months` calendar months earlier (31 Mar - 1 month = 28/29 Feb)."""
    years_back, month_index = divmod(moment.month - 1 - months, 12)
    year, month = moment.year + years_back, month_index + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


@dataclass(frozen=True)
class RetentionResult:
    cutoff: dt.datetime
    queries: int  # queries whose raw payload and/or file were cleared
    files: int  # stored platform PDFs deleted


def retention_purge(
    *, now: dt.datetime | None = None, months: int | None = None
) -> RetentionResult:
    """Clear raw payloads and delete stored platform PDFs of queries older than `months`
    (default settings.RETENTION_MONTHS). Side effects: files removed from storage, rows updated.

    Each file is deleted before its row is cleared: a run interrupted in between leaves a row
    pointing at a missing file, which the next run clears; never a file nobody points at.
    """
    months = settings.RETENTION_MONTHS if months is None else months
    cutoff = months_before(now or timezone.now(), months)
    expired = CreditQuery.objects.filter(created_at__lt=cutoff).filter(
        ~Q(raw_payload="") | ~Q(provider_file="")
    )
    queries = files = 0
    for query in expired.only("pk", "provider_file").iterator(chunk_size=500):
        name = query.provider_file.name
        if name:
            query.provider_file.storage.delete(name)
            files += 1
        CreditQuery.objects.filter(pk=query.pk).update(
            raw_payload="", provider_file="", provider_file_type=""
        )
        queries += 1
    if queries:
        logger.info(
            "retention purge: %d queries cleared, %d files deleted (before %s)",
            queries,
            files,
            cutoff.date().isoformat(),
        )
    return RetentionResult(cutoff=cutoff, queries=queries, files=files)
