"""Celery tasks of credit queries: thin wrappers around the services."""

from celery import shared_task

from creditcheck.analysis.services import credit_query_run


@shared_task(acks_late=True, ignore_result=True)
def task_run_credit_query(*, query_id: int) -> None:
    """Run a pending query. No automatic retries: a platform call may have been billed."""
    credit_query_run(query_id=query_id)
