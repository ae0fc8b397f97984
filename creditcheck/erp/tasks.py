"""Celery tasks of the ERP app: thin wrappers around the services."""

from celery import shared_task

from creditcheck.erp.imports import import_run


@shared_task(acks_late=True, ignore_result=True)
def task_import_run(*, job_id: int) -> None:
    """Import a confirmed file; safe to repeat: it resumes at the first row not committed."""
    import_run(job_id=job_id)


@shared_task(acks_late=True, ignore_result=True)
def task_ixc_sync_all() -> None:
    """Scheduled: each active IXC connection not syncing already reads what changed."""
    from creditcheck.erp.ixc import ixc_sync
    from creditcheck.erp.ixc_connections import ixc_run_open
    from creditcheck.erp.models import IxcConnection

    for connection in IxcConnection.objects.filter(active=True):
        if run := ixc_run_open(connection=connection):
            ixc_sync(connection=connection, run=run)


@shared_task(acks_late=True, ignore_result=True)
def task_ixc_sync(*, run_id: int) -> None:
    """ "Sincronizar agora": the requested run; a redelivered message of a finished one does
    nothing."""
    from creditcheck.erp.ixc import ixc_sync
    from creditcheck.erp.models import SyncRun

    run = SyncRun.objects.select_related("connection").filter(pk=run_id).first()
    if run is not None and run.running:
        ixc_sync(connection=run.connection, run=run)
