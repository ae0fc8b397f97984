"""Celery tasks of credit queries: thin wrappers around the services."""

from celery import shared_task

from creditcheck.analysis.services import (
    credit_query_close_stale,
    credit_query_requeue_pending,
    credit_query_resolve_waiting,
    credit_query_run,
)


@shared_task(acks_late=True, ignore_result=True)
def task_run_credit_query(*, query_id: int) -> None:
    """Run a pending query. No automatic retries: a platform call may have been billed.

    A redelivered task (its worker died) finds the query claimed and does not call the platform
    again; the maintenance task below closes such a query once it is stale.
    """
    credit_query_run(query_id=query_id)


@shared_task(ignore_result=True)
def task_credit_query_maintenance() -> None:
    """Every minute: close queries cut short by a dead worker, enqueue again lost messages, finish
    queries left waiting for a removed one."""
    credit_query_close_stale()
    credit_query_requeue_pending()
    credit_query_resolve_waiting()
