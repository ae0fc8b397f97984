"""Celery tasks of compliance: thin wrappers around the services."""

from celery import shared_task

from creditcheck.compliance.retention import retention_purge


@shared_task(ignore_result=True)
def task_retention_purge() -> None:
    """Daily: clear raw payloads and stored platform PDFs older than RETENTION_MONTHS."""
    retention_purge()
