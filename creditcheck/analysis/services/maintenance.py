"""Maintenance of credit queries: what crashed workers and lost broker messages left behind.

Run every minute by `task_credit_query_maintenance` (and by `run_scheduled_jobs` in the embedded
mode); each step is safe to run twice and alongside the tasks it repairs.
"""

import datetime as dt
import logging

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creditcheck.analysis.enums import IN_FLIGHT, Billed, QueryStatus
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.services.run import STALE_RUNNING_AFTER, close_if_stale, fail_query
from creditcheck.analysis.services.sharing import locked_waiting, share_outcome
from creditcheck.core.dispatch import enqueue
from creditcheck.core.shared_cache import CACHE_ERRORS

logger = logging.getLogger(__name__)

# A query pending this long lost its task message (the broker restarted without persistence, or
# was down when the query was stored): it is enqueued again. A duplicate message is harmless:
# only the run that claims the query calls the platform.
REQUEUE_PENDING_AFTER = dt.timedelta(minutes=2)
# A query nobody could run for this long is not sent any more: nobody waits for its answer, and
# the platform would bill it.
PENDING_EXPIRES_AFTER = dt.timedelta(minutes=30)


def credit_query_close_stale(*, now: dt.datetime | None = None) -> int:
    """Close every query left running past STALE_RUNNING_AFTER; returns how many."""
    cutoff = (now or timezone.now()) - STALE_RUNNING_AFTER
    stale = CreditQuery.objects.filter(status=QueryStatus.RUNNING, started_at__lt=cutoff)
    return sum(close_if_stale(pk, now=now) for pk in list(stale.values_list("pk", flat=True)))


def credit_query_resolve_waiting() -> int:
    """Finish the waiting queries whose source has finished; returns how many.

    Storing the source's outcome finishes them in the same transaction; this is the safety net of
    the rule, as the maintenance job is for lost task messages.
    """
    waiting = CreditQuery.objects.filter(status=QueryStatus.WAITING).exclude(
        shared_from__status__in=IN_FLIGHT
    )
    return sum(_resolve_waiting(pk) for pk in list(waiting.values_list("pk", flat=True)))


def _resolve_waiting(query_id: int) -> bool:
    with transaction.atomic():
        query = locked_waiting().filter(pk=query_id).first()
        source = query.shared_from if query is not None else None
        if query is None or source is None or source.status in IN_FLIGHT:
            return False
        share_outcome(source, query)
    return True


def credit_query_requeue_pending(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Enqueue again the queries whose task message was lost; fail the ones too old to send.

    Returns (enqueued, expired).
    """
    now = now or timezone.now()
    pending = CreditQuery.objects.filter(status=QueryStatus.PENDING)
    too_old = pending.filter(created_at__lt=now - PENDING_EXPIRES_AFTER)
    expired = sum(_expire_pending(pk) for pk in list(too_old.values_list("pk", flat=True)))
    waiting = pending.filter(created_at__lt=now - REQUEUE_PENDING_AFTER)
    lost = [pk for pk in waiting.values_list("pk", flat=True) if _first_requeue_in_a_while(pk)]
    from creditcheck.analysis.tasks import task_run_credit_query

    for query_id in lost:
        enqueue(task_run_credit_query, query_id=query_id)
    if lost or expired:
        logger.warning("pending credit queries: %d enqueued again, %d expired", len(lost), expired)
    return len(lost), expired


def _first_requeue_in_a_while(query_id: int) -> bool:
    """Re-send a pending query at most once per REQUEUE_PENDING_AFTER: when the workers are only
    behind (the message is not lost), each maintenance round must not add one more copy."""
    try:
        return bool(
            cache.add(
                f"credit_query_requeued:{query_id}",
                1,
                timeout=REQUEUE_PENDING_AFTER.total_seconds(),
            )
        )
    except CACHE_ERRORS:  # duplicates are harmless (the claim step), lost queries are not
        return True


def _expire_pending(query_id: int) -> bool:
    with transaction.atomic():
        query = (
            CreditQuery.objects.select_for_update()
            .filter(pk=query_id, status=QueryStatus.PENDING)
            .first()
        )
        if query is None:
            return False
        fail_query(
            query,
            code="not_sent",
            message=_(
                "A consulta não chegou a ser enviada à plataforma: o processamento ficou "
                "indisponível por tempo demais. Nada foi cobrado; consulte de novo se ainda "
                "precisar."
            ),
            billed=Billed.NO,
        )
    return True
