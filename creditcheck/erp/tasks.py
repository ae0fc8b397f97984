"""Celery tasks of the ERP app: thin wrappers around the services."""

from celery import shared_task

from creditcheck.erp.imports import import_run


@shared_task(acks_late=True, ignore_result=True)
def task_import_run(*, job_id: int) -> None:
    """Import a confirmed file; safe to repeat: it resumes at the first row not committed."""
    import_run(job_id=job_id)


@shared_task(acks_late=True, ignore_result=True)
def task_ixc_sync_all() -> None:
    """Scheduled: each active IXC connection reads what changed since its watermark."""
    from creditcheck.erp.ixc import ixc_sync
    from creditcheck.erp.models import IxcConnection

    for connection in IxcConnection.objects.filter(active=True):
        ixc_sync(connection=connection)
